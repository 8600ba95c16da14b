// quantity.ts: the little of Kubernetes resource.Quantity that Task-level compute resources need:
// parse, divide, and print in canonical form (k8s.io/apimachinery/pkg/api/resource).

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** Quantity is a parsed amount (in base units) and whether it prints with binary suffixes. */
export interface Quantity {
  value: number;
  binary: boolean;
}

/** parseQuantity parses `500m`, `1Gi`, `2`, `1e3`; undefined if the text is not a quantity. */
export function parseQuantity(text: string | number): Quantity | undefined {
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/.exec(String(text).trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const suffix = m[2] ?? '';
  if (suffix in BINARY) return { value: n * BINARY[suffix], binary: true };
  if (suffix in DECIMAL) return { value: n * DECIMAL[suffix], binary: false };
  return { value: n * 10 ** Number(suffix.slice(1)), binary: false };
}

/** divideQuantity is Tekton's per-step average: whole units for memory/storage, milli-units otherwise. */
export function divideQuantity(q: Quantity, by: number, wholeUnits: boolean): Quantity {
  if (wholeUnits) return { value: Math.floor(Math.ceil(q.value) / by), binary: q.binary };
  return { value: Math.floor(Math.ceil(q.value * 1000) / by) / 1000, binary: q.binary };
}

/** formatQuantity prints q canonically: `512Mi`, `500m`, `1`, `2k`. */
export function formatQuantity(q: Quantity): string {
  if (q.value === 0) return '0';
  if (q.binary && Number.isInteger(q.value)) {
    for (const [suffix, mult] of Object.entries(BINARY).reverse()) {
      if (Math.abs(q.value) >= mult && q.value % mult === 0) return `${q.value / mult}${suffix}`;
    }
    if (Math.abs(q.value) < 1024) return String(q.value);
  }
  const milli = Math.round(q.value * 1000);
  if (milli % 1000 !== 0) return `${milli}m`;
  let units = milli / 1000;
  const suffixes = ['', 'k', 'M', 'G', 'T', 'P', 'E'];
  let i = 0;
  while (i < suffixes.length - 1 && units % 1000 === 0) {
    units /= 1000;
    i++;
  }
  return `${units}${suffixes[i]}`;
}
