// kinds.ts: which apiVersion/kind pairs can be loaded, with the schema that decodes each.
import type { z } from 'zod';
import { ConfigMap, LimitRange, OtherObject, PersistentVolumeClaim, Pipeline, PipelineRun, Secret, ServiceAccount, Task, TaskRun } from '../v1/index.ts';
import type {
  ConfigMap as ConfigMapT,
  LimitRange as LimitRangeT,
  PersistentVolumeClaim as PVC,
  Pipeline as PipelineT,
  PipelineRun as PipelineRunT,
  Secret as SecretT,
  ServiceAccount as ServiceAccountT,
  Task as TaskT,
  TaskRun as TaskRunT,
} from '../v1/index.ts';
import { StepAction, v1beta1Schemas } from '../v1beta1/index.ts';
import type { StepAction as StepActionT } from '../v1beta1/index.ts';

/** TektonObject is any object the loader returns, always in its v1 form. */
export type TektonObject = TaskT | TaskRunT | PipelineT | PipelineRunT | ConfigMapT | SecretT | PVC | ServiceAccountT | StepActionT | LimitRangeT;

/** KindEntry is how one apiVersion/kind is decoded: its schema, and the v1 schema if it must be converted. */
export interface KindEntry {
  schema: z.ZodType;
  v1?: z.ZodType;
}

const TEKTON_V1: Record<string, z.ZodType> = { Task, TaskRun, Pipeline, PipelineRun };

/** beta is a v1beta1 entry whose schema is built when first asked for (v1beta1Schemas). */
function beta(schema: () => z.ZodType, v1: z.ZodType): KindEntry {
  return {
    get schema() {
      return schema();
    },
    v1,
  };
}

/** KINDS maps `apiVersion` then `kind` to its decoder; anything else is not registered. */
export const KINDS: Record<string, Record<string, KindEntry>> = {
  'tekton.dev/v1': Object.fromEntries(Object.entries(TEKTON_V1).map(([k, schema]) => [k, { schema }])),
  'tekton.dev/v1beta1': {
    Task: beta(() => v1beta1Schemas().TaskV1beta1, Task),
    TaskRun: beta(() => v1beta1Schemas().TaskRunV1beta1, TaskRun),
    Pipeline: beta(() => v1beta1Schemas().PipelineV1beta1, Pipeline),
    PipelineRun: beta(() => v1beta1Schemas().PipelineRunV1beta1, PipelineRun),
    // StepAction has no v1 version in Tekton: it is kept as written (beta since v0.59, alpha before).
    StepAction: { schema: StepAction },
  },
  'tekton.dev/v1alpha1': { StepAction: { schema: StepAction } },
  v1: {
    ConfigMap: { schema: ConfigMap },
    Secret: { schema: Secret },
    PersistentVolumeClaim: { schema: PersistentVolumeClaim },
    ServiceAccount: { schema: ServiceAccount },
    LimitRange: { schema: LimitRange },
  },
};

/** OTHER decodes the objects of any other kind outside tekton.dev: stored as written, not used. */
export const OTHER: KindEntry = { schema: OtherObject };

/**
 * lookupKind finds the decoder for an apiVersion/kind pair: a kind Tektite uses, OTHER for any
 * other Kubernetes kind (kubectl applies a ClusterRoleBinding or a CRD's objects too), undefined
 * for an unknown tekton.dev kind, which can only be a mistake (`kind: Taks`).
 */
export function lookupKind(apiVersion: string, kind: string): KindEntry | undefined {
  if (Object.hasOwn(KINDS, apiVersion) && Object.hasOwn(KINDS[apiVersion], kind)) return KINDS[apiVersion][kind];
  // The core group has only v1 (`apiVersion: v2` is a mistake too).
  if (!apiVersion.includes('/')) return apiVersion === 'v1' ? OTHER : undefined;
  return apiVersion.split('/')[0] === 'tekton.dev' ? undefined : OTHER;
}

// A v1 field path may not exist in v1beta1 YAML; these are the names to look for instead.
/** V1BETA1_ALIASES maps v1 field names to the v1beta1 names the user wrote ('' = no such level). */
export const V1BETA1_ALIASES: Readonly<Record<string, readonly string[]>> = {
  computeResources: ['resources'],
  stepSpecs: ['stepOverrides'],
  sidecarSpecs: ['sidecarOverrides'],
  serviceAccountName: ['taskServiceAccountName'],
  podTemplate: ['taskPodTemplate'],
  timeouts: ['timeout'],
  taskRunTemplate: [''],
};
