// timing.mjs: what every bench script shares: time one command, take medians.
import { spawnSync } from 'node:child_process';

/** timeOnce runs argv once (in cwd) and returns its wall time in ms; exits the bench if it fails. */
export function timeOnce(label, argv, cwd) {
  const start = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) {
    console.error(`bench: "${label}" failed (exit ${r.status ?? r.signal}):\n${r.stderr?.toString() ?? ''}`);
    process.exit(1);
  }
  return ms;
}

/** median of a list of numbers. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
