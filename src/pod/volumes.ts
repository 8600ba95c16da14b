// volumes.ts: the implicit volumes and mounts every TaskRun Pod has (pkg/pod/pod.go, entrypoint.go,
// script.go, creds_init.go; TEKTON-FACTS §2.4) and the checks on user volumes.
import type { V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import { FieldError, cleanPath } from '../validation/index.ts';

/** BIN_DIR holds the entrypoint binary copied by the prepare init container. */
export const BIN_DIR = '/tekton/bin';
export const ENTRYPOINT_BINARY = `${BIN_DIR}/entrypoint`;
export const RUN_DIR = '/tekton/run';
export const SCRIPTS_DIR = '/tekton/scripts';
export const DOWNWARD_DIR = '/tekton/downward';
export const TERMINATION_PATH = '/tekton/termination';
export const CREDS_DIR = '/tekton/creds';

const emptyDir = (name: string): V1Volume => ({ name, emptyDir: {} });

/** implicitVolumes are added first, so user volumes of the same path can hide their mounts. */
export const implicitVolumes = (): V1Volume[] =>
  ['tekton-internal-workspace', 'tekton-internal-home', 'tekton-internal-results', 'tekton-internal-steps', 'tekton-internal-artifacts'].map(emptyDir);

/** implicitVolumeMounts go into every step that has no mount at the same path (bin is read-only there). */
export const implicitVolumeMounts = (): V1VolumeMount[] => [
  { name: 'tekton-internal-workspace', mountPath: '/workspace' },
  { name: 'tekton-internal-home', mountPath: '/tekton/home' },
  { name: 'tekton-internal-results', mountPath: '/tekton/results' },
  { name: 'tekton-internal-steps', mountPath: '/tekton/steps', readOnly: true },
  { name: 'tekton-internal-artifacts', mountPath: '/tekton/artifacts' },
];

export const binVolume = (): V1Volume => emptyDir('tekton-internal-bin');
export const binMount = (): V1VolumeMount => ({ name: 'tekton-internal-bin', mountPath: BIN_DIR });
export const binROMount = (): V1VolumeMount => ({ name: 'tekton-internal-bin', mountPath: BIN_DIR, readOnly: true });
export const internalStepsMount = (): V1VolumeMount => ({ name: 'tekton-internal-steps', mountPath: '/tekton/steps' });
export const scriptsVolume = (): V1Volume => emptyDir('tekton-internal-scripts');
export const scriptsMount = (readOnly: boolean): V1VolumeMount =>
  readOnly ? { name: 'tekton-internal-scripts', mountPath: SCRIPTS_DIR, readOnly: true } : { name: 'tekton-internal-scripts', mountPath: SCRIPTS_DIR };

/** downwardVolume projects the `tekton.dev/ready` annotation into /tekton/downward/ready. */
export const downwardVolume = (): V1Volume => ({
  name: 'tekton-internal-downward',
  downwardAPI: { items: [{ path: 'ready', fieldRef: { fieldPath: "metadata.annotations['tekton.dev/ready']" } }] },
});
export const downwardMount = (): V1VolumeMount => ({ name: 'tekton-internal-downward', mountPath: DOWNWARD_DIR, readOnly: true });

/** runVolume i is step i's private state (/tekton/run/<i>): read-write for step i only. */
export const runVolume = (i: number): V1Volume => emptyDir(`tekton-internal-run-${i}`);
export const runMount = (i: number, readOnly: boolean): V1VolumeMount =>
  readOnly ? { name: `tekton-internal-run-${i}`, mountPath: `${RUN_DIR}/${i}`, readOnly: true } : { name: `tekton-internal-run-${i}`, mountPath: `${RUN_DIR}/${i}` };

/** credsInitVolume is step i's fresh in-memory /tekton/creds (getCredsInitVolume). */
export const credsInitVolume = (i: number): V1Volume => ({ name: `tekton-creds-init-home-${i}`, emptyDir: { medium: 'Memory' } });
export const credsInitMount = (i: number): V1VolumeMount => ({ name: `tekton-creds-init-home-${i}`, mountPath: CREDS_DIR });

/** addImplicitMounts appends the mounts whose (cleaned) path the container does not mount yet. */
export function addImplicitMounts(mounts: V1VolumeMount[], implicit: V1VolumeMount[]): V1VolumeMount[] {
  const taken = new Set(mounts.map((m) => cleanPath(m.mountPath)));
  return [...mounts, ...implicit.filter((m) => !taken.has(cleanPath(m.mountPath))).map((m) => ({ ...m }))];
}

/** validateVolumes rejects duplicate volume names (v1.ValidateVolumes). */
export function validateVolumes(volumes: V1Volume[]): FieldError | undefined {
  const seen = new Set<string>();
  let errs: FieldError | undefined;
  volumes.forEach((v, i) => {
    if (seen.has(v.name)) errs = FieldError.merge(errs, FieldError.of(`multiple volumes with same name ${JSON.stringify(v.name)}`, ['name']).viaIndex(i));
    seen.add(v.name);
  });
  return errs;
}

/** validateStepMounts rejects user mounts under /tekton/ (except /tekton/home) and tekton-internal- names. */
export function validateStepMounts(mounts: { name: string; mountPath: string }[] | undefined): FieldError | undefined {
  let errs: FieldError | undefined;
  (mounts ?? []).forEach((m, j) => {
    if (m.mountPath.startsWith('/tekton/') && !m.mountPath.startsWith('/tekton/home')) {
      const msg = `volumeMount cannot be mounted under /tekton/ (volumeMount ${JSON.stringify(m.name)} mounted at ${JSON.stringify(m.mountPath)})`;
      errs = FieldError.merge(errs, FieldError.of(msg, ['mountPath']).viaFieldIndex('volumeMounts', j));
    }
    if (m.name.startsWith('tekton-internal-')) {
      const msg = `volumeMount name ${JSON.stringify(m.name)} cannot start with "tekton-internal-"`;
      errs = FieldError.merge(errs, FieldError.of(msg, ['name']).viaFieldIndex('volumeMounts', j));
    }
  });
  return errs;
}
