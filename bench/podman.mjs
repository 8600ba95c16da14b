// bench/podman.mjs: the podman executor's overhead, in one run (issue 5, item 8). Plain Node, after
// `npm run build`: `node bench/podman.mjs` (BENCH_N=5 timed runs per command by default).
//
// Three commands, 1 warm-up each then N interleaved rounds, median wall time (process.hrtime around
// a synchronous spawn):
//   1. five bare `podman run --rm <busybox> true`, one after the other (the floor);
//   2. `tektite run --executor podman` of a PipelineRun of 5 sequential Tasks, each one `true` step
//      in the same busybox image (built from the host's static busybox, as the tests do);
//   3. the same PipelineRun with `--executor host`.
// Target (issue 10): (2) / (1) <= 1.0x. Also checks that no podman pod or container is left behind.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, timeOnce as timeIn } from './timing.mjs';

/** timeOnce times one command from the repository root. */
const timeOnce = (label, argv) => timeIn(label, argv, root);

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'bin', 'tektite.mjs');
const N = Number(process.env.BENCH_N ?? 5);
const TASKS = 5;

/** pipelineRun writes the 5-Task sequential PipelineRun: each Task runs `true` in the image, after the one before. */
function pipelineRun(image) {
  const tasks = Array.from({ length: TASKS }, (_, i) =>
    [
      `      - name: t${i}`,
      ...(i > 0 ? [`        runAfter: [t${i - 1}]`] : []),
      '        taskSpec:',
      '          steps:',
      '            - name: run',
      `              image: ${image}`,
      '              command: ["true"]',
    ].join('\n'),
  );
  return ['apiVersion: tekton.dev/v1', 'kind: PipelineRun', 'metadata:', '  name: bench-podman', 'spec:', '  pipelineSpec:', '    tasks:', ...tasks, ''].join('\n');
}

/**
 * measure runs each command once to warm up, then N rounds of all of them in turn (interleaved, so a
 * change of machine load during the bench hits every command alike), and keeps the timed totals.
 */
function measure(commands) {
  for (const c of commands) c.once();
  const times = commands.map(() => []);
  for (let i = 0; i < N; i++) commands.forEach((c, j) => times[j].push(c.once()));
  return commands.map((c, j) => ({ label: c.label, median: median(times[j]), min: Math.min(...times[j]), max: Math.max(...times[j]) }));
}

function leftovers() {
  const ps = spawnSync('podman', ['ps', '-a', '--filter', 'label=tektite.dev/pod', '--format', '{{.Names}}'], { encoding: 'utf8' }).stdout;
  const pods = spawnSync('podman', ['pod', 'ps', '--filter', 'label=tektite.dev/pod', '--format', '{{.Name}}'], { encoding: 'utf8' }).stdout;
  return [...ps.split('\n'), ...pods.split('\n')].filter(Boolean);
}

async function main() {
  if (!existsSync(cli)) {
    console.error(`bench: ${cli} does not exist; run "npm run build" first`);
    process.exit(1);
  }
  const { ensureBusyboxImage, podmanCli } = await import(join(root, 'dist', 'executors', 'podman', 'index.js'));
  const image = await ensureBusyboxImage(podmanCli());
  if (!image) {
    console.error('bench: no static busybox on this machine (apt-get install -y busybox-static)');
    process.exit(1);
  }
  const dir = mkdtempSync(join(tmpdir(), 'tektite-bench-podman-'));
  const file = join(dir, 'pipelinerun.yaml');
  writeFileSync(file, pipelineRun(image));
  const tektite = (executor) => () => {
    const stateDir = mkdtempSync(join(dir, 'state-'));
    return timeOnce(`tektite --executor ${executor}`, [process.execPath, cli, 'run', '-f', file, '--executor', executor, '-o', 'name', '--state-dir', stateDir]);
  };
  const bare = () => Array.from({ length: TASKS }, () => timeOnce('podman run --rm', ['podman', 'run', '--rm', image, 'true'])).reduce((a, b) => a + b, 0);
  try {
    const rows = measure([
      { label: `${TASKS} x podman run --rm`, once: bare },
      { label: 'tektite, podman executor', once: tektite('podman') },
      { label: 'tektite, host executor', once: tektite('host') },
    ]);
    report(rows, leftovers());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function report([bare, podman, host], left) {
  const fmt = (x) => x.toFixed(0).padStart(7);
  console.log(`Node ${process.version}, ${TASKS}-Task sequential PipelineRun, ${N} interleaved rounds after 1 warm-up (median / min / max, ms)\n`);
  console.log('| command                    |  median |     min |     max |');
  console.log('|----------------------------|---------|---------|---------|');
  for (const r of [bare, podman, host]) console.log(`| ${r.label.padEnd(26)} | ${fmt(r.median)} | ${fmt(r.min)} | ${fmt(r.max)} |`);
  const ratio = podman.median / bare.median;
  console.log('');
  console.log(`podman executor / ${TASKS} bare podman runs : ${ratio.toFixed(2)}x (target <= 1.0x) ${ratio <= 1.0 ? 'ok' : 'OVER TARGET'}`);
  console.log(`podman executor / host executor      : ${(podman.median / host.median).toFixed(2)}x`);
  console.log(`left behind (pods, containers)       : ${left.length === 0 ? 'none' : left.join(', ')}`);
  if (left.length) process.exitCode = 1;
}

await main();
