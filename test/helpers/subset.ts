// subset.ts: "does this object contain that one": the check behind `taskrun.<pipelineTask>=`
// expectations, which name only the fields an example is about (Tekton's own e2e tests compare
// selected fields of a TaskRun the same way, ignoring timestamps, UIDs and pod names).

/**
 * subsetMismatch returns where `actual` departs from `expected`, or undefined when it contains
 * it: objects need every expected key (extra keys are fine), arrays the same length with each
 * item contained, anything else strict equality.
 */
export function subsetMismatch(actual: unknown, expected: unknown, path = '$'): string | undefined {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: expected an array, got ${JSON.stringify(actual)}`;
    if (actual.length !== expected.length) return `${path}: expected ${expected.length} items, got ${actual.length}: ${JSON.stringify(actual)}`;
    for (let i = 0; i < expected.length; i++) {
      const m = subsetMismatch(actual[i], expected[i], `${path}[${i}]`);
      if (m) return m;
    }
    return undefined;
  }
  if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return `${path}: expected an object, got ${JSON.stringify(actual)}`;
    for (const [k, v] of Object.entries(expected)) {
      const m = subsetMismatch((actual as Record<string, unknown>)[k], v, `${path}.${k}`);
      if (m) return m;
    }
    return undefined;
  }
  return Object.is(actual, expected) ? undefined : `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}
