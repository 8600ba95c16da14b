// objects.ts: loading the user's files and checking every object before anything runs
// (the admission step: structural decode, Tekton's webhook validation, static reference checks).
import type { LoadedObject, LoadProblem, StoredOnly, Pipeline, PipelineRun, StepAction, Step, Task, TaskRun, ConfigMap } from '../api/index.ts';
import { loadFiles, formatProblem } from '../api/index.ts';
import { buildConfig, type Config } from '../config/index.ts';
import { FieldError, validatePipeline, validatePipelineRun, validateStepAction, validateTask, validateTaskRun, validateTaskRunParams } from '../validation/index.ts';
import { setTaskSpecDefaults } from '../api/defaults/index.ts';
import type { Store } from '../store/index.ts';

/** Admitted is the result of loading and checking the files: objects, config and user errors. */
export interface Admitted {
  objects: LoadedObject[];
  /** others are objects of kinds Tektite does not use (RBAC, quotas, CRDs): stored, noted, never an error. */
  others: StoredOnly[];
  config: Config;
  errors: string[];
}

/** admitFiles loads files and validates every object; errors are formatted `path: message (file:line:col)`. */
export async function admitFiles(files: string[], overrides: { featureFlags: Record<string, string>; defaults: Record<string, string> }, store?: Store): Promise<Admitted> {
  const loaded = await loadFiles(files);
  const errors = loaded.problems.map((p: LoadProblem) => formatProblem(p));
  const cms = loaded.objects.map((o) => o.object).filter((o): o is ConfigMap => o.kind === 'ConfigMap');
  const data = (name: string) => cms.filter((c) => c.metadata.name === name).map((c) => c.data ?? {});
  const built = buildConfig([...data('feature-flags'), overrides.featureFlags], [...data('config-defaults'), overrides.defaults]);
  if (built.error) errors.push(...fieldErrorLines(built.error, undefined, 'config'));
  const config = built.config;
  const known: Known = { tasks: new Map(), pipelines: new Map(), stepActions: new Set(), store };
  for (const o of loaded.objects) {
    const key = `${o.object.metadata.namespace ?? 'default'}/${o.object.metadata.name}`;
    if (o.object.kind === 'Task') known.tasks.set(key, o.object);
    if (o.object.kind === 'Pipeline') known.pipelines.set(key, o.object);
    if (o.object.kind === 'StepAction') known.stepActions.add(key);
  }
  errors.push(...duplicateNames([...loaded.objects, ...loaded.others]));
  for (const o of loaded.objects) {
    const err = validateObject(o, config, known);
    if (err) errors.push(...fieldErrorLines(err, o, `${o.object.kind} ${JSON.stringify(o.object.metadata.name)}`));
  }
  return { objects: loaded.objects, others: loaded.others, config, errors };
}

/** Known is what a reference may name: objects in the files, then objects already in the store. */
interface Known {
  tasks: Map<string, Task>;
  pipelines: Map<string, Pipeline>;
  stepActions: Set<string>;
  store?: Store;
}

function validateObject(o: LoadedObject, config: Config, known: Known): FieldError | undefined {
  const obj = o.object;
  if (obj.kind === 'StepAction') return validateStepAction(obj as StepAction, config);
  if (obj.kind === 'Task') return validateTask(obj, config) ?? stepRefsExist(obj.spec.steps, obj.metadata.namespace, known)?.viaField('spec');
  if (obj.kind === 'Pipeline') return validatePipeline(obj, config);
  if (obj.kind === 'PipelineRun') return validatePipelineRunRefs(obj as PipelineRun, config, known);
  if (obj.kind !== 'TaskRun') return undefined;
  const { tasks, store } = known;
  const err = validateTaskRun(obj, config) ?? stepRefsExist(obj.spec.taskSpec?.steps, obj.metadata.namespace, known)?.viaField('spec', 'taskSpec');
  if (err || !obj.spec.taskRef?.name || obj.spec.taskRef.resolver) return err;
  // A TaskRun whose taskRef names nothing would fail at once; say so now, with its position.
  const ns = obj.metadata.namespace ?? 'default';
  const task = tasks.get(`${ns}/${obj.spec.taskRef.name}`) ?? store?.get<Task & { metadata: { name: string } }>('Task', ns, obj.spec.taskRef.name);
  if (!task) return FieldError.of(`tasks.tekton.dev ${JSON.stringify(obj.spec.taskRef.name)} not found`, ['spec.taskRef.name']);
  return validateTaskRunParams(setTaskSpecDefaults(task.spec), (obj as TaskRun).spec.params ?? [])?.viaField('spec', 'params');
}

