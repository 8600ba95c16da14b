// run-main.ts: the Pod's containers after its init containers: sidecars and steps started all at once
// (steps ordered only by the entrypoint's wait/post files), the downward `ready` file written once
// every sidecar is ready, and sidecars killed once the last step has terminated.
import type { V1Container, V1ContainerState } from '@kubernetes/client-node';
import type { PodRunOptions } from '../executor.ts';
import type { PodmanCli } from './cli.ts';
import type { ContainerRole } from './images.ts';
import { planContainer, type ContainerPlan, type PodContext } from './plan.ts';
import { nodeRuntime } from './node-runtime.ts';
import { waitSidecarReady } from './readiness.ts';
import { runContainer } from './run-container.ts';
import { terminated, type StatusBook } from './status.ts';

/** READY_ANNOTATION is the annotation Tekton's controller sets once sidecars are ready; step 0 waits for its downward file. */
const READY_ANNOTATION = 'tekton.dev/ready';

type Planned = { c: V1Container; role: ContainerRole; plan: ContainerPlan };

/** runMainContainers runs sidecars and steps to the end of the last step, then stops the sidecars. */
export async function runMainContainers(
  ctx: PodContext,
  entries: Array<{ c: V1Container; role: ContainerRole; image: string }>,
  book: StatusBook,
  cli: PodmanCli,
  options: PodRunOptions,
  report: () => void,
): Promise<void> {
  const planned: Planned[] = entries.map(({ c, role, image }) => ({ c, role, plan: planContainer(ctx, c, role, image) }));
  const config = planned.find((p) => 'error' in p.plan && p.plan.reason === 'CreateContainerConfigError');
  if (config && 'error' in config.plan) {
    book.set(config.c.name, { waiting: { reason: config.plan.reason, message: config.plan.error } });
    book.fail(config.plan.reason, config.plan.error);
    report();
    return;
  }
  const stopSteps = new AbortController();
  const stopSidecars = new AbortController();
  const sidecars = planned.filter((p) => p.role === 'sidecar');
  // The results sidecar (results-from=sidecar-logs) is awaited like a step: it prints the results once they end.
  const steps = planned.filter((p) => p.role !== 'sidecar');
  const start = (p: Planned, stop: AbortController, onEnd: (s: V1ContainerState) => V1ContainerState) =>
    startOne(p, AbortSignal.any([options.signal, stop.signal]), cli, book, options, report).then((s) => {
      book.set(p.c.name, onEnd(s));
      report();
      return s;
    });
  // Tekton stops sidecars by swapping in the nop image, which exits 0: a sidecar we killed reads the same.
  const sidecarRuns = sidecars.map((p) =>
    start(p, stopSidecars, (s) => (stopSidecars.signal.aborted && !options.signal.aborted ? terminated(0, s.terminated?.startedAt, new Date()) : s)),
  );
  if (sidecars.length === 0) markReady(ctx);
  else void whenSidecarsReady(ctx, sidecars, cli, book, report, () => stopSidecars.signal.aborted || options.signal.aborted);
  // A step the runtime could not start never writes its post file: the steps after it would wait forever.
  const stepRuns = steps.map((p) =>
    start(p, stopSteps, (s) => {
      if (s.terminated?.reason === 'StartError' && p.role === 'step') stopSteps.abort();
      return s;
    }),
  );
  await Promise.all(stepRuns);
  stopSidecars.abort();
  await Promise.all(sidecarRuns);
}

async function startOne(p: Planned, signal: AbortSignal, cli: PodmanCli, book: StatusBook, options: PodRunOptions, report: () => void): Promise<V1ContainerState> {
  if ('error' in p.plan) return terminated(128, undefined, new Date(), p.plan.error, 'StartError');
  const startedAt = new Date();
  book.set(p.c.name, { running: { startedAt } });
  if (p.role !== 'sidecar') book.setReady(p.c.name, true);
  report();
  const state = await runContainer({
    cli,
    container: p.c.name,
    podmanName: p.plan.podmanName,
    args: p.plan.args,
    terminationFile: p.plan.terminationFile,
    rootfsDirs: p.plan.rootfsDirs,
    signal,
    onLog: options.onLog,
  });
  book.setReady(p.c.name, false);
  return state;
}

// Tekton's SidecarsReady: every sidecar Running and Ready, or terminated; then the `ready` annotation is set.
async function whenSidecarsReady(ctx: PodContext, sidecars: Planned[], cli: PodmanCli, book: StatusBook, report: () => void, stopped: () => boolean): Promise<void> {
  const node = ctx.runtime?.node ?? nodeRuntime(undefined).node;
  await Promise.all(
    sidecars.map(async (p) => {
      if ('error' in p.plan) return;
      const ready = await waitSidecarReady(cli, p.plan.podmanName, p.c, node, () => stopped() || !!book.state(p.c.name)?.terminated);
      if (ready && book.state(p.c.name)?.running) {
        book.setReady(p.c.name, true);
        report();
      }
    }),
  );
  if (!stopped()) markReady(ctx);
}

function markReady(ctx: PodContext): void {
  ctx.meta.annotations[READY_ANNOTATION] = 'READY';
  ctx.volumes.refreshDownward(ctx.meta.annotations);
}
