// unchanged.ts: whether a status to write is the one already stored. knative's generated
// reconciler writes nothing when the new status is semantically equal to the old one
// (pkg/client/injection/reconciler/pipeline/v1/pipelinerun/reconciler.go updateStatus:
// equality.Semantic.DeepEqual); most PipelineRun reconciles (woken by their own status write,
// or by a child's change that decides nothing) end there.

/**
 * sameJson compares two JSON values as their serialisations would (properties set to undefined
 * are absent, key order does not count) without serialising them: a subtree the new status
 * shares with the old one (status.pipelineSpec) compares by identity.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let keys = 0;
  for (const k in x) {
    if (x[k] === undefined) continue;
    keys++;
    if (!sameJson(x[k], y[k])) return false;
  }
  for (const k in y) if (y[k] !== undefined) keys--;
  return keys === 0;
}
