// verdict.ts: compares an Outcome with the gap table, and counts the score.
// A file not in the table must reach Tekton's outcome; a file in it must still fail the way the table
// says, so that a fixed gap fails the suite until its line is removed (no stale gaps).
import { shortName } from './corpus.ts';
import type { Outcome } from './judge.ts';
import { tektonRejects, type Gap } from './expected.ts';

export const nowPasses = 'now passes: remove it from the gap table';

/** problems lists how an outcome differs from what the gap table expects (empty: as expected). */
export function problems(o: Outcome, gap: Gap | undefined, rejects = tektonRejects[shortName(o.example.path)]): string[] {
  const out: string[] = [];
  const v = o.validate;
  // A file Tekton's webhook rejects: Tektite must reject it too, at the same field path, and run nothing.
  if (rejects !== undefined) {
    if (v.accepted) return [`validate accepts it; Tekton's webhook rejects it at ${rejects}`];
    if (!v.detail.includes(`${rejects}:`)) return [`validate rejects it, but not at ${rejects} as Tekton does: ${v.detail}`];
    return [];
  }
  if (gap?.validate && v.accepted) out.push(`validate ${nowPasses} (validate gap: ${gap.validate})`);
  if (!gap?.validate && !v.accepted) out.push(`validate rejects it (Tekton accepts it): ${v.detail}`);
  if (gap?.run && !o.run) out.push(`the gap table has a run gap, but a ${o.example.runClass}-class file is not run on the host`);
  if (o.run) {
    // A file validate rejects cannot run: its validate gap covers the run too.
    const runGap = gap?.run ?? (v.accepted ? undefined : gap?.validate);
    if (gap?.run && o.run.ok) out.push(`run ${nowPasses} (run gap: ${gap.run})`);
    if (!runGap && !o.run.ok) out.push(`run ends ${o.run.status}, Tekton's outcome is Succeeded=True\n${o.run.detail}`);
  }
  return out;
}

/** Score counts the files reaching Tekton's outcome. */
export interface Score {
  hostOk: number;
  host: number;
  validateOk: number;
  validate: number;
}

export function score(outcomes: Iterable<Outcome>, rejects: Record<string, string> = tektonRejects): Score {
  const s: Score = { hostOk: 0, host: 0, validateOk: 0, validate: 0 };
  for (const o of outcomes) {
    // Rejected where Tekton rejects it (same path) is Tekton's outcome, for validate and for the run.
    const asTekton = shortName(o.example.path) in rejects && problems(o, undefined, rejects[shortName(o.example.path)]).length === 0;
    s.validate++;
    if (o.validate.accepted || asTekton) s.validateOk++;
    if (o.run) {
      s.host++;
      if (o.run.ok || asTekton) s.hostOk++;
    }
  }
  return s;
}

/** scoreLine is the one line the suite prints: `conformance: host N/M, validate N/M`. */
export function scoreLine(s: Score): string {
  return `conformance: host ${s.hostOk}/${s.host}, validate ${s.validateOk}/${s.validate}`;
}
