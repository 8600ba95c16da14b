// go-duration.ts: Go's time.ParseDuration and Duration.String(), exactly, for Tekton timeouts.
import { memoize } from '../memo/index.ts';

const UNIT_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** ParsedDuration is a duration in milliseconds (fractional below 1 ms), or the Go error text. */
export type ParsedDuration = { ok: true; ms: number } | { ok: false; error: string };

// Parsed texts, kept: a TaskRun's timeout is read again on every reconcile, and a few texts recur.
/** parseGoDuration parses "1h30m", "1.5s", "300ms", "-2m", "0" like time.ParseDuration. */
export const parseGoDuration: (text: string) => ParsedDuration = memoize((text) => Object.freeze(parse(text)), 1000);

function parse(text: string): ParsedDuration {
  const quoted = JSON.stringify(text);
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return { ok: true, ms: 0 };
  if (s === '') return { ok: false, error: `time: invalid duration ${quoted}` };
  let totalNs = 0;
  while (s !== '') {
    const num = /^(\d*)(\.(\d*))?/.exec(s)!;
    if (num[0] === '' || num[0] === '.') return { ok: false, error: `time: invalid duration ${quoted}` };
    s = s.slice(num[0].length);
    const unit = /^[^\d.]+/.exec(s)?.[0];
    if (!unit) return { ok: false, error: `time: missing unit in duration ${quoted}` };
    const scale = UNIT_NS[unit];
    if (scale === undefined) return { ok: false, error: `time: unknown unit ${JSON.stringify(unit)} in duration ${quoted}` };
    s = s.slice(unit.length);
    totalNs += Number(num[1] || '0') * scale + (num[3] ? Number(`0.${num[3]}`) * scale : 0);
  }
  // biome-ignore lint/correctness/noPrecisionLoss: math.MaxInt64 as a float64, the bound Go checks against
  if (totalNs > 9223372036854775807) return { ok: false, error: `time: invalid duration ${quoted}` };
  return { ok: true, ms: (sign * Math.round(totalNs)) / 1e6 };
}

/** formatGoDuration prints milliseconds like Go's Duration.String(): 1h0m0s, 1.5s, 300ms, 0s. */
export function formatGoDuration(ms: number): string {
  let ns = Math.round(ms * 1e6);
  if (ns === 0) return '0s';
  const neg = ns < 0;
  if (neg) ns = -ns;
  let out: string;
  if (ns < 1e9) {
    // Sub-second: the largest unit that keeps a leading digit (ns, µs, ms).
    if (ns < 1e3) out = `${ns}ns`;
    else if (ns < 1e6) out = `${trimFrac(ns / 1e3)}µs`;
    else out = `${trimFrac(ns / 1e6)}ms`;
  } else {
    const h = Math.floor(ns / 3600e9);
    const m = Math.floor((ns % 3600e9) / 60e9);
    const s = trimFrac((ns % 60e9) / 1e9);
    out = h > 0 ? `${h}h${m}m${s}s` : m > 0 ? `${m}m${s}s` : `${s}s`;
  }
  return neg ? `-${out}` : out;
}

function trimFrac(n: number): string {
  return n.toFixed(9).replace(/\.?0+$/, '');
}
