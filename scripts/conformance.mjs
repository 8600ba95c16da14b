#!/usr/bin/env node
// conformance.mjs: the conformance suite's per-file table for humans (`npm run conformance`).
// Runs every file of Tekton's example corpus (or those matching REGEX) like test/conformance.test.ts
// does, prints one row per file and the score line; exits 1 when a file differs from the gap table.
// Usage: node scripts/conformance.mjs [--jobs N] [--json OUT.json] [REGEX]   (needs `npm run build`)
import { writeFileSync } from 'node:fs';
import { register } from 'tsx/esm/api';

register();
const c = await import('../test/conformance/index.ts');

const args = process.argv.slice(2);
let jobs = c.defaultJobs;
let jsonOut;
let filter;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--jobs') jobs = Number(args[++i]);
  else if (args[i] === '--json') jsonOut = args[++i];
  else if (args[i] === '-h' || args[i] === '--help') {
    process.stdout.write('usage: node scripts/conformance.mjs [--jobs N] [--json OUT.json] [REGEX]\n');
    process.exit(0);
  } else filter = new RegExp(args[i]);
}

let examples;
try {
  examples = c.readIndex().filter((e) => !filter || filter.test(e.path));
} catch (e) {
  process.stderr.write(`${e.message}\n`);
  process.exit(2);
}
const started = Date.now();
let done = 0;
const outcomes = await c.mapPool(
  examples,
  jobs,
  (e) => c.judge(e),
  (o) => {
    done++;
    process.stderr.write(
      `[${done}/${examples.length}] ${c.shortName(o.example.path)} ${o.validate.accepted ? 'valid' : 'REJECTED'} ${o.run?.status ?? ''} ${o.seconds.toFixed(1)}s\n`,
    );
  },
);

const rows = [['verdict', 'class', 'gate', 'validate', 'run', 'secs', 'file', 'note']];
let failed = 0;
for (const o of outcomes) {
  const name = c.shortName(o.example.path);
  const gap = c.gaps[name];
  const p = c.problems(o, gap);
  if (p.length) failed++;
  const verdict = p.length ? 'FAIL' : gap ? 'gap' : 'ok';
  const note = p.length ? p[0].split('\n')[0] : gap ? [gap.validate && `validate gap: ${gap.validate}`, gap.run && `run gap: ${gap.run}`].filter(Boolean).join('; ') : '';
  rows.push([verdict, o.example.runClass, o.example.gate, o.validate.accepted ? 'accepted' : 'rejected', o.run?.status ?? '-', o.seconds.toFixed(1), name, note]);
  if (!o.validate.accepted && !p.length) rows.push(['', '', '', '', '', '', '', `  rejection: ${o.validate.detail.slice(0, 200)}`]);
}
const widths = rows[0].map((_, i) => (i === rows[0].length - 1 ? 0 : Math.max(...rows.map((r) => r[i].length))));
for (const r of rows)
  process.stdout.write(
    `${r
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd()}\n`,
  );
process.stdout.write(`\n${c.scoreLine(c.score(outcomes))}\n`);
process.stdout.write(`${failed} file(s) differ from the gap table; ${((Date.now() - started) / 1000).toFixed(0)} s with ${jobs} jobs\n`);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(outcomes, null, 1));
process.exit(failed ? 1 : 0);
