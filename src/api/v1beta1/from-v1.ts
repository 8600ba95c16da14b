// from-v1.ts: tekton.dev/v1 → tekton.dev/v1beta1, for printing runs in the apiVersion the user wrote
// (the ConvertFrom half of pkg/apis/pipeline/v1beta1/*_conversion.go).
import type { Pipeline, PipelineRun, Task, TaskRun } from '../v1/index.ts';
import { mapField, mapItems, renameFields, withoutUndefined, type Obj } from './fields.ts';

const container = (c: Obj) => renameFields(c, { computeResources: 'resources' });
const override = container;

function taskSpec(spec: Obj): Obj {
  return mapItems(mapField(mapItems(spec, 'steps', container), 'stepTemplate', container), 'sidecars', container);
}

function pipelineSpec(spec: Obj): Obj {
  const task = (t: Obj): Obj => mapField(mapField(t, 'taskSpec', taskSpec), 'pipelineSpec', pipelineSpec);
  return mapItems(mapItems(spec, 'tasks', task), 'finally', task);
}

function taskRunSpec(spec: Obj): Obj {
  const out = renameFields(spec, { stepSpecs: 'stepOverrides', sidecarSpecs: 'sidecarOverrides' });
  return mapField(mapItems(mapItems(out, 'stepOverrides', override), 'sidecarOverrides', override), 'taskSpec', taskSpec);
}

function pipelineRunSpec(spec: Obj): Obj {
  const { taskRunTemplate, ...rest } = spec;
  const template = (taskRunTemplate ?? {}) as Obj;
  let out = withoutUndefined({ ...rest, serviceAccountName: template.serviceAccountName, podTemplate: template.podTemplate });
  out = mapItems(out, 'taskRunSpecs', (s) =>
    mapItems(
      mapItems(
        renameFields(s, {
          serviceAccountName: 'taskServiceAccountName',
          podTemplate: 'taskPodTemplate',
          stepSpecs: 'stepOverrides',
          sidecarSpecs: 'sidecarOverrides',
        }),
        'stepOverrides',
        override,
      ),
      'sidecarOverrides',
      override,
    ),
  );
  return mapField(out, 'pipelineSpec', pipelineSpec);
}

// v1beta1 status names: TaskRun results are `taskResults`, PipelineRun results `pipelineResults`.
const CONVERT: Record<string, { spec: (s: Obj) => Obj; status: (s: Obj) => Obj }> = {
  Task: { spec: taskSpec, status: (s) => s },
  Pipeline: { spec: pipelineSpec, status: (s) => s },
  TaskRun: { spec: taskRunSpec, status: (s) => mapField(renameFields(s, { results: 'taskResults' }), 'taskSpec', taskSpec) },
  PipelineRun: { spec: pipelineRunSpec, status: (s) => mapField(renameFields(s, { results: 'pipelineResults' }), 'pipelineSpec', pipelineSpec) },
};

/** toV1beta1 returns a copy of a v1 Task, TaskRun, Pipeline or PipelineRun in tekton.dev/v1beta1 form. */
export function toV1beta1(obj: TaskRun | PipelineRun | Task | Pipeline): Record<string, unknown> {
  const o = obj as unknown as Obj;
  const convert = CONVERT[obj.kind];
  if (!convert) return { ...o };
  const out = mapField({ ...o, apiVersion: 'tekton.dev/v1beta1' }, 'spec', convert.spec);
  return mapField(out, 'status', convert.status);
}
