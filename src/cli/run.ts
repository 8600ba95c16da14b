// run.ts: `tektite run -f FILE...`: admit every object, store them, run the TaskRuns and PipelineRuns
// through this process's control plane (controllers + kubelet over the state dir's store), print
// logs as they come and the runs as they end.
import { resolve } from 'node:path';
import type { LoadedObject, PipelineRun, TaskRun } from '../api/index.ts';
import type { RunEvent } from '../reconciler/index.ts';
import { localResolver } from '../resolution/index.ts';
import { keyOf, type KObject, type ObjectKey, type ObjectStore } from '../store/index.ts';
import { createOrUpdate, storedConfig } from './apply.ts';
import { loadExecutor, type ExecutorName } from './engine.ts';
import { startLocalEngine } from './local-engine.ts';
import { admitFiles, otherKindNotes } from './objects.ts';
import { LogPrinter } from './render/logs.ts';
import { renderRuns, type OutputFormat } from './render/output.ts';
import { EXIT_STATE_STORE, withStore } from './state.ts';
import { replaceRun, SESSION_ANNOTATION } from './store-writes.ts';
import { ended, RunWaiter } from './wait.ts';

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

type RunObject = TaskRun | PipelineRun;

/** runCommand returns the process exit code: 0 all runs succeeded, 1 any failed, 2 invalid input, 74 the state store cannot be used. */
export async function runCommand(opts: RunOptions, io: CommandIO): Promise<number> {
  // Absolute: the sandbox binds paths under the state dir from another working directory.
  const stateDir = resolve(opts.stateDir);
  // The host executor probes its sandbox (a process start) when made: let that overlap with
  // reading and checking the files. Podman's check is left until something is to run.
  const hostLoading = opts.executor === 'host' ? loadExecutor('host', opts.imageMap) : undefined;
  return withStore(stateDir, io, (store) => runIn(store, stateDir, hostLoading, opts, io));
}

// How long an ended run's Pods may take to stop their sidecars before the process stops them itself.
const SETTLE_MS = 10_000;

