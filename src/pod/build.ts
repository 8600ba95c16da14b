// build.ts: TaskRun + substituted TaskSpec → the V1Pod Kubernetes would get (pkg/pod/pod.go Build,
// with workspace.Apply first as the TaskRun reconciler does; TEKTON-FACTS §2).
import type { V1Container, V1ObjectMeta, V1Pod, V1Volume } from '@kubernetes/client-node';
import type { Sidecar, Step, TaskRun, TaskSpec } from '../api/index.ts';
import { mergeStepsWithStepTemplate, TektonLabel } from '../api/index.ts';
import { formatGoDuration, parseGoDuration } from '../duration/index.ts';
import { FieldError, cleanPath } from '../validation/index.ts';
import { applyWorkspaceMounts, type ResolvedWorkspaceVolumes } from '../workspaces/index.ts';
import { sidecarToContainer, stepToContainer } from './containers.ts';
import { orderContainers } from './entrypoint-args.ts';
import { withPlatformCommands, type ResolvedEntrypoints } from './entrypoint-lookup.ts';
import { applyTaskLevelComputeResources, mergeWithSpecs } from './merge.ts';
import { podName, restrictLength, sidecarContainerName, stepContainerName } from './names.ts';
import { appendPodTemplateEnv, podTemplateSpecFields } from './pod-template.ts';
import { convertScripts } from './scripts.ts';
import * as vol from './volumes.ts';

/** PodBuildOptions are the controller settings and images the Pod depends on. */
export interface PodBuildOptions {
  /** entrypointImage runs the prepare init container; its entrypoint lives at /ko-app/entrypoint. */
  entrypointImage: string;
  /** shellImage runs place-scripts. */
  shellImage: string;
  /** workingDirInitImage runs /ko-app/workingdirinit; defaults to entrypointImage. */
  workingDirInitImage?: string;
  /** sidecarLogResultsImage runs the results sidecar in sidecar-logs mode; defaults to entrypointImage. */
  sidecarLogResultsImage?: string;
  awaitSidecarReadiness: boolean;
  runningInEnvironmentWithInjectedSidecars: boolean;
  resultsFromSidecarLogs: boolean;
  /** compressTerminationMessage is feature-flags' enable-termination-message-compression (alpha). */
  compressTerminationMessage?: boolean;
  /** sidecarLogPollingIntervalMs is config-defaults' default-sidecar-log-polling-interval (100ms). */
  sidecarLogPollingIntervalMs?: number;
  disableCredsInit: boolean;
  managedByLabelValue: string;
  releaseAnnotation?: string;
  /** randomSuffix returns 5 characters from bcdfghjklmnpqrstvwxz2456789 (script file names). */
  randomSuffix(): string;
  defaultForbiddenEnv?: string[];
  /** entrypoints are the looked-up images of command-less steps (lookupStepEntrypoints), put in TEKTON_PLATFORM_COMMANDS. */
  entrypoints?: ResolvedEntrypoints;
}

const MAX_ACTIVE_DEADLINE_SECONDS = 2147483647;
const RESULTS_SIDECAR = 'tekton-log-results';