function validatePipelineRunRefs(pr: PipelineRun, config: Config, known: Known): FieldError | undefined {
  const err = validatePipelineRun(pr, config);
  const ref = pr.spec.pipelineRef;
  if (err || !ref?.name || ref.resolver) return err;
  const ns = pr.metadata.namespace ?? 'default';
  const found = known.pipelines.get(`${ns}/${ref.name}`) ?? known.store?.get('Pipeline', ns, ref.name);
  return found ? undefined : FieldError.of(`pipelines.tekton.dev ${JSON.stringify(ref.name)} not found`, ['spec.pipelineRef.name']);
}

/** stepRefsExist: a step's `ref.name` must name a StepAction, as the reconciler would find at once. */
function stepRefsExist(steps: Step[] | undefined, namespace: string | undefined, known: Known): FieldError | undefined {
  const ns = namespace ?? 'default';
  return FieldError.merge(
    ...(steps ?? []).map((s, i) => {
      const name = s.ref?.name;
      if (!name || s.ref?.resolver || known.stepActions.has(`${ns}/${name}`) || known.store?.get('StepAction', ns, name)) return undefined;
      return FieldError.of(`stepactions.tekton.dev ${JSON.stringify(name)} not found`, [`steps[${i}].ref.name`]);
    }),
  );
}

/** duplicateNames: like `kubectl create`, a second object of the same kind and name is refused (AlreadyExists). */
function duplicateNames(objects: (LoadedObject | StoredOnly)[]): string[] {
  type Named = LoadedObject | StoredOnly;
  const seen = new Map<string, Named>();
  const out: string[] = [];
  for (const o of objects) {
    const key = `${o.object.kind}/${o.object.metadata.namespace ?? 'default'}/${o.object.metadata.name}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, o);
      continue;
    }
    const at = (x: Named) => {
      const p = x.locate('metadata.name');
      return p ? `${p.file}:${p.line}:${p.col}` : x.file;
    };
    out.push(`${o.object.kind} ${JSON.stringify(o.object.metadata.name)}: metadata.name: already exists: defined first at ${at(first)} (${at(o)})`);
  }
  return out;
}

/**
 * otherKindNotes is one line per kind Tektite stores but does not use, in file order:
 * `Note: 1 ClusterRoleBinding stored, not used by Tektite`.
 */
export function otherKindNotes(others: StoredOnly[], verb: string): string[] {
  const counts = new Map<string, number>();
  for (const o of others) counts.set(o.object.kind, (counts.get(o.object.kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => `Note: ${n} ${kind} ${verb}, not used by Tektite`);
}

/** fieldErrorLines prints a FieldError as `path: message (file:line:col)` lines under a header. */
export function fieldErrorLines(err: FieldError, o: LoadedObject | undefined, what: string): string[] {
  const lines: string[] = [];
  for (const e of err.merged()) {
    const where = e.paths.length ? e.paths.join(', ') : '';
    const pos = o && e.paths.length ? o.locate(e.paths[0]) : undefined;
    const loc = pos ? ` (${pos.file}:${pos.line}:${pos.col})` : o ? ` (${o.file})` : '';
    const head = `${what}: ${where ? `${where}: ` : ''}${e.message}${loc}`;
    lines.push(e.details ? `${head}\n  ${e.details.split('\n').join('\n  ')}` : head);
  }
  return lines;
}
