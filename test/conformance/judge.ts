// judge.ts: runs one Tekton example through the built CLI and judges it the way Tekton does.
// Validate: Tekton's CI creates every document with kubectl, so its webhook accepts every file of
// the corpus; `tektite validate` must accept it too (exit 0). Run (host-class files only): the
// FIRST TaskRun (taskruns/ files) or PipelineRun (pipelineruns/ files) the file creates must end
// Succeeded=True (test/examples_test.go waits on it with test/wait.go's Succeed(name)).
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseRunList, repoRoot, runCli, withStateDir, type CliOutcome, type RunObject } from '../helpers/cli.ts';
import { declaredRuns } from '../helpers/declared.ts';
import { storedObjects } from '../helpers/store.ts';
import { corpusDir, featureFlags, firstRunKind, type Example } from './corpus.ts';

/** Outcome is what Tektite did with one example. */
export interface Outcome {
  example: Example;
  /** validate: accepted (exit 0), or the first line of its rejection (field path and message). */
  validate: { accepted: boolean; detail: string };
  /** run: only for host-class files; ok when the first run ends Succeeded=True. */
  run?: { ok: boolean; status: string; detail: string };
  seconds: number;
}

const stackTrace = /\n\s+at .+:\d+:\d+\)?\n/;

function context(out: CliOutcome, tailLines = 30): string {
  const tail = (s: string) => s.split('\n').slice(-tailLines).join('\n');
  return `exit ${out.code}${out.signal ? ` (${out.signal})` : ''}\n--- stderr (tail)\n${tail(out.stderr)}`;
}

/** firstRun finds, in the printed List, the run upstream waits on: the first one of its kind the file declares. */
export function firstRun(items: RunObject[], text: string, kind: 'TaskRun' | 'PipelineRun'): RunObject | undefined {
  const ofKind = items.filter((i) => i.kind === kind);
  const first = declaredRuns(text, kind)[0];
  if (!first) return undefined;
  return ofKind.find((i) => (first.name ? i.metadata.name === first.name : i.metadata.name.startsWith(first.generateName ?? '\0')));
}

/** judge validates an example and, when it is host-class, runs it on the host executor. */
export async function judge(example: Example, timeoutMs = 150_000): Promise<Outcome> {
  const started = Date.now();
  // As the user would write it from the repo root: ../shared/conformance/tekton-examples/examples/...
  const file = relative(repoRoot, join(corpusDir, example.path));
  const flags = featureFlags(example).flatMap((f) => ['--feature-flag', f]);
  const v = await runCli(['validate', '-f', file, ...flags], timeoutMs);
  const accepted = v.code === 0 && !stackTrace.test(v.stderr);
  const validate = { accepted, detail: accepted ? '' : firstLine(v.stderr || v.stdout) || context(v) };
  const outcome: Outcome = { example, validate, seconds: 0 };
  if (example.runClass === 'host') {
    outcome.run = accepted
      ? await withStateDir('tektite-conformance-', (stateDir) => runOne(example, file, flags, stateDir, timeoutMs))
      : { ok: false, status: 'invalid', detail: 'not run: validate rejects it' };
  }
  outcome.seconds = (Date.now() - started) / 1000;
  return outcome;
}

async function runOne(example: Example, file: string, flags: string[], stateDir: string, timeoutMs: number): Promise<NonNullable<Outcome['run']>> {
  const out = await runCli(['run', '-f', file, '-o', 'json', '--state-dir', stateDir, ...flags], timeoutMs);
  const list = parseRunList(out.stdout);
  if (!list) return { ok: false, status: out.signal ? `killed (${out.signal})` : `exit ${out.code}, no JSON`, detail: context(out) };
  const kind = firstRunKind(example.path);
  const run = firstRun(list.items, readFileSync(join(repoRoot, file), 'utf8'), kind);
  if (!run) return { ok: false, status: `no ${kind}`, detail: `the List has no ${kind} declared first in the file\n${context(out)}` };
  const c = run.status?.conditions?.find((x) => x.type === 'Succeeded');
  const status = `${c?.status ?? '?'}/${c?.reason ?? '?'}`;
  if (stackTrace.test(out.stderr)) return { ok: false, status: `${status}, stack trace`, detail: context(out, 60) };
  // Upstream's Succeed(name) looks at the status only (a PipelineRun with skipped tasks ends Completed).
  if (c?.status === 'True') return { ok: true, status, detail: '' };
  const children = kind === 'PipelineRun' ? failedTaskRuns(stateDir) : [];
  return { ok: false, status, detail: [`${kind} ${run.metadata.name}: ${c?.message ?? 'no Succeeded condition'}`, ...children, context(out)].join('\n') };
}

/** failedTaskRuns says why a PipelineRun failed: its TaskRuns that did not succeed, as the run left them in the state dir. */
function failedTaskRuns(stateDir: string): string[] {
  const out: string[] = [];
  for (const tr of storedObjects<RunObject>(stateDir, 'TaskRun')) {
    const c = tr.status?.conditions?.find((x) => x.type === 'Succeeded');
    if (c && c.status !== 'True') out.push(`  TaskRun ${tr.metadata.name}: ${c.status}/${c.reason}: ${c.message ?? ''}`);
  }
  return out;
}

function firstLine(s: string): string {
  return (
    s
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l && !l.startsWith('Warning:')) ?? ''
  );
}
