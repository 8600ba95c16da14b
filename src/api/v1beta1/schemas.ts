// schemas.ts: tekton.dev/v1beta1 shapes, written as the v1 schemas plus v1beta1's own fields, so
// the strict decode reports unknown fields at the paths the user wrote before conversion to v1.
import { z } from 'zod';
import {
  EmbeddedMeta,
  EmbeddedTask,
  Pipeline,
  PipelineRef,
  PipelineRun,
  PipelineRunSpec,
  PipelineSpec,
  PipelineTask,
  PipelineTaskRunSpec,
  PodTemplate,
  ResourceRequirements,
  Sidecar,
  Step,
  StepTemplate,
  Task,
  TaskRef,
  TaskRun,
  TaskRunSpec,
  TaskSpec,
  serviceContainerFields,
} from '../v1/index.ts';

// v1beta1 Steps and StepTemplates are (deprecated) full Containers: accepted here, dropped by conversion.
const containerOnly = serviceContainerFields;

/** CONTAINER_ONLY_FIELDS are the v1beta1 Step/StepTemplate fields v1 no longer has. */
export const CONTAINER_ONLY_FIELDS = Object.keys(containerOnly);

// PipelineResources were removed from Tekton; accept the field so conversion can say so clearly.
const removedResources = { resources: z.unknown().optional() };

/**
 * v1beta1Schemas builds the v1beta1 schemas on first use. Why: building zod schemas is most of
 * the CLI's start-up work, and a run of v1 files (the common case) never needs these.
 */
export function v1beta1Schemas() {
  built ??= build();
  return built;
}

let built: ReturnType<typeof build> | undefined;

function build() {
  const resources = ResourceRequirements.optional();
  const StepV1beta1 = Step.omit({ computeResources: true }).extend({ ...containerOnly, resources });
  const StepTemplateV1beta1 = StepTemplate.omit({ computeResources: true }).extend({ ...containerOnly, name: z.string().optional(), resources });
  const SidecarV1beta1 = Sidecar.omit({ computeResources: true }).extend({ resources });

  const taskSpecFields = {
    steps: z.array(StepV1beta1).optional(),
    stepTemplate: StepTemplateV1beta1.optional(),
    sidecars: z.array(SidecarV1beta1).optional(),
    ...removedResources,
  };
  const TaskSpecV1beta1 = TaskSpec.extend(taskSpecFields);
  const TaskV1beta1 = Task.extend({ spec: TaskSpecV1beta1 });

  /** TaskRef and PipelineRef in v1beta1 may name an OCI bundle (now the `bundles` resolver). */
  const TaskRefV1beta1 = TaskRef.extend({ bundle: z.string().optional() });
  const PipelineRefV1beta1 = PipelineRef.extend({ bundle: z.string().optional() });

  /** TaskRunStepOverride is v1's TaskRunStepSpec with `resources` for `computeResources`. */
  const StepOverride = z.strictObject({ name: z.string(), resources: ResourceRequirements });

  const TaskRunSpecV1beta1 = TaskRunSpec.omit({ stepSpecs: true, sidecarSpecs: true }).extend({
    taskRef: TaskRefV1beta1.optional(),
    taskSpec: TaskSpecV1beta1.optional(),
    stepOverrides: z.array(StepOverride).optional(),
    sidecarOverrides: z.array(StepOverride).optional(),
    ...removedResources,
  });
  const TaskRunV1beta1 = TaskRun.extend({ spec: TaskRunSpecV1beta1 });

  const EmbeddedTaskV1beta1 = EmbeddedTask.extend({ ...taskSpecFields, metadata: EmbeddedMeta.optional() });
  const PipelineTaskV1beta1 = PipelineTask.extend({
    taskRef: TaskRefV1beta1.optional(),
    taskSpec: EmbeddedTaskV1beta1.optional(),
    pipelineRef: PipelineRefV1beta1.optional(),
    get pipelineSpec(): z.ZodOptional<z.ZodType<Record<string, unknown>>> {
      return PipelineSpecV1beta1.optional();
    },
    ...removedResources,
  });
  const PipelineSpecV1beta1 = PipelineSpec.extend({
    tasks: z.array(PipelineTaskV1beta1).optional(),
    finally: z.array(PipelineTaskV1beta1).optional(),
    ...removedResources,
  });
  const PipelineV1beta1 = Pipeline.extend({ spec: PipelineSpecV1beta1 });

  const PipelineTaskRunSpecV1beta1 = PipelineTaskRunSpec.omit({
    serviceAccountName: true,
    podTemplate: true,
    stepSpecs: true,
    sidecarSpecs: true,
  }).extend({
    taskServiceAccountName: z.string().optional(),
    taskPodTemplate: PodTemplate.optional(),
    stepOverrides: z.array(StepOverride).optional(),
    sidecarOverrides: z.array(StepOverride).optional(),
  });
  const PipelineRunSpecV1beta1 = PipelineRunSpec.omit({ taskRunTemplate: true }).extend({
    pipelineRef: PipelineRefV1beta1.optional(),
    pipelineSpec: PipelineSpecV1beta1.optional(),
    timeout: z.string().optional(),
    serviceAccountName: z.string().optional(),
    podTemplate: PodTemplate.optional(),
    taskRunSpecs: z.array(PipelineTaskRunSpecV1beta1).optional(),
    ...removedResources,
  });
  const PipelineRunV1beta1 = PipelineRun.extend({ spec: PipelineRunSpecV1beta1 });
  return {
    StepV1beta1,
    StepTemplateV1beta1,
    SidecarV1beta1,
    TaskSpecV1beta1,
    TaskV1beta1,
    TaskRefV1beta1,
    PipelineRefV1beta1,
    TaskRunSpecV1beta1,
    TaskRunV1beta1,
    PipelineSpecV1beta1,
    PipelineV1beta1,
    PipelineRunSpecV1beta1,
    PipelineRunV1beta1,
  };
}
