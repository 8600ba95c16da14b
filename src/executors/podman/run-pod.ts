// run-pod.ts: podman as a small kubelet for one V1Pod: volumes, images (fail fast), one podman pod
// when sidecars need a shared network namespace (else standalone containers: no pod, no infra
// container), init containers in order (prepare and working-dir-initializer done on the host), then
// sidecars and steps all at once, the controller's changes followed (downward files, containers whose
// image changed stopped), and everything removed (in the background) whatever happens.
import { randomBytes } from 'node:crypto';
import type { V1Container, V1Pod, V1PodStatus } from '@kubernetes/client-node';
import type { PodRunOptions } from '../executor.ts';
import { lastLine, type PodmanCli } from './cli.ts';
import { containerRole, imageResolver, type ContainerRole } from './images.ts';
import { nodeRuntime } from './node-runtime.ts';
import { planContainer, type PodContext } from './plan.ts';
import { podCreateArgs, removeInBackground, trackPod, type PodObjects } from './pod-lifecycle.ts';
import { prepareArgv, prepareOnHost } from './prepare.ts';
import { runContainer } from './run-container.ts';
import { statusBook, terminated, type StatusBook } from './status.ts';
import { setUpVolumes } from '../pod/index.ts';
import { initWorkingDirs } from './working-dirs.ts';
import { runMainContainers } from './run-main.ts';
import { followPodUpdates } from '../pod/updates.ts';

/** PodmanRunConfig is the executor's configuration for every Pod it runs. */
export interface PodmanRunConfig {
  cli: PodmanCli;
  imageMap: Record<string, string>;
  bundle: string | undefined;
  /** warned holds the warnings already given by this executor: each is given once, not once per Pod. */
  warned: Set<string>;
  /** knownImages are images this executor already found locally. */
  knownImages: Set<string>;
}

interface Entry {
  c: V1Container;
  role: ContainerRole;
  image: string;
}

/** runPodmanPod runs the Pod to completion and resolves with its final status; nothing of it is left in podman afterwards. */
export async function runPodmanPod(pod: V1Pod, options: PodRunOptions, config: PodmanRunConfig): Promise<V1PodStatus> {
  const book = statusBook(pod);
  const report = () => options.onStatus(book.snapshot());
  report();
  const setup = setUpVolumes(pod, options.workDir, options.volumes);
  if ('mountError' in setup) return waitAll(book, pod, 'CreateContainerConfigError', setup.mountError, report);
  const entries = await resolveImages(pod, book, config, options);
  if (!entries || options.signal.aborted) {
    report();
    return book.snapshot();
  }
  const objects: PodObjects = { key: `${pod.metadata?.name ?? 'pod'}-${randomBytes(4).toString('hex')}`, inPod: entries.main.some((e) => e.role === 'sidecar') };
  const ctx: PodContext = {
    pod,
    podmanPod: objects.key,
    inPod: objects.inPod,
    workDir: options.workDir,
    volumes: setup.volumes,
    sources: options.volumes,
    runtime: safeRuntime(config.bundle),
    hasBundle: config.bundle !== undefined,
    stops: new Map((pod.spec?.containers ?? []).map((c) => [c.name, new AbortController()])),
  };
  options.onPodmanObjects?.(objects.key);
  trackPod(config.cli, objects);
  const unfollow = followPodUpdates(pod, options.updates, {
    annotations: (annotations) => ctx.volumes.refreshDownward(annotations),
    imageChanged: (name) => ctx.stops.get(name)?.abort(),
  });
  try {
    const created = objects.inPod ? await config.cli.run(podCreateArgs(pod, objects.key)) : undefined;
    if (created && created.code !== 0) {
      book.fail('PodCreateFailed', `podman pod create failed: ${lastLine(created.stderr)}`);
      report();
      return book.snapshot();
    }
    if (await runInitContainers(ctx, entries.init, book, config.cli, options, report)) {
      await runMainContainers(ctx, entries.main, book, config.cli, options, report);
    }
    return book.snapshot();
  } finally {
    unfollow();
    // Every container has ended (runs are awaited, kills retried until `podman run` returns): removal
    // can no longer race a container being created, so it runs off the critical path.
    removeInBackground(config.cli, objects);
  }
}

