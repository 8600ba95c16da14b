// names.ts: names Tekton gives a TaskRun's Pod, containers and script files
// (knative kmeta.ChildName, pkg/names RestrictLength*, pkg/pod StepName).
import { createHash } from 'node:crypto';

const LONGEST = 63;
const HEAD = LONGEST - 32; // md5 hex length

/** childName is knative's kmeta.ChildName: parent+suffix, md5-shortened to at most 63 characters. */
export function childName(parent: string, suffix: string): string {
  if (parent.length <= LONGEST - suffix.length) return parent + suffix;
  if (HEAD - suffix.length > 0) return parent.slice(0, HEAD - suffix.length) + md5(parent) + suffix;
  // The suffix alone is too long: hash everything, pad with the head of the suffix.
  let ret = parent.slice(0, HEAD) + md5(parent + suffix);
  if (LONGEST - ret.length > 0) ret += suffix.slice(0, LONGEST - ret.length);
  return ret.replace(/[^a-zA-Z0-9]+$/, '');
}

/** podName is `<taskRun>-pod`, or `<taskRun>-pod-retry<N>` for the N-th retry, via childName. */
export function podName(taskRunName: string, retries: number): string {
  return childName(taskRunName, retries > 0 ? `-pod-retry${retries}` : '-pod');
}

/** restrictLength truncates to 63 characters and strips trailing non-alphanumerics (names.RestrictLength). */
export function restrictLength(base: string): string {
  return base.slice(0, LONGEST).replace(/[^a-zA-Z0-9]+$/, '');
}

/** restrictLengthWithRandomSuffix is `<base[:57]>-<suffix>` (names.RestrictLengthWithRandomSuffix). */
export function restrictLengthWithRandomSuffix(base: string, randomSuffix: string): string {
  return `${base.slice(0, LONGEST - 6)}-${randomSuffix}`;
}

/** stepContainerName is `step-<name>` or `step-unnamed-<i>`, length-restricted. */
export function stepContainerName(name: string | undefined, i: number): string {
  return restrictLength(name ? `step-${name}` : `step-unnamed-${i}`);
}

/** sidecarContainerName is `sidecar-<name>` length-restricted (an unnamed sidecar becomes `sidecar`). */
export function sidecarContainerName(name: string | undefined): string {
  return restrictLength(`sidecar-${name ?? ''}`);
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}