/** buildPod turns a TaskRun whose spec is already substituted into the V1Pod Kubernetes would get (TEKTON-FACTS §2). */
export function buildPod(taskRun: TaskRun, taskSpec: TaskSpec, workspaces: ResolvedWorkspaceVolumes, options: PodBuildOptions): { pod: V1Pod } | { error: FieldError } {
  const ts = applyWorkspaceMounts(taskSpec, workspaces);
  const stepsIn = ts.steps ?? [];
  const mountErr = FieldError.merge(...stepsIn.map((s, i) => vol.validateStepMounts(s.volumeMounts)?.viaFieldIndex('steps', i)));
  if (mountErr) return { error: mountErr };

  let steps = mergeStepsWithStepTemplate(ts.stepTemplate, stepsIn);
  steps = mergeWithSpecs(steps, taskRun.spec.stepSpecs);
  steps = applyTaskLevelComputeResources(steps, taskRun.spec.computeResources);
  // pkg/pod/pod.go: the results sidecar is added when the Task declares results or a step writes artifacts.
  const sidecarLogs = options.resultsFromSidecarLogs && (ts.results !== undefined || steps.some(artifactsPathReferenced));
  const commonArgs = sidecarLogs ? ['-result_from', 'sidecar-logs'] : [];
  // pkg/pod/pod.go: compression only when results travel in the termination message.
  if (options.compressTerminationMessage && !options.resultsFromSidecarLogs) commonArgs.push('-compress_termination_message=true');
  const sidecarsIn: Sidecar[] = [...(ts.sidecars ?? []), ...(sidecarLogs ? [resultsSidecar(ts, steps, options)] : [])];
  const sidecars = mergeWithSpecs(sidecarsIn, taskRun.spec.sidecarSpecs);

  const volumes: V1Volume[] = vol.implicitVolumes();
  const initContainers: V1Container[] = [prepareContainer(options.entrypointImage, steps)];
  const scripts = convertScripts(
    options.shellImage,
    steps.map((s) => ({ container: stepToContainer(s), script: s.script })),
    sidecars.map((s) => ({ container: sidecarToContainer(s), script: s.script })),
    options.randomSuffix,
  );
  if (scripts.placeScripts) {
    initContainers.push(scripts.placeScripts);
    volumes.push(vol.scriptsVolume());
  }
  const wdInit = workingDirInit(options.workingDirInitImage ?? options.entrypointImage, scripts.steps);
  if (wdInit) initContainers.push(wdInit);

  const readyImmediately = isPodReadyImmediately(options, sidecars.length);
  // pod.go resolves entrypoints after converting scripts, before ordering the containers.
  const resolvedSteps = withPlatformCommands(scripts.steps, options.entrypoints);
  const ordered = orderContainers(commonArgs, resolvedSteps, steps, ts.results, !readyImmediately);
  if ('error' in ordered) return ordered;
  volumes.push(vol.binVolume());
  if (!readyImmediately) volumes.push(vol.downwardVolume());

  const withEnv = appendPodTemplateEnv(ordered.containers, taskRun.spec.podTemplate, options.defaultForbiddenEnv);
  const stepContainers = withEnv.map((c, i) => {
    const mounts = [...(c.volumeMounts ?? [])];
    if (!options.disableCredsInit) {
      volumes.push(vol.credsInitVolume(i));
      mounts.push(vol.credsInitMount(i));
    }
    volumes.push(vol.runVolume(i));
    for (let j = 0; j < withEnv.length; j++) mounts.push(vol.runMount(j, i !== j));
    const volumeMounts = vol.addImplicitMounts(mounts, [vol.binROMount(), ...vol.implicitVolumeMounts()]);
    return { ...c, name: stepContainerName(steps[i].name, i), volumeMounts };
  });
  const sidecarContainers = scripts.sidecars.map((c) => {
    const sc = { ...c, name: sidecarContainerName(c.name || undefined) };
    if (!sidecarLogs) return sc;
    // The results sidecar (and every sidecar, as Tekton does) reads /tekton/results and /tekton/run.
    const runs = stepContainers.map((_, j) => vol.runMount(j, true));
    return { ...sc, volumeMounts: vol.addImplicitMounts([...(c.volumeMounts ?? []), ...runs], [vol.binROMount(), ...vol.implicitVolumeMounts()]) };
  });

  volumes.push(...((ts.volumes ?? []) as V1Volume[]), ...((taskRun.spec.podTemplate?.volumes ?? []) as unknown as V1Volume[]));
  const volErr = vol.validateVolumes(volumes);
  if (volErr) return { error: volErr };

  const pod: V1Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: podMetadata(taskRun, options, readyImmediately),
    spec: {
      ...podTemplateSpecFields(taskRun.spec.podTemplate),
      restartPolicy: 'Never',
      initContainers,
      containers: [...stepContainers, ...sidecarContainers],
      ...(taskRun.spec.serviceAccountName !== undefined && { serviceAccountName: taskRun.spec.serviceAccountName }),
      volumes: structuredClone(volumes),
      activeDeadlineSeconds: activeDeadlineSeconds(taskRun.spec.timeout),
    },
  };
  return { pod };
}

function podMetadata(tr: TaskRun, options: PodBuildOptions, readyImmediately: boolean): V1ObjectMeta {
  const name = tr.metadata.name ?? '';
  const annotations: Record<string, string> = { ...tr.metadata.annotations };
  delete annotations[TektonLabel.ManagedBy];
  annotations[TektonLabel.Release] = options.releaseAnnotation ?? 'devel';
  if (readyImmediately) annotations[TektonLabel.Ready] = 'READY';
  return {
    name: podName(name, tr.status?.retriesStatus?.length ?? 0),
    namespace: tr.metadata.namespace,
    labels: {
      ...tr.metadata.labels,
      [TektonLabel.TaskRun]: name,
      [TektonLabel.TaskRunUID]: tr.metadata.uid ?? '',
      [TektonLabel.ManagedBy]: options.managedByLabelValue,
    },
    annotations,
    ownerReferences: [
      {
        apiVersion: 'tekton.dev/v1',
        kind: 'TaskRun',
        name,
        uid: tr.metadata.uid ?? '',
        controller: true,
        blockOwnerDeletion: true,
      },
    ],
  };
}

