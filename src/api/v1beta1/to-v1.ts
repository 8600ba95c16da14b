// to-v1.ts: tekton.dev/v1beta1 → tekton.dev/v1, following pkg/apis/pipeline/v1beta1/*_conversion.go.
import { CONTAINER_ONLY_FIELDS } from './schemas.ts';
import { mapField, mapItems, renameFields, withoutUndefined, type Obj } from './fields.ts';

/** ConversionProblem is a v1beta1 field that has no v1 equivalent and cannot be run. */
export interface ConversionProblem {
  path: string;
  message: string;
}

// PipelineResources were deprecated in v0.30 and removed; v1 has no field to convert them to.
const RESOURCES_REMOVED = 'PipelineResources are not supported: they were removed from Tekton (use workspaces, params and results instead)';

class Conversion {
  readonly problems: ConversionProblem[] = [];

  noResources(obj: Obj, path: string): Obj {
    if (obj.resources !== undefined) this.problems.push({ path: `${path}.resources`, message: RESOURCES_REMOVED });
    return renameFields(obj, {}, ['resources']);
  }

  taskSpec(spec: Obj, path: string): Obj {
    let out = this.noResources(spec, path);
    out = mapItems(out, 'steps', container);
    out = mapField(out, 'stepTemplate', (t) => renameFields(container(t), {}, ['name']));
    return mapItems(out, 'sidecars', (s) => renameFields(s, { resources: 'computeResources' }));
  }

  pipelineSpec(spec: Obj, path: string): Obj {
    const task = (list: string) => (t: Obj, i: number) => this.pipelineTask(t, `${path}.${list}[${i}]`);
    return mapItems(mapItems(this.noResources(spec, path), 'tasks', task('tasks')), 'finally', task('finally'));
  }

  pipelineTask(pt: Obj, path: string): Obj {
    let out = this.noResources(pt, path);
    out = mapField(out, 'taskRef', (r) => bundleRef(r, 'Task'));
    out = mapField(out, 'pipelineRef', (r) => bundleRef(r, 'Pipeline'));
    out = mapField(out, 'pipelineSpec', (s) => this.pipelineSpec(s, `${path}.pipelineSpec`));
    return mapField(out, 'taskSpec', (s) => this.taskSpec(s, `${path}.taskSpec`));
  }

  taskRunSpec(spec: Obj, path: string): Obj {
    let out = renameFields(this.noResources(spec, path), { stepOverrides: 'stepSpecs', sidecarOverrides: 'sidecarSpecs' });
    out = mapItems(mapItems(out, 'stepSpecs', override), 'sidecarSpecs', override);
    out = mapField(out, 'taskRef', (r) => bundleRef(r, 'Task'));
    return mapField(out, 'taskSpec', (s) => this.taskSpec(s, `${path}.taskSpec`));
  }

  pipelineRunSpec(spec: Obj, path: string): Obj {
    const { timeout, serviceAccountName, podTemplate, ...rest } = this.noResources(spec, path);
    let out: Obj = rest;
    // PipelineRunSpec.ConvertTo: the deprecated `timeout` wins over `timeouts`, as a pipeline timeout.
    if (timeout !== undefined) out.timeouts = { pipeline: timeout };
    if (serviceAccountName !== undefined || podTemplate !== undefined) {
      out.taskRunTemplate = withoutUndefined({ podTemplate, serviceAccountName });
    }
    out = mapItems(out, 'taskRunSpecs', (s) =>
      mapItems(
        mapItems(
          renameFields(s, {
            taskServiceAccountName: 'serviceAccountName',
            taskPodTemplate: 'podTemplate',
            stepOverrides: 'stepSpecs',
            sidecarOverrides: 'sidecarSpecs',
          }),
          'stepSpecs',
          override,
        ),
        'sidecarSpecs',
        override,
      ),
    );
    out = mapField(out, 'pipelineRef', (r) => bundleRef(r, 'Pipeline'));
    return mapField(out, 'pipelineSpec', (s) => this.pipelineSpec(s, `${path}.pipelineSpec`));
  }
}

function container(c: Obj): Obj {
  return renameFields(c, { resources: 'computeResources' }, CONTAINER_ONLY_FIELDS);
}

function override(o: Obj): Obj {
  return renameFields(o, { resources: 'computeResources' });
}

// v1beta1 `bundle: <image>` is the bundles resolver in v1 (docs/migrating-v1beta1-to-v1.md).
function bundleRef(ref: Obj, kind: 'Task' | 'Pipeline'): Obj {
  const { bundle, name, ...rest } = ref;
  if (typeof bundle !== 'string' || bundle === '') return renameFields(ref, {}, ['bundle']);
  const params = [
    { name: 'bundle', value: bundle },
    { name: 'name', value: name ?? '' },
    { name: 'kind', value: kind },
  ];
  return { ...rest, resolver: 'bundles', params };
}

const SPECS: Record<string, (c: Conversion, spec: Obj) => Obj> = {
  Task: (c, s) => c.taskSpec(s, 'spec'),
  TaskRun: (c, s) => c.taskRunSpec(s, 'spec'),
  Pipeline: (c, s) => c.pipelineSpec(s, 'spec'),
  PipelineRun: (c, s) => c.pipelineRunSpec(s, 'spec'),
};

/**
 * convertToV1 turns a decoded v1beta1 Task, TaskRun, Pipeline or PipelineRun into its v1 form;
 * a user-written status is dropped (it is ignored on create), PipelineResources are problems.
 */
export function convertToV1(obj: Obj): { object: Obj; problems: ConversionProblem[] } {
  const c = new Conversion();
  const convert = SPECS[String(obj.kind)];
  const { status: _ignored, ...rest } = obj;
  const object = convert ? { ...rest, apiVersion: 'tekton.dev/v1', spec: convert(c, (obj.spec ?? {}) as Obj) } : rest;
  return { object, problems: c.problems };
}
