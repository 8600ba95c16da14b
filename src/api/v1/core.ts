// core.ts: the Kubernetes core objects a run may need from the same files.
import { z } from 'zod';
import { Loose, ObjectMeta } from './meta.ts';

/** ConfigMap is core/v1 ConfigMap (also carries feature-flags and config-defaults). */
export const ConfigMap = z.strictObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('ConfigMap'),
  metadata: ObjectMeta,
  data: z.record(z.string(), z.string()).optional(),
  binaryData: z.record(z.string(), z.string()).optional(),
  immutable: z.boolean().optional(),
});
export type ConfigMap = z.infer<typeof ConfigMap>;

/** Secret is core/v1 Secret; `data` is base64, `stringData` plain. */
export const Secret = z.strictObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('Secret'),
  metadata: ObjectMeta,
  type: z.string().optional(),
  data: z.record(z.string(), z.string()).optional(),
  stringData: z.record(z.string(), z.string()).optional(),
  immutable: z.boolean().optional(),
});
export type Secret = z.infer<typeof Secret>;

/** PersistentVolumeClaim is core/v1 PVC; on the host it is a named directory in the state dir. */
export const PersistentVolumeClaim = z.strictObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('PersistentVolumeClaim'),
  metadata: ObjectMeta,
  spec: Loose.optional(),
  status: Loose.optional(),
});
export type PersistentVolumeClaim = z.infer<typeof PersistentVolumeClaim>;

/** ServiceAccount is core/v1 ServiceAccount (recorded; credentials come from its secrets). */
export const ServiceAccount = z.strictObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('ServiceAccount'),
  metadata: ObjectMeta,
  secrets: z.array(Loose).optional(),
  imagePullSecrets: z.array(Loose).optional(),
  automountServiceAccountToken: z.boolean().optional(),
});
export type ServiceAccount = z.infer<typeof ServiceAccount>;

const ResourceList = z.record(z.string(), z.union([z.string(), z.number()]));

/** LimitRange is core/v1 LimitRange: its `Container` limits shape step, sidecar and init container resources. */
export const LimitRange = z.strictObject({
  apiVersion: z.literal('v1'),
  kind: z.literal('LimitRange'),
  metadata: ObjectMeta,
  spec: z
    .strictObject({
      limits: z.array(
        z.strictObject({
          type: z.string(),
          max: ResourceList.optional(),
          min: ResourceList.optional(),
          default: ResourceList.optional(),
          defaultRequest: ResourceList.optional(),
          maxLimitRequestRatio: ResourceList.optional(),
        }),
      ),
    })
    .optional(),
});
export type LimitRange = z.infer<typeof LimitRange>;

/**
 * OtherObject is any other Kubernetes object in the files (RBAC, quotas, CRDs...): kubectl would
 * apply it, Tektite stores it as written and does not use it.
 */
export const OtherObject = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: ObjectMeta,
});
export type OtherObject = z.infer<typeof OtherObject>;
