// run-main.ts: the Pod's containers after its init containers: sidecars and steps started all at once
// (steps ordered only by the entrypoint's wait/post files), each marked ready as its readiness probe
// passes, until every one has ended; a container whose image the controller changed (Tekton's nop
// image for sidecars, ../pod/updates.ts) is killed and reads as the nop container's exit.
import type { V1Container, V1ContainerState } from '@kubernetes/client-node';
import type { PodRunOptions } from '../executor.ts';
import type { PodmanCli } from './cli.ts';
import type { ContainerRole } from './images.ts';
import { planContainer, type ContainerPlan, type PodContext } from './plan.ts';
import { nodeRuntime } from './node-runtime.ts';
import { waitSidecarReady } from './readiness.ts';
import { runContainer } from './run-container.ts';
import { terminated, type StatusBook } from './status.ts';

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
  // The controller stops a container by changing its image (run-pod.ts follows the Pod's updates).
  const stops = ctx.stops;
  const start = (p: Planned, stop: AbortSignal, onEnd: (s: V1ContainerState) => V1ContainerState) =>
    startOne(p, AbortSignal.any([options.signal, stop]), cli, book, options, report).then((s) => {
      const end = onEnd(s);
      if (end !== s || !stops.get(p.c.name)?.signal.aborted || options.signal.aborted) book.set(p.c.name, end);
      else book.replacedByNop(p.c.name, s, new Date());
      report();
      return s;
    });
  const sidecars = planned.filter((p) => p.role === 'sidecar');
  const steps = planned.filter((p) => p.role !== 'sidecar');
  const sidecarRuns = sidecars.map((p) => start(p, stops.get(p.c.name)!.signal, (s) => s));
  void probeSidecars(ctx, sidecars, cli, book, report, () => options.signal.aborted);
  // A step the runtime could not start never writes its post file: the steps after it would wait forever.
  const stepRuns = steps.map((p) =>
    start(p, AbortSignal.any([stopSteps.signal, stops.get(p.c.name)!.signal]), (s) => {
      if (s.terminated?.reason === 'StartError' && p.role === 'step') stopSteps.abort();
      return s;
    }),
  );
  await Promise.all([...stepRuns, ...sidecarRuns]);
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

// The kubelet's prober: a sidecar is Ready once running and its readinessProbe (if any) passes;
// the controller reads that (SidecarsReady) and sets `tekton.dev/ready`.
async function probeSidecars(ctx: PodContext, sidecars: Planned[], cli: PodmanCli, book: StatusBook, report: () => void, stopped: () => boolean): Promise<void> {
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
}
