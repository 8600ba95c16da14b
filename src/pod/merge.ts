// merge.ts: TaskRun stepSpecs/sidecarSpecs and Task-level compute resources merged into steps
// (pkg/internal/computeresources/tasklevel); the stepTemplate merge is the API's (src/api/v1/merge.ts).
import { mergeObjects, type Obj, type ResourceRequirements, type Sidecar, type Step, type TaskRunStepSpec } from '../api/index.ts';
import { divideQuantity, formatQuantity, parseQuantity } from './quantity.ts';

/** mergeWithSpecs overlays TaskRun stepSpecs/sidecarSpecs computeResources onto the containers of the same name. */
export function mergeWithSpecs<C extends Step | Sidecar>(containers: C[], specs: TaskRunStepSpec[] | undefined): C[] {
  if (!specs?.length) return containers;
  const byName = new Map(specs.map((o) => [o.name, o]));
  return containers.map((c) => {
    const o = byName.get(c.name ?? '');
    if (!o) return c;
    return { ...c, computeResources: mergeObjects((c.computeResources ?? {}) as Obj, o.computeResources as Obj) as ResourceRequirements };
  });
}

/**
 * applyTaskLevelComputeResources splits TaskRun `computeResources` over the steps: each step gets the
 * limits and the requests divided by the step count (limits divided when nobody sets requests).
 */
export function applyTaskLevelComputeResources(steps: Step[], resources: ResourceRequirements | undefined): Step[] {
  if (!resources || (!resources.requests && !resources.limits)) return steps;
  const avgRequests = average(resources.requests, steps.length);
  const avgLimits = average(resources.limits, steps.length);
  return steps.map((s) => {
    const requests = !s.computeResources?.requests && !resources.requests ? avgLimits : avgRequests;
    const cr: ResourceRequirements = { ...s.computeResources };
    if (requests) cr.requests = requests;
    else delete cr.requests;
    if (resources.limits) cr.limits = { ...resources.limits };
    else delete cr.limits;
    return { ...s, computeResources: cr };
  });
}

function average(list: Record<string, string | number> | undefined, steps: number): Record<string, string> | undefined {
  if (!list || Object.keys(list).length === 0 || steps === 0) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(list)) {
    const q = parseQuantity(v);
    if (q) out[k] = formatQuantity(divideQuantity(q, steps, k === 'memory' || k === 'ephemeral-storage'));
  }
  return out;
}
