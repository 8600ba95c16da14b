// merge.ts: MergeStepsWithStepTemplate (pkg/apis/pipeline/v1/merge.go) — Kubernetes' strategic merge
// patch of each step onto the stepTemplate: env by name, volumeMounts by mountPath, volumeDevices by
// devicePath, ports by containerPort; nested objects merged; other lists and scalars: the step wins.
// One merge for validation (the webhook validates merged steps) and the pod builder.
import type { Step, StepTemplate } from './step.ts';

export type Obj = Record<string, unknown>;

const MERGE_KEYS: Record<string, string> = { env: 'name', volumeMounts: 'mountPath', volumeDevices: 'devicePath', ports: 'containerPort' };
// Step fields that are not container fields pass through untouched (merge.go newStep).
const STEP_ONLY = ['script', 'onError', 'timeout', 'stdoutConfig', 'stderrConfig', 'results', 'params', 'ref', 'when', 'workspaces', 'displayName'];

/** mergeStepsWithStepTemplate merges the template under every step (steps with `ref` are left alone). */
export function mergeStepsWithStepTemplate(template: StepTemplate | undefined, steps: Step[]): Step[] {
  if (!template) return steps;
  return steps.map((s) => {
    if (s.ref) return s;
    const container = Object.fromEntries(Object.entries(s).filter(([k]) => !STEP_ONLY.includes(k)));
    const passthrough = Object.fromEntries(Object.entries(s).filter(([k]) => STEP_ONLY.includes(k)));
    return { ...mergeObjects(template as Obj, container), ...passthrough } as Step;
  });
}

/** mergeObjects is a strategic merge of patch onto base for container-shaped objects. */
export function mergeObjects(base: Obj, patch: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, pv] of Object.entries(patch)) {
    const bv = base[k];
    if (isEmpty(pv)) continue; // Go's omitempty: empty patch fields do not override
    if (MERGE_KEYS[k] && Array.isArray(bv) && Array.isArray(pv)) out[k] = mergeKeyedList(bv as Obj[], pv as Obj[], MERGE_KEYS[k], k === 'env');
    else if (isObj(bv) && isObj(pv)) out[k] = mergeObjects(bv, pv);
    else out[k] = structuredClone(pv);
  }
  return out;
}

// mergeKeyedList reproduces strategicpatch's result order (normalizeElementOrder/mergeSortedSlice):
// patch items keep their order; template-only items are inserted before the first patch item that
// comes after them in the template.
function mergeKeyedList(base: Obj[], patch: Obj[], key: string, isEnv: boolean): Obj[] {
  const serverOrder = base.map((b) => b[key]);
  const patchKeys = new Set(patch.map((p) => p[key]));
  const right = patch.map((p) => {
    const b = base.find((x) => x[key] === p[key]);
    if (!b) return structuredClone(p);
    const merged = mergeObjects(b, p);
    // amendConflictingContainerFields: value + valueFrom after merging → the step's entry wins whole.
    return isEnv && merged.valueFrom && merged.value ? structuredClone(p) : merged;
  });
  const left = base.filter((b) => !patchKeys.has(b[key]));
  const out: Obj[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (j >= right.length) out.push(left[i++]);
    else if (i >= left.length) out.push(right[j++]);
    else {
      const li = serverOrder.indexOf(left[i][key]);
      const ri = serverOrder.indexOf(right[j][key]);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}
