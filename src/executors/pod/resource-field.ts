// resource-field.ts: a resourceFieldRef's value (env, downwardAPI files) as the kubelet computes it: the
// container's limit or request in units of the divisor, rounded up (pkg/api/v1/resource/helpers.go,
// ExtractContainerResourceValue); a limit not set is the node's allocatable, here this machine's CPUs,
// memory and root file system (pkg/kubelet/kubelet_resources.go, defaultPodLimitsForDownwardAPI).
import { statfsSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import type { V1Container, V1Pod, V1ResourceFieldSelector } from '@kubernetes/client-node';
import { parseQuantity } from '../../pod/index.ts';

/** resourceFieldValue is the value of ref for container (or the Pod's container ref.containerName), or the kubelet's error. */
export function resourceFieldValue(ref: V1ResourceFieldSelector, pod: V1Pod, container?: V1Container): string | { error: string } {
  const all = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  const c = ref.containerName ? all.find((x) => x.name === ref.containerName) : container;
  if (!c) return { error: `container ${ref.containerName} not found` };
  const field = /^(limits|requests)\.(cpu|memory|ephemeral-storage)$/.exec(ref.resource);
  if (!field) return { error: `unsupported container resource : ${ref.resource}` };
  const [, kind, name] = field;
  const limit = c.resources?.limits?.[name];
  // The API server defaults a request not set to the limit (pkg/apis/core/v1/defaults.go).
  const set = kind === 'limits' ? limit : (c.resources?.requests?.[name] ?? limit);
  const value = set !== undefined ? (parseQuantity(String(set))?.value ?? 0) : kind === 'limits' ? nodeAllocatable(name) : 0;
  const divisor = (ref.divisor !== undefined && parseQuantity(String(ref.divisor))?.value) || 1;
  // CPU is counted in milli-units, the others in whole units, each rounded up as Quantity does.
  const units = name === 'cpu' ? (q: number) => ceil(q * 1000) : ceil;
  return String(Math.ceil(units(value) / units(divisor)));
}

/** ceil rounds up, forgiving the float error of a product such as 0.1 * 1000. */
function ceil(q: number): number {
  return Math.ceil(q - 1e-6);
}

function nodeAllocatable(name: string): number {
  if (name === 'cpu') return availableParallelism();
  if (name === 'memory') return totalmem();
  const fs = statfsSync('/');
  return fs.blocks * fs.bsize;
}
