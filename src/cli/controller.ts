// controller.ts: `tektite controller`: this process's control plane (the TaskRun and PipelineRun
// controllers and a kubelet) over a state dir until SIGTERM/SIGINT. It takes over what other
// processes left (runs applied with `tektite apply`, runs of a `tektite run` that was killed) and
// on SIGTERM drains: it starts nothing new, lets the Pods it runs finish, and leaves every other
// run in the store for the next controller.
import { resolve } from 'node:path';
import { buildConfig } from '../config/index.ts';
import type { Executor } from '../executors/index.ts';
import type { RunEvent } from '../reconciler/index.ts';
import type { ObjectStore } from '../store/index.ts';
import { storedConfig } from './apply.ts';
import { loadExecutor, type ExecutorName } from './engine.ts';
import { startLocalEngine } from './local-engine.ts';
import { fieldErrorLines } from './objects.ts';
import type { CommandIO } from './run.ts';
import { withStore } from './state.ts';

/** ControllerOptions are the parsed flags of `tektite controller`. */
export interface ControllerOptions {
  executor: ExecutorName;
  stateDir: string;
  featureFlags: Record<string, string>;
  defaults: Record<string, string>;
  imageMap: Record<string, string>;
  parallel: number;
}

/** controllerCommand returns 0 after a clean drain, 2 on bad configuration, 74 when the state store cannot be used. */
export async function controllerCommand(opts: ControllerOptions, io: CommandIO): Promise<number> {
  const stateDir = resolve(opts.stateDir);
  const executor = await loadExecutor(opts.executor, opts.imageMap);
  if ('error' in executor) {
    io.stderr.write(`Error: ${executor.error}\n`);
    return 2;
  }
  return withStore(stateDir, io, (store) => control(store, stateDir, executor, opts, io));
}

async function control(store: ObjectStore, stateDir: string, executor: Executor, opts: ControllerOptions, io: CommandIO): Promise<number> {
  // Tekton reads its config from the feature-flags and config-defaults ConfigMaps; flags win.
  const stored = await storedConfig(store);
  const built = buildConfig([...stored.featureFlags, opts.featureFlags], [...stored.defaults, opts.defaults]);
  if (built.error) {
    io.stderr.write(
      `Error: invalid configuration:\n${fieldErrorLines(built.error, undefined, 'config')
        .map((l) => `  ${l}`)
        .join('\n')}\n`,
    );
    return 2;
  }
  const warned = new Set<string>();
  const emit = (e: RunEvent) => {
    // Once per message: every Pod on the host says "images are ignored".
    if (e.type !== 'warning' || warned.has(e.message)) return;
    warned.add(e.message);
    io.stderr.write(`Warning: ${e.message}\n`);
  };
  const engine = startLocalEngine({ store, stateDir, executor, config: built.config, imageMap: opts.imageMap, parallel: opts.parallel, emit });
  await Promise.all([engine.controllers.synced, engine.kubelet.synced]);
  io.stderr.write(`tektite controller: watching ${stateDir} on ${executor.name} as ${engine.kubelet.nodeName} (SIGTERM drains)\n`);
  await new Promise<void>((r) => (io.signal.aborted ? r() : io.signal.addEventListener('abort', () => r(), { once: true })));
  io.stderr.write('tektite controller: draining: no new Pods; waiting for running ones\n');
  await engine.kubelet.drain();
  await engine.stop();
  return 0;
}
