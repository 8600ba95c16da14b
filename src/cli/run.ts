// run.ts: `tektite run -f FILE...`: admit every object, store them, run every TaskRun, print results.
import { resolve } from 'node:path';
import type { LoadedObject, PipelineRun, TaskRun } from '../api/index.ts';
import { runPipelineRun, runTaskRun, type RunEvent } from '../reconciler/index.ts';
import { openFileStore, reportingWrites } from '../store/index.ts';
import { loadExecutor, makeEngine, type ExecutorName } from './engine.ts';
import { admitFiles, fileStoreResolver, otherKindNotes } from './objects.ts';
import { LogPrinter } from './render/logs.ts';
import { renderRuns, type OutputFormat } from './render/output.ts';

/** RunOptions are the parsed flags of `tektite run`. */
export interface RunOptions {
  files: string[];
  executor: ExecutorName;
  output?: OutputFormat;
  featureFlags: Record<string, string>;
  defaults: Record<string, string>;
  stateDir: string;
  imageMap: Record<string, string>;
  /** parallel bounds the TaskRuns a PipelineRun runs at once. */
  parallel: number;
}

/** CommandIO is where a command writes; only the CLI touches the real stdout/stderr. */
export interface CommandIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  signal: AbortSignal;
}

/** runCommand returns the process exit code: 0 all runs succeeded, 1 any failed, 2 invalid input. */
export async function runCommand(opts: RunOptions, io: CommandIO): Promise<number> {
  const writeErrors = new Set<string>();
  // Absolute: the sandbox binds paths under the state dir from another working directory.
  const store = reportingWrites(openFileStore(resolve(opts.stateDir)), (m) => writeErrors.add(m));
  // The host executor probes its sandbox (a process start) when made: let that overlap with
  // reading and checking the files. Podman's check is left until something is to run.
  const hostLoading = opts.executor === 'host' ? loadExecutor('host', opts.imageMap) : undefined;
  const admitted = await admitFiles(opts.files, opts, { resolver: fileStoreResolver(store) });
  if (admitted.errors.length) {
    io.stderr.write(`Error: invalid input:\n${admitted.errors.map((e) => `  ${e.replace(/\n/g, '\n  ')}`).join('\n')}\n`);
    return 2;
  }
  const runs = admitted.objects.filter((o): o is LoadedObject & { object: TaskRun | PipelineRun } => o.object.kind === 'TaskRun' || o.object.kind === 'PipelineRun');
  // Where runs would go is checked first: a missing executor must not leave half the files applied.
  const executor = runs.length ? await (hostLoading ?? loadExecutor(opts.executor, opts.imageMap)) : undefined;
  if (executor && 'error' in executor) {
    io.stderr.write(`Error: ${executor.error}\n`);
    return 2;
  }
  for (const o of [...admitted.objects, ...admitted.others]) {
    if (o.object.kind === 'TaskRun' || o.object.kind === 'PipelineRun') continue;
    const w = store.put(o.object as never);
    if (!w.ok) {
      io.stderr.write(`Error: ${w.message}\n`);
      return 1;
    }
  }
  for (const note of otherKindNotes(admitted.others, 'stored')) io.stderr.write(`${note}\n`);
  if (!executor) {
    io.stderr.write('Nothing to run: the files hold no TaskRun or PipelineRun (their other objects were stored).\n');
    return 0;
  }
  const logOut = opts.output ? io.stderr : io.stdout;
  const printer = new LogPrinter(logOut);
  const warned = new Set<string>();
  const emit = (e: RunEvent) => {
    printer.onEvent(e);
    if (e.type === 'warning' && !warned.has(e.message)) {
      warned.add(e.message);
      io.stderr.write(`Warning: ${e.message}\n`);
    }
  };
  const engine = { ...makeEngine(store, executor, admitted.config, emit, opts.imageMap), parallel: opts.parallel };
  const finals: (TaskRun | PipelineRun)[] = await Promise.all(
    runs.map((o) => (o.object.kind === 'TaskRun' ? runTaskRun(o.object, engine, io.signal) : runPipelineRun(o.object, engine, io.signal))),
  );
  printer.flush();
  if (opts.output) {
    io.stdout.write(
      renderRuns(
        runs.map((o, i) => ({ loaded: o, final: finals[i] as never })),
        opts.output,
      ),
    );
  } else {
    for (const tr of finals) io.stderr.write(summary(tr));
  }
  if (writeErrors.size) {
    // The state dir keeps the last complete version of each run (writes are atomic), but not
    // the newest: say so, and fail, rather than pretend the runs were recorded.
    io.stderr.write(`Error: the state dir could not be written; the final state of these runs is only in this output:\n${[...writeErrors].map((m) => `  ${m}`).join('\n')}\n`);
    return 1;
  }
  return finals.every((tr) => tr.status?.conditions?.[0]?.status === 'True') ? 0 : 1;
}

function summary(run: TaskRun | PipelineRun): string {
  const c = run.status?.conditions?.find((x) => x.type === 'Succeeded');
  const results = (run.status?.results ?? []).map((r) => `\n  result ${r.name} = ${JSON.stringify(r.value)}`).join('');
  const skipped = ((run.status as PipelineRun['status'])?.skippedTasks ?? []).map((t) => `\n  skipped ${t.name}: ${t.reason}`).join('');
  return `${run.kind.toLowerCase()}.tekton.dev/${run.metadata.name}: ${c?.reason ?? 'Unknown'}${c?.message ? ` (${c.message})` : ''}${results}${skipped}\n`;
}
