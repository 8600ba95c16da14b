// limitrange.ts: the namespace's LimitRanges applied to a TaskRun's Pod, in the two steps a cluster
// takes: Tekton's transformer (pkg/internal/computeresources/transformer.go: the default request
// split among the steps) at build time, then Kubernetes' LimitRanger admission (defaults for every
// container, then min/max checks that refuse the Pod).
import { isContainerStep } from './sidecars.ts';
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import type { LimitRange } from '../api/index.ts';
import { formatQuantity, parseQuantity } from './quantity.ts';

// transformer.go's resourceNames: the resources Tekton looks at.
const RESOURCES = ['cpu', 'memory', 'ephemeral-storage'] as const;
type List = Record<string, string>;

/** VirtualLimit is the `Container` limits of all LimitRanges merged (limitrange.go GetVirtualLimitRange). */
interface VirtualLimit {
  min: List;
  max: List;
  default: List;
  defaultRequest: List;
}

const amount = (v: string | number | undefined): number => (v === undefined ? 0 : (parseQuantity(v)?.value ?? 0));
const text = (v: string | number) => String(v);

// The API server's SetDefaults_LimitRangeItem: no default limit → max, no default request → default.
function withAPIDefaults(item: NonNullable<LimitRange['spec']>['limits'][number]): VirtualLimit {
  const toList = (l?: Record<string, string | number>) => Object.fromEntries(Object.entries(l ?? {}).map(([k, v]) => [k, text(v)]));
  const max = toList(item.max);
  const def = { ...max, ...toList(item.default) };
  return { min: toList(item.min), max, default: def, defaultRequest: { ...def, ...toList(item.defaultRequest) } };
}

/** virtualLimit merges the `Container` items: largest min, smallest max, smallest default and defaultRequest. */
export function virtualLimit(limitRanges: LimitRange[]): VirtualLimit | undefined {
  const items = limitRanges
    .flatMap((lr) => lr.spec?.limits ?? [])
    .filter((i) => i.type === 'Container')
    .map(withAPIDefaults);
  if (!items.length) return undefined;
  const pick = (lists: List[], better: (a: number, b: number) => boolean): List => {
    const out: List = {};
    for (const l of lists) {
      for (const [k, v] of Object.entries(l)) if (out[k] === undefined || amount(out[k]) === 0 || better(amount(v), amount(out[k]))) out[k] = v;
    }
    return out;
  };
  const smaller = (a: number, b: number) => a < b;
  return {
    min: pick(
      items.map((i) => i.min),
      (a, b) => a > b,
    ),
    max: pick(
      items.map((i) => i.max),
      smaller,
    ),
    default: pick(
      items.map((i) => i.default),
      smaller,
    ),
    defaultRequest: pick(
      items.map((i) => i.defaultRequest),
      smaller,
    ),
  };
}

/**
 * applyLimitRanges returns the Pod as a cluster with these LimitRanges would admit it, or the
 * admission error (`maximum cpu usage per Container is 800m, but limit is 1`).
 */
export function applyLimitRanges(pod: V1Pod, limitRanges: LimitRange[]): { pod: V1Pod } | { forbidden: string[] } {
  const limit = virtualLimit(limitRanges);
  if (!limit) return { pod };
  const out = structuredClone(pod);
  const spec = out.spec!;
  const steps = spec.containers.filter((c) => isContainerStep(c.name));
  const stepRequest = defaultStepRequest(limit, steps.length);
  for (const c of steps) {
    c.resources ??= {};
    c.resources.requests ??= {};
    for (const name of RESOURCES) {
      if (amount(c.resources.requests[name]) === 0 && stepRequest[name]) c.resources.requests[name] = stepRequest[name];
    }
  }
  const all = [...(spec.initContainers ?? []), ...spec.containers];
  for (const c of all) defaultResources(c, limit);
  const forbidden = all.flatMap((c) => violations(c, limit));
  return forbidden.length ? { forbidden } : { pod: out };
}

// transformer.go getDefaultStepContainerRequest: defaultRequest / number of steps, at least min;
// whole units for memory and storage, milli-units for cpu.
function defaultStepRequest(limit: VirtualLimit, steps: number): List {
  const out: List = {};
  for (const name of RESOURCES) {
    const q = parseQuantity(limit.defaultRequest[name] ?? '0');
    if (!q) continue;
    const whole = name !== 'cpu';
    const divided = whole ? Math.floor(q.value / Math.max(steps, 1)) : Math.floor((q.value * 1000) / Math.max(steps, 1)) / 1000;
    const min = parseQuantity(limit.min[name] ?? '0');
    const value = Math.max(divided, min?.value ?? 0);
    if (value === 0) continue;
    out[name] = min && min.value >= divided ? limit.min[name] : formatQuantity({ value, binary: q.binary });
  }
  return out;
}

// LimitRanger's defaulting (plugin/pkg/admission/limitranger): a missing limit takes `default`,
// a missing request takes `defaultRequest`.
function defaultResources(c: V1Container, limit: VirtualLimit): void {
  c.resources ??= {};
  const r = c.resources;
  for (const [name, v] of Object.entries(limit.default)) {
    r.limits ??= {};
    r.limits[name] ??= v;
  }
  for (const [name, v] of Object.entries(limit.defaultRequest)) {
    r.requests ??= {};
    r.requests[name] ??= v;
  }
}

// LimitRanger's validation, in its words.
function violations(c: V1Container, limit: VirtualLimit): string[] {
  const out: string[] = [];
  const requests = c.resources?.requests ?? {};
  const limits = c.resources?.limits ?? {};
  for (const [name, min] of Object.entries(limit.min)) {
    if (requests[name] === undefined) out.push(`minimum ${name} usage per Container is ${min}.  No request is specified`);
    else if (amount(requests[name]) < amount(min)) out.push(`minimum ${name} usage per Container is ${min}, but request is ${requests[name]}`);
  }
  for (const [name, max] of Object.entries(limit.max)) {
    if (limits[name] === undefined) out.push(`maximum ${name} usage per Container is ${max}.  No limit is specified`);
    else if (amount(limits[name]) > amount(max)) out.push(`maximum ${name} usage per Container is ${max}, but limit is ${limits[name]}`);
  }
  return out;
}
