// verdict.ts: compares an Outcome with the gap table, and counts the score.
// A file not in the table must reach Tekton's outcome; a file in it must still fail the way the table
// says, so that a fixed gap fails the suite until its line is removed (no stale gaps).
import type { Outcome } from './judge.ts';
import type { Gap } from './expected.ts';

export const nowPasses = 'now passes: remove it from the gap table';

/** problems lists how an outcome differs from what the gap table expects (empty: as expected). */
export function problems(o: Outcome, gap: Gap | undefined): string[] {
  const out: string[] = [];
  const v = o.validate;
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
export interface Score { hostOk: number; host: number; validateOk: number; validate: number }

export function score(outcomes: Iterable<Outcome>): Score {
  const s: Score = { hostOk: 0, host: 0, validateOk: 0, validate: 0 };
  for (const o of outcomes) {
    s.validate++;
    if (o.validate.accepted) s.validateOk++;
    if (o.run) {
      s.host++;
      if (o.run.ok) s.hostOk++;
    }
  }
  return s;
}

/** scoreLine is the one line the suite prints: `conformance: host N/M, validate N/M`. */
export function scoreLine(s: Score): string {
  return `conformance: host ${s.hostOk}/${s.host}, validate ${s.validateOk}/${s.validate}`;
}
