// admission.ts: what Tekton's admission webhook does to an object on create, one object at a time:
// the mutating half (SetDefaults, pkg/apis/pipeline/v1/*_defaults.go) and then the validating half
// on the defaulted object (*_validation.go), as knative's webhook chains them
// (pkg/webhook/resourcesemantics/defaulting, .../validation). Tektite adds the reference checks the
// reconciler would otherwise fail on at once: a taskRef, pipelineRef or step ref that names nothing
// (pkg/reconciler/taskrun/resources/taskref.go reports the same `tasks.tekton.dev "x" not found`),
// and a TaskRun's params against the Task it names.
import type { PipelineRun, Step, StepAction, Task, TaskRun, TektonObject } from '../api/index.ts';
import { setParamSpecDefaults, setPipelineRunDefaults, setPipelineSpecDefaults, setResultDefaults, setTaskRunDefaults, setTaskSpecDefaults } from '../api/defaults/index.ts';
import type { Config } from '../config/index.ts';
import { FieldError } from '../errors/index.ts';
import type { Resolution, Resolver } from '../resolution/index.ts';
import { validatePipeline } from './pipeline.ts';
import { validatePipelineRun } from './pipelinerun.ts';
import { validateTaskRunParams } from './runtime.ts';
import { validateStepAction } from './stepaction.ts';
import { validateTask } from './task.ts';
import { validateTaskRun } from './taskrun.ts';

/** Admission is the object as it is to be stored (defaulted), or why it is refused. */
export type Admission<T> = { ok: true; object: T } | { ok: false; error: FieldError };

/** admit defaults an object, validates the result, and checks what it references through resolver. */
export async function admit<T extends TektonObject>(input: T, config: Config, resolver: Resolver): Promise<Admission<T>> {
  const object = setDefaults(input, config);
  const error = await check(object, config, resolver);
  return error ? { ok: false, error } : { ok: true, object };
}

/** setDefaults is the mutating half of the webhook: a defaulted copy; kinds Tekton does not own are returned as they are. */
export function setDefaults<T extends TektonObject>(obj: T, config: Config): T {
  switch (obj.kind) {
    case 'TaskRun':
      return setTaskRunDefaults(obj, config) as T;
    case 'PipelineRun':
      return setPipelineRunDefaults(obj, config) as T;
    case 'Task':
      return { ...obj, spec: setTaskSpecDefaults(obj.spec, config) };
    case 'Pipeline':
      return { ...obj, spec: setPipelineSpecDefaults(obj.spec, config) };
    case 'StepAction': {
      // pkg/apis/pipeline/v1beta1/stepaction_defaults.go: param and result types.
      const spec = { ...(obj as StepAction).spec };
      if (spec.params) spec.params = spec.params.map(setParamSpecDefaults);
      if (spec.results) spec.results = spec.results.map((r) => setResultDefaults(r));
      return { ...obj, spec } as T;
    }
    default:
      return obj;
  }
}

async function check(obj: TektonObject, config: Config, resolver: Resolver): Promise<FieldError | undefined> {
  const ns = obj.metadata.namespace ?? 'default';
  switch (obj.kind) {
    case 'StepAction':
      return validateStepAction(obj as StepAction, config);
    case 'Task':
      return validateTask(obj, config) ?? (await stepRefsExist(obj.spec.steps, ns, resolver))?.viaField('spec');
    case 'Pipeline':
      return validatePipeline(obj, config);
    case 'PipelineRun':
      return validatePipelineRun(obj, config) ?? (await pipelineRefExists(obj, resolver));
    case 'TaskRun': {
      const err = validateTaskRun(obj, config) ?? (await stepRefsExist(obj.spec.taskSpec?.steps, ns, resolver))?.viaField('spec', 'taskSpec');
      return err ?? (await taskRefParams(obj, resolver));
    }
    default:
      return undefined;
  }
}

/** taskRefParams: a TaskRun whose taskRef names nothing would fail at once; say so now, then check its params against the Task. */
async function taskRefParams(tr: TaskRun, resolver: Resolver): Promise<FieldError | undefined> {
  const ref = tr.spec.taskRef;
  if (!ref?.name || ref.resolver) return undefined;
  const found = await resolver.task({ name: ref.name }, tr.metadata.namespace ?? 'default');
  if (!found.ok) return FieldError.of(notFound('tasks', ref.name, found), ['spec.taskRef.name']);
  return validateTaskRunParams(setTaskSpecDefaults((found.object as Task).spec), tr.spec.params ?? [])?.viaField('spec', 'params');
}

async function pipelineRefExists(pr: PipelineRun, resolver: Resolver): Promise<FieldError | undefined> {
  const ref = pr.spec.pipelineRef;
  if (!ref?.name || ref.resolver) return undefined;
  const found = await resolver.pipeline({ name: ref.name }, pr.metadata.namespace ?? 'default');
  return found.ok ? undefined : FieldError.of(notFound('pipelines', ref.name, found), ['spec.pipelineRef.name']);
}

/** stepRefsExist: a step's `ref.name` must name a StepAction, as the reconciler would find at once. */
async function stepRefsExist(steps: Step[] | undefined, namespace: string, resolver: Resolver): Promise<FieldError | undefined> {
  const errs = await Promise.all(
    (steps ?? []).map(async (s, i) => {
      const name = s.ref?.name;
      if (!name || s.ref?.resolver) return undefined;
      const found = await resolver.stepAction({ name }, namespace);
      return found.ok ? undefined : FieldError.of(notFound('stepactions', name, found), [`steps[${i}].ref.name`]);
    }),
  );
  return FieldError.merge(...errs);
}

/** notFound keeps Tekton's `<plural>.tekton.dev "name" not found` whatever the resolver said, unless it failed for another reason. */
function notFound(plural: string, name: string, r: Extract<Resolution<unknown>, { ok: false }>): string {
  return r.notFound ? `${plural}.tekton.dev ${JSON.stringify(name)} not found` : r.message;
}

type Named = { kind: string; metadata: { name?: string; namespace?: string } };

/**
 * batchResolver finds references among objects admitted together (the files of one `apply`)
 * first, then through fallback (the store); without one, anything else is not found.
 */
export function batchResolver(objects: readonly Named[], fallback?: Resolver): Resolver {
  const find = (kind: string, ns: string, name: string | undefined) =>
    name ? objects.find((o) => o.kind === kind && (o.metadata.namespace ?? 'default') === ns && o.metadata.name === name) : undefined;
  const missing = { ok: false, notFound: true, message: 'not found' } as const;
  const local = <T>(o: Named | undefined): Resolution<T> | undefined => (o ? { ok: true, object: o as T, name: o.metadata.name ?? '' } : undefined);
  return {
    task: async (ref, ns, signal) => (!ref.resolver && local(find('Task', ns, ref.name))) || (fallback ? fallback.task(ref, ns, signal) : missing),
    pipeline: async (ref, ns, signal) => (!ref.resolver && local(find('Pipeline', ns, ref.name))) || (fallback ? fallback.pipeline(ref, ns, signal) : missing),
    stepAction: async (ref, ns, signal) => (!ref.resolver && local(find('StepAction', ns, ref.name))) || (fallback ? fallback.stepAction(ref, ns, signal) : missing),
  };
}
