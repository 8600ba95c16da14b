// meta.ts: ObjectMeta and the loose Kubernetes core shapes that Tekton specs embed.
import { z } from 'zod';

const StringMap = z.record(z.string(), z.string());

/** ObjectMeta is Kubernetes' metav1.ObjectMeta; every field Kubernetes knows is accepted. */
export const ObjectMeta = z.strictObject({
  name: z.string().optional(),
  generateName: z.string().optional(),
  namespace: z.string().optional(),
  selfLink: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: z.number().optional(),
  creationTimestamp: z.string().nullable().optional(),
  deletionTimestamp: z.string().optional(),
  deletionGracePeriodSeconds: z.number().optional(),
  labels: StringMap.optional(),
  annotations: StringMap.optional(),
  ownerReferences: z.array(z.looseObject({})).optional(),
  finalizers: z.array(z.string()).optional(),
  managedFields: z.array(z.looseObject({})).optional(),
});
export type ObjectMeta = z.infer<typeof ObjectMeta>;

/** EmbeddedMeta is the labels/annotations-only metadata of embedded specs (PipelineTaskMetadata). */
export const EmbeddedMeta = z.strictObject({ labels: StringMap.optional(), annotations: StringMap.optional() });

// Kubernetes core types Tekton embeds unchanged. They are checked by Kubernetes' own schema,
// not Tekton's webhook, so we keep them loose and type the fields we read.
export const EnvVar = z.strictObject({
  name: z.string(),
  value: z.string().optional(),
  valueFrom: z.looseObject({}).optional(),
});
export type EnvVar = z.infer<typeof EnvVar>;

export const VolumeMount = z.strictObject({
  name: z.string(),
  mountPath: z.string(),
  readOnly: z.boolean().optional(),
  subPath: z.string().optional(),
  subPathExpr: z.string().optional(),
  mountPropagation: z.string().optional(),
  recursiveReadOnly: z.string().optional(),
});
export type VolumeMount = z.infer<typeof VolumeMount>;

export const ResourceRequirements = z.strictObject({
  limits: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  requests: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  claims: z.array(z.looseObject({})).optional(),
});
export type ResourceRequirements = z.infer<typeof ResourceRequirements>;

const KeyToPath = z.looseObject({ key: z.string(), path: z.string() });

/** ConfigMapVolumeSource is core/v1's, for volumes and workspaces. */
export const ConfigMapVolumeSource = z.looseObject({
  name: z.string().optional(),
  items: z.array(KeyToPath).optional(),
  defaultMode: z.number().optional(),
  optional: z.boolean().optional(),
});

/** SecretVolumeSource is core/v1's, for volumes and workspaces. */
export const SecretVolumeSource = z.looseObject({
  secretName: z.string().optional(),
  items: z.array(KeyToPath).optional(),
  defaultMode: z.number().optional(),
  optional: z.boolean().optional(),
});

/** Volume is a Kubernetes core/v1 Volume; the sources we materialise are typed. */
export const Volume = z.looseObject({
  name: z.string(),
  emptyDir: z.looseObject({ medium: z.string().optional(), sizeLimit: z.union([z.string(), z.number()]).optional() }).optional(),
  configMap: ConfigMapVolumeSource.optional(),
  secret: SecretVolumeSource.optional(),
  persistentVolumeClaim: z.looseObject({ claimName: z.string(), readOnly: z.boolean().optional() }).optional(),
  hostPath: z.looseObject({ path: z.string(), type: z.string().optional() }).optional(),
  projected: z.looseObject({}).optional(),
  csi: z.looseObject({}).optional(),
});
export type Volume = z.infer<typeof Volume>;

/** Loose is any Kubernetes object we pass through untouched (securityContext, probes, affinity...). */
export const Loose = z.looseObject({});

/** Condition is knative's apis.Condition as Tekton reports it. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  severity?: string;
}