// Every image is decided before anything starts, so a missing image fails the run within seconds.
async function resolveImages(pod: V1Pod, book: StatusBook, config: PodmanRunConfig, options: PodRunOptions): Promise<{ init: Entry[]; main: Entry[] } | undefined> {
  const resolver = imageResolver(config.cli, config.imageMap, config.knownImages);
  const decide = (c: V1Container, init: boolean) => {
    const role = containerRole(c, init);
    // Done on the host: no image is needed (the status still names the Pod's image).
    if (role === 'working-dir-initializer' || (role === 'prepare' && prepareArgv(c))) return Promise.resolve({ c, role, image: c.image ?? '' } as Entry);
    return resolver.resolve(c, role).then((d) => {
      if ('waiting' in d) {
        book.set(c.name, { waiting: d.waiting });
        return undefined;
      }
      if (d.warning && !config.warned.has(d.warning)) {
        config.warned.add(d.warning);
        options.onWarning(d.warning);
      }
      // A command-less step's image commands are in the Pod already (TEKTON_PLATFORM_COMMANDS, src/pod/entrypoint-lookup.ts).
      return { c, role, image: d.image } as Entry;
    });
  };
  const [init, main] = await Promise.all([
    Promise.all((pod.spec?.initContainers ?? []).map((c) => decide(c, true))),
    Promise.all((pod.spec?.containers ?? []).map((c) => decide(c, false))),
  ]);
  if (init.includes(undefined) || main.includes(undefined)) return undefined;
  return { init: init as Entry[], main: main as Entry[] };
}

// Init containers run one by one; the first failure stops the Pod (restartPolicy Never).
async function runInitContainers(ctx: PodContext, entries: Entry[], book: StatusBook, cli: PodmanCli, options: PodRunOptions, report: () => void): Promise<boolean> {
  for (const { c, role, image } of entries) {
    if (options.signal.aborted) return false;
    const startedAt = new Date();
    book.set(c.name, { running: { startedAt } });
    report();
    if (role === 'working-dir-initializer') {
      // The kubelet-side equivalent of /ko-app/workingdirinit: mkdir -p each dir in its mounted volume.
      initWorkingDirs(ctx, c);
      book.set(c.name, terminated(0, startedAt, new Date()));
      continue;
    }
    const argv = role === 'prepare' ? prepareArgv(c) : undefined;
    if (argv) {
      const done = prepareOnHost(ctx, c, argv);
      // The entrypoint logs its subcommand lines (or its error) to stderr.
      const lines = done.ok ? done.messages : [done.error];
      options.onLog({ container: c.name, stream: 'stderr', data: Buffer.from(lines.map((l) => `${l}\n`).join('')) });
      book.set(c.name, terminated(done.ok ? 0 : 1, startedAt, new Date()));
      report();
      if (!done.ok) return false;
      continue;
    }
    const plan = planContainer(ctx, c, role, image);
    if ('error' in plan) {
      book.set(c.name, plan.reason === 'StartError' ? terminated(128, undefined, new Date(), plan.error, 'StartError') : { waiting: { reason: plan.reason, message: plan.error } });
      if (plan.reason !== 'StartError') book.fail(plan.reason, plan.error);
      report();
      return false;
    }
    const state = await runContainer({
      cli,
      container: c.name,
      podmanName: plan.podmanName,
      args: plan.args,
      terminationFile: plan.terminationFile,
      rootfsDirs: plan.rootfsDirs,
      signal: options.signal,
      onLog: options.onLog,
    });
    book.set(c.name, state);
    report();
    if (state.terminated?.exitCode !== 0) return false;
  }
  return true;
}

function waitAll(book: StatusBook, pod: V1Pod, reason: string, message: string, report: () => void): V1PodStatus {
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) book.set(c.name, { waiting: { reason, message } });
  book.fail(reason, message);
  report();
  return book.snapshot();
}

// ldd missing or node unreadable must not crash the run: containers needing node then fail to start.
function safeRuntime(bundle: string | undefined) {
  try {
    return nodeRuntime(bundle);
  } catch {
    return undefined;
  }
}
