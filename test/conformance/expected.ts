// expected.ts: THE table of known conformance gaps — every file of Tekton's example corpus that does
// not yet reach Tekton's outcome, one line per file, keyed by its path under examples/v1/.
// A file not listed here must validate (and, when host-class, run to Succeeded=True); a listed file
// that now passes fails the suite with "now passes: remove it from the gap table".
//   validate: `tektite validate` rejects a file Tekton's webhook accepts (its run is then not judged).
//   run:      the file validates, but its first TaskRun/PipelineRun does not end Succeeded=True on the host.
// Not run on the host (validated only): image-tool 4, network 11, cluster 24 files (INDEX.tsv's class);
// a `run` gap on one of them is an error. Update: `npm run conformance` prints the per-file table.

/** Gap is why a file does not reach Tekton's outcome yet. */
export interface Gap {
  validate?: string;
  run?: string;
}

export const gaps: Record<string, Gap> = {};

/**
 * Files Tekton's own webhook rejects (never created by its CI; they sit in no-ci/): Tektite must
 * reject them too, at the same field path. Value: the path of Tekton's error.
 */
export const tektonRejects: Record<string, string> = {
  // `$(results.digest-${i}.path)`: Tekton's variable regex (pkg/substitution/substitution.go) reads the
  // result name `digest-${i}`, which the Task does not declare (task_validation.go validateTaskResultsVariables).
  'pipelineruns/no-ci/compressed-results-pipeline.yaml': 'spec.steps[0].script',
};