async function runIn(store: ObjectStore, stateDir: string, hostLoading: ReturnType<typeof loadExecutor> | undefined, opts: RunOptions, io: CommandIO): Promise<number> {
  const admitted = await admitFiles(opts.files, opts, { resolver: localResolver(store), configData: await storedConfig(store) });
  if (admitted.errors.length) {
    io.stderr.write(`Error: invalid input:\n${admitted.errors.map((e) => `  ${e.replace(/\n/g, '\n  ')}`).join('\n')}\n`);
    return 2;
  }
  const runs = admitted.objects.filter((o): o is LoadedObject & { object: RunObject } => o.object.kind === 'TaskRun' || o.object.kind === 'PipelineRun');
  // Where runs would go is checked first: a missing executor must not leave half the files applied.
  const executor = runs.length ? await (hostLoading ?? loadExecutor(opts.executor, opts.imageMap)) : undefined;
  if (executor && 'error' in executor) {
    io.stderr.write(`Error: ${executor.error}\n`);
    return 2;
  }
  const isRun = (o: { kind: string }) => o.kind === 'TaskRun' || o.kind === 'PipelineRun';
  // The stored objects are the admitted ones: defaulted, as Tekton's mutating webhook leaves them.
  const defaulted = admitted.defaulted as unknown as KObject[];
  for (const object of [...defaulted, ...admitted.others.map((o) => o.object as unknown as KObject)]) {
    if (isRun(object)) continue;
    const w = await createOrUpdate(store, object);
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
  // A store that cannot be written (a full disk) ends the wait: the runs could not be recorded.
  const storageFailed = new AbortController();
  const keys: ObjectKey[] = runs.map((o) => ({ kind: o.object.kind, namespace: o.object.metadata.namespace ?? 'default', name: o.object.metadata.name! }));
  const waiter = new RunWaiter(keys);
  const engine = startLocalEngine({
    store,
    stateDir,
    executor,
    config: admitted.config,
    imageMap: opts.imageMap,
    parallel: opts.parallel,
    emit,
    onRunChange: (type, obj) => waiter.see(type, obj),
    onStorageFailure: (message) => {
      if (!storageFailed.signal.aborted) storageFailed.abort(message);
    },
  });
  let finals: (KObject | undefined)[] = [];
  const onInterrupt = () => void cancelRuns(store, keys);
  try {
    await engine.kubelet.synced;
    const session = engine.kubelet.nodeName;
    for (const run of defaulted.filter(isRun)) {
      // The session names this process on the run (and, through Tekton's propagation, its children and Pods).
      const annotated = { ...run, metadata: { ...run.metadata, annotations: { ...run.metadata.annotations, [SESSION_ANNOTATION]: session } } };
      const w = await replaceRun(store, annotated, (s) => engine.kubelet.nodeAlive(s));
      if (!w.ok) {
        io.stderr.write(`Error: ${w.message}\n`);
        return 1;
      }
      waiter.expect(keyOf(w.object), w.object.metadata.uid!);
    }
    io.signal.addEventListener('abort', onInterrupt, { once: true });
    if (io.signal.aborted) onInterrupt();
    finals = await waiter.done(storageFailed.signal);
    if (!storageFailed.signal.aborted && !io.signal.aborted) {
      // Tekton stops a done TaskRun's sidecars and records their end (taskrun.go stopSidecars): let that finish.
      await engine.settle(SETTLE_MS, AbortSignal.any([storageFailed.signal, io.signal]));
      finals = await Promise.all(finals.map((f) => (f ? latest(store, f) : f)));
    }
  } finally {
    io.signal.removeEventListener('abort', onInterrupt);
    await engine.stop();
  }
  printer.flush();
  if (storageFailed.signal.aborted) {
    // What the store holds is each run's last complete version (every write is one transaction), not its end.
    io.stderr.write(
      `Error: the runs could not be recorded in the state dir ${stateDir}: ${storageFailed.signal.reason}; they were stopped, and the store keeps their last complete state\n`,
    );
    return EXIT_STATE_STORE;
  }
  const shown = finals.map((f, i) => (f ?? runs[i].object) as unknown as RunObject);
  if (opts.output) {
    io.stdout.write(
      renderRuns(
        runs.map((o, i) => ({ loaded: o, final: shown[i] as never })),
        opts.output,
      ),
    );
  } else {
    for (const r of shown) io.stderr.write(summary(r));
  }
  return shown.every((r) => r.status?.conditions?.[0]?.status === 'True') ? 0 : 1;
}

/** latest is the run's newest stored version, if it is still the same run. */
async function latest(store: ObjectStore, run: KObject): Promise<KObject> {
  const now = await store.get(keyOf(run)).catch(() => undefined);
  return now && now.metadata.uid === run.metadata.uid ? now : run;
}

/** cancelRuns is Ctrl-C: ask for every run of the files to be cancelled, as `tektite cancel` would. */
async function cancelRuns(store: ObjectStore, keys: ObjectKey[]): Promise<void> {
  for (const key of keys) {
    for (let attempt = 0; attempt < 5; attempt++) {
      const run = await store.get(key);
      if (!run || ended(run)) break;
      const spec = { ...(run.spec as object), status: key.kind === 'TaskRun' ? 'TaskRunCancelled' : 'Cancelled' };
      const w = await store.update({ ...run, spec });
      if (w.ok || w.reason !== 'Conflict') break;
    }
  }
}

function summary(run: RunObject): string {
  const c = run.status?.conditions?.find((x) => x.type === 'Succeeded');
  const results = (run.status?.results ?? []).map((r) => `\n  result ${r.name} = ${JSON.stringify(r.value)}`).join('');
  const skipped = ((run.status as PipelineRun['status'])?.skippedTasks ?? []).map((t) => `\n  skipped ${t.name}: ${t.reason}`).join('');
  return `${run.kind.toLowerCase()}.tekton.dev/${run.metadata.name}: ${c?.reason ?? 'Unknown'}${c?.message ? ` (${c.message})` : ''}${results}${skipped}\n`;
}
