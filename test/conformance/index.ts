// test/conformance: the conformance suite's parts — Tekton's example corpus (corpus.ts), how one file is
// judged (judge.ts), the gap table (expected.ts), the comparison and the score (verdict.ts). Used by
// test/conformance.test.ts (in `npm test`) and scripts/conformance.mjs (the per-file table for humans).
export { corpusDir, featureFlags, firstRunKind, readIndex, shortName, type Example, type Gate, type RunClass } from './corpus.ts';
export { gaps, tektonRejects, type Gap } from './expected.ts';
export { firstRun, judge, type Outcome } from './judge.ts';
export { mapPool } from './pool.ts';
export { nowPasses, problems, score, scoreLine, type Score } from './verdict.ts';

/** defaultJobs is how many files run at once: $CONFORMANCE_JOBS, else 3 (the suite's budget assumes 2 cores). */
export const defaultJobs = Number(process.env.CONFORMANCE_JOBS) || 3;