// prepare copies the entrypoint to /tekton/bin and links /tekton/steps/<name> → /tekton/run/<i>/status.
function prepareContainer(image: string, steps: Step[]): V1Container {
  return {
    name: 'prepare',
    image,
    workingDir: '/',
    command: ['/ko-app/entrypoint', 'init', '/ko-app/entrypoint', vol.ENTRYPOINT_BINARY, ...steps.map((s, i) => (s.name ? `step-${s.name}` : `step-unnamed-${i}`))],
    volumeMounts: [vol.binMount(), vol.internalStepsMount()],
  };
}

// working-dir-initializer creates relative or /workspace/-rooted workingDirs (sorted, unique, cleaned).
function workingDirInit(image: string, steps: V1Container[]): V1Container | undefined {
  const dirs = [...new Set(steps.map((s) => s.workingDir).filter((d): d is string => !!d))].sort();
  const relative = dirs.map(cleanPath).filter((p) => !p.startsWith('/') || p.startsWith('/workspace/'));
  if (relative.length === 0) return undefined;
  return {
    name: 'working-dir-initializer',
    image,
    command: ['/ko-app/workingdirinit'],
    args: relative,
    workingDir: '/workspace',
    volumeMounts: vol.implicitVolumeMounts(),
  };
}

// isPodReadyImmediately: with sidecars (or possibly injected ones) step 0 waits for tekton.dev/ready.
function isPodReadyImmediately(options: PodBuildOptions, sidecars: number): boolean {
  if (sidecars > 0 || options.runningInEnvironmentWithInjectedSidecars) return !options.awaitSidecarReadiness;
  return true;
}

/** RESULTS_SIDECAR_COMMAND is Tekton's results binary; executors run the entrypoint bundle's multi-call name for it. */
const RESULTS_SIDECAR_COMMAND = '/ko-app/sidecarlogresults';

/** resultsSidecar is createResultsSidecar: result names, artifact-producing steps, each step's result names. */
function resultsSidecar(ts: TaskSpec, steps: Step[], options: PodBuildOptions): Sidecar {
  const names = (ts.results ?? []).map((r) => r.name).join(',');
  // Tekton names steps here with StepName (not length-restricted), as the sidecar's result keys do.
  const stepName = (s: Step, i: number) => (s.name ? `step-${s.name}` : `step-unnamed-${i}`);
  const artifactSteps = steps.filter(artifactsPathReferenced).map((s) => restrictLength(`step-${s.name ?? ''}`));
  const stepResults: Record<string, string[]> = {};
  steps.forEach((s, i) => {
    if (s.results?.length) stepResults[stepName(s, i)] = s.results.map((r) => r.name);
  });
  return {
    name: RESULTS_SIDECAR,
    image: options.sidecarLogResultsImage ?? options.entrypointImage,
    command: [
      RESULTS_SIDECAR_COMMAND,
      '-results-dir',
      '/tekton/results',
      '-result-names',
      names,
      '-step-names',
      artifactSteps.join(','),
      '-step-results',
      JSON.stringify(stepResults),
    ],
    env: [{ name: 'SIDECAR_LOG_POLLING_INTERVAL', value: formatGoDuration(options.sidecarLogPollingIntervalMs ?? 100) }],
  };
}

/** artifactsPathReferenced: a step's script, args, command or env mention its provenance.json (artifactPathReferencedInStep). */
function artifactsPathReferenced(step: Step): boolean {
  const resolved = `/tekton/steps/${restrictLength(`step-${step.name ?? ''}`)}/artifacts/provenance.json`;
  const texts = [step.script ?? '', ...(step.args ?? []), ...(step.command ?? []), ...(step.env ?? []).map((e) => e.value ?? '')];
  return texts.some((t) => t.includes(resolved) || t.includes('$(step.artifacts.path)'));
}

// activeDeadlineSeconds = timeout × 1.5 (truncated); no timeout (0) → MaxInt32; unset → 1h default.
function activeDeadlineSeconds(timeout: string | undefined): number {
  const d = parseGoDuration(timeout ?? '1h');
  const ms = d.ok ? d.ms : 3600_000;
  if (ms === 0) return MAX_ACTIVE_DEADLINE_SECONDS;
  return Math.trunc((ms / 1000) * 1.5);
}
