// task.ts: Task and TaskSpec validation (task_validation.go: Task.Validate, TaskSpec.Validate,
// workspaces, volumes, context and result references). Object params, array/object results and
// array indexing are not gated at 3ee1745 (task_validation.go has no ValidateBetaFields any more);
// only step/sidecar workspaces need enable-api-fields=beta.
import type { Step, StepTemplate, Task, TaskSpec, WorkspaceDeclaration } from '../api/index.ts';
import { mergeStepsWithStepTemplate } from '../api/index.ts';
import type { Config } from '../config/index.ts';
import { setTaskSpecDefaults } from '../api/defaults/index.ts';
import { validateEnabledAPIFields } from './feature-gate.ts';
import { FieldError, errMissingField } from '../errors/index.ts';
import { validateObjectMetadata } from './metadata.ts';
import { validateParameterTypes, validateParameterVariables, validateUsageOfDeclaredParameters, validateVariables } from './params.ts';
import { validateResults } from './results.ts';
import { validateSidecarNames, validateSteps } from './step.ts';
import { noUnknownVariables } from './variables.ts';

/**
 * validateTask validates a Task as Tekton's admission webhook does; paths start at `metadata`/`spec`.
 * A standalone Task must declare every param its steps use (no propagation).
 */
export function validateTask(task: Task, config: Config): FieldError | undefined {
  const spec = setTaskSpecDefaults(task.spec, config);
  return FieldError.merge(
    validateObjectMetadata(task.metadata)?.viaField('metadata'),
    validateTaskSpec(spec, config)?.viaField('spec'),
    validateUsageOfDeclaredParameters(spec.steps ?? [], spec.params ?? [])?.viaField('spec'),
  );
}

/** validateTaskSpec validates a TaskSpec (defaulted first, as the webhook sees it); paths are relative to the spec. */
export function validateTaskSpec(input: TaskSpec, config: Config): FieldError | undefined {
  const spec = setTaskSpecDefaults(input, config);
  const steps = spec.steps ?? [];
  const params = spec.params ?? [];
  return FieldError.merge(
    steps.length === 0 ? errMissingField('steps') : undefined,
    validateVolumes(spec.volumes ?? [])?.viaField('volumes'),
    validateDeclaredWorkspaces(spec.workspaces ?? [], steps, spec.stepTemplate)?.viaField('workspaces'),
    validateWorkspaceUsages(spec, config),
    validateSteps(mergeStepsWithStepTemplate(spec.stepTemplate, steps), config),
    validateSidecarNames(spec.sidecars ?? []),
    validateParameterTypes(params)?.viaField('params'),
    validateParameterVariables(steps, params, config),
    validateTaskContextVariables(steps),
    validateTaskResultsVariables(steps, new Set((spec.results ?? []).map((r) => r.name))),
    validateResults(spec.results ?? [])?.viaField('results'),
  );
}

function validateVolumes(volumes: { name: string }[]): FieldError | undefined {
  const seen = new Set<string>();
  return FieldError.merge(
    ...volumes.map((v, i) => {
      if (!seen.has(v.name)) {
        seen.add(v.name);
        return undefined;
      }
      return FieldError.of(`multiple volumes with same name ${JSON.stringify(v.name)}`, ['name']).viaIndex(i);
    }),
  );
}

/** workspaceMountPath is WorkspaceDeclaration.GetMountPath: the declared path or /workspace/<name>. */
export function workspaceMountPath(w: WorkspaceDeclaration): string {
  return w.mountPath || `/workspace/${w.name}`;
}

function validateDeclaredWorkspaces(workspaces: WorkspaceDeclaration[], steps: Step[], template?: StepTemplate): FieldError | undefined {
  if (!workspaces.length) return undefined; // (the mount paths are only compared with workspaces')
  const mountPaths = new Set([...steps.flatMap((s) => s.volumeMounts ?? []), ...(template?.volumeMounts ?? [])].map((v) => cleanPath(v.mountPath)));
  const names = new Set<string>();
  const errs: FieldError[] = [];
  workspaces.forEach((w, i) => {
    if (names.has(w.name)) errs.push(FieldError.of(`workspace name ${JSON.stringify(w.name)} must be unique`, ['name']).viaIndex(i));
    else names.add(w.name);
    const mp = cleanPath(workspaceMountPath(w));
    if (mountPaths.has(mp)) errs.push(FieldError.of(`workspace mount path ${JSON.stringify(mp)} must be unique`, ['mountpath']).viaIndex(i));
    mountPaths.add(mp);
  });
  return FieldError.merge(...errs);
}

function validateWorkspaceUsages(spec: TaskSpec, config: Config): FieldError | undefined {
  const usesWorkspaces = (list: { workspaces?: unknown[] }[] | undefined) => list?.some((c) => c.workspaces !== undefined);
  if (!usesWorkspaces(spec.steps) && !usesWorkspaces(spec.sidecars)) return undefined;
  const names = new Set((spec.workspaces ?? []).map((w) => w.name));
  const check = (kind: 'steps' | 'sidecars', list: { workspaces?: { name: string }[] }[]) =>
    list.flatMap((c, i) => [
      c.workspaces?.length ? validateEnabledAPIFields(config, `${kind === 'steps' ? 'step' : 'sidecar'} workspaces`, 'beta')?.viaFieldIndex(kind, i) : undefined,
      ...(c.workspaces ?? []).map((w, j) =>
        names.has(w.name)
          ? undefined
          : FieldError.of(`undefined workspace ${JSON.stringify(w.name)}`, ['name'])
              .viaFieldIndex('workspaces', j)
              .viaFieldIndex(kind, i),
      ),
    ]);
  return FieldError.merge(...check('steps', spec.steps ?? []), ...check('sidecars', spec.sidecars ?? []));
}

function validateTaskContextVariables(steps: Step[]): FieldError | undefined {
  return FieldError.merge(
    validateVariables(steps, 'context\\.taskRun', new Set(['name', 'namespace', 'uid'])),
    validateVariables(steps, 'context\\.task', new Set(['name', 'retry-count'])),
  );
}

function validateTaskResultsVariables(steps: Step[], results: Set<string>): FieldError | undefined {
  return FieldError.merge(...steps.map((s, i) => noUnknownVariables(s.script, 'results', results)?.viaField('script').viaFieldIndex('steps', i)));
}

/** cleanPath is Go's filepath.Clean for absolute and relative slash paths. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!abs) out.push('..');
    } else out.push(part);
  }
  const joined = out.join('/');
  return abs ? `/${joined}` : joined || '.';
}
