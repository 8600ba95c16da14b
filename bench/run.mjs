// bench/run.mjs: measures Tektite's startup and per-step cost on the host executor, in one run.
// Plain Node, no dependencies: `npm run bench` (after `npm run build`).
//
// For each command: 2 warm-up runs, then N timed runs (default 20, env BENCH_N); the median
// wall time (process.hrtime.bigint around a synchronous spawn) is reported. Targets (issue 10):
//   1-step TaskRun / `node -e 0`          <= 1.5x
//   per-step cost (10-step - 1-step) / 9  <= 3 ms
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, timeOnce as timeIn } from './timing.mjs';

/** timeOnce times one command from the repository root. */
const timeOnce = (label, argv) => timeIn(label, argv, root);

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'bin', 'tektite.mjs');
const N = Number(process.env.BENCH_N ?? 20);
const WARMUPS = 2;

/** measure returns the median, min and max of N timed runs after the warm-ups. */
function measure(label, argv) {
  for (let i = 0; i < WARMUPS; i++) timeOnce(label, argv);
  const times = [];
  for (let i = 0; i < N; i++) times.push(timeOnce(label, argv));
  return { label, median: median(times), min: Math.min(...times), max: Math.max(...times) };
}

function main() {
  if (!existsSync(cli)) {
    console.error(`bench: ${cli} does not exist; run "npm run build" first`);
    process.exit(1);
  }
  const stateDir = mkdtempSync(join(tmpdir(), 'tektite-bench-'));
  const run = (fixture) => [process.execPath, cli, 'run', '-f', join('bench', 'fixtures', fixture), '--executor', 'host', '-o', 'name', '--state-dir', stateDir];
  try {
    const rows = [
      measure('node -e 0', [process.execPath, '-e', '0']),
      measure('tektite run (1 step)', run('one-step.yaml')),
      measure('tektite run (10 steps)', run('ten-steps.yaml')),
    ];
    report(rows);
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}

function report([node, one, ten]) {
  const fmt = (x) => x.toFixed(1).padStart(8);
  console.log(`Node ${process.version}, ${N} runs each after ${WARMUPS} warm-ups (median / min / max, ms)\n`);
  console.log(`| command                  |   median |      min |      max |`);
  console.log(`|--------------------------|----------|----------|----------|`);
  for (const r of [node, one, ten]) console.log(`| ${r.label.padEnd(24)} | ${fmt(r.median)} | ${fmt(r.min)} | ${fmt(r.max)} |`);
  const ratio = one.median / node.median;
  const perStep = (ten.median - one.median) / 9;
  console.log('');
  console.log(`1-step run / node -e 0 : ${ratio.toFixed(2)}x   (target <= 1.5x) ${ratio <= 1.5 ? 'ok' : 'OVER TARGET'}`);
  console.log(`per-step cost          : ${perStep.toFixed(1)} ms (target <= 3 ms) ${perStep <= 3 ? 'ok' : 'OVER TARGET'}`);
}

main();
