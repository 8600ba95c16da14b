// containers.ts: Step and Sidecar as Kubernetes containers (v1 Step.ToK8sContainer / Sidecar.ToK8sContainer):
// only container fields are kept; Tekton-only fields (script, timeout, onError, ...) are dropped.
import type { V1Container } from '@kubernetes/client-node';
import type { Sidecar, Step } from '../api/index.ts';

const STEP_FIELDS = ['name', 'image', 'command', 'args', 'workingDir', 'env', 'envFrom', 'volumeMounts', 'volumeDevices', 'imagePullPolicy', 'securityContext'] as const;
const SIDECAR_FIELDS = [
  ...STEP_FIELDS,
  'ports',
  'livenessProbe',
  'readinessProbe',
  'startupProbe',
  'lifecycle',
  'terminationMessagePath',
  'terminationMessagePolicy',
  'stdin',
  'stdinOnce',
  'tty',
  'restartPolicy',
] as const;

/** stepToContainer converts a (merged) step to a container; computeResources becomes resources. */
export function stepToContainer(step: Step): V1Container {
  return toContainer(step as Record<string, unknown>, STEP_FIELDS);
}

/** sidecarToContainer converts a sidecar to a container. */
export function sidecarToContainer(sidecar: Sidecar): V1Container {
  return toContainer(sidecar as Record<string, unknown>, SIDECAR_FIELDS);
}

function toContainer(src: Record<string, unknown>, fields: readonly string[]): V1Container {
  const out: Record<string, unknown> = { name: src.name ?? '' };
  for (const f of fields) if (src[f] !== undefined && f !== 'name') out[f] = structuredClone(src[f]);
  if (src.computeResources !== undefined) out.resources = structuredClone(src.computeResources);
  return out as unknown as V1Container;
}
