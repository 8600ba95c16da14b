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

// Reasons shared by several files.
const sidecarLogs = 'results-from=sidecar-logs: the results sidecar fails (exit 128)';
const noCommand = "a step has no command: needs its image's ENTRYPOINT (Tekton's entrypoint lookup)";
const pipelinesInPipelines = 'pipelines-in-pipelines: a pipeline task with pipelineRef/pipelineSpec is rejected (spec.tasks[0].taskRef)';
const otherKind = (kind: string): string => `a non-Tekton kind (${kind}) is rejected: "no kind registered"`;

export const gaps: Record<string, Gap> = {
  'pipelineruns/alpha/pipelinerun-large-results.yaml': { run: sidecarLogs },
  'pipelineruns/alpha/pipelinerun-with-cel-when-expressions.yaml': { run: sidecarLogs },
  'pipelineruns/alpha/pipelines-in-pipelines-ref-complex.yaml': { validate: pipelinesInPipelines },
  'pipelineruns/alpha/pipelines-in-pipelines-ref.yaml': { validate: pipelinesInPipelines },
  'pipelineruns/alpha/pipelines-in-pipelines.yaml': { validate: pipelinesInPipelines },
  'pipelineruns/beta/7392-regression.yaml': { run: sidecarLogs },
  'pipelineruns/beta/ignore-task-error.yaml': { run: 'onError: continue with matrix: $(tasks.<matrixed task>.reason) is not FailureIgnored in finally' },
  'pipelineruns/beta/pipeline-emitting-results.yaml': { run: sidecarLogs },
  'pipelineruns/beta/pipeline-with-when-expressions-using-array-results.yaml': { run: sidecarLogs },
  'pipelineruns/beta/pipelinerun-with-matrix-and-results.yaml': { run: sidecarLogs },
  'pipelineruns/beta/pipelinerun-with-matrix-and-taskrunspecs-param-substitution.yaml': { run: sidecarLogs },
  'pipelineruns/beta/pipelinerun-with-matrix-context-variables.yaml': { run: sidecarLogs },
  'pipelineruns/beta/pipelinerun-with-matrix-emitting-results.yaml': { run: sidecarLogs },
  'pipelineruns/beta/propagated-pipeline-object-param.yaml': { run: noCommand },
  'pipelineruns/no-ci/compressed-results-pipeline.yaml': { validate: 'spec.steps[0].script: "non-existent variable" for a $(...) the script builds itself' },
  'pipelineruns/no-ci/csi-workspace.yaml': { validate: otherKind('SecretProviderClass') },
  'pipelineruns/no-ci/limitrange.yaml': { validate: otherKind('LimitRange') },
  'pipelineruns/pipelinerun.yaml': { validate: otherKind('ClusterRoleBinding') },
  'pipelineruns/propagating_workspaces_with_referenced_resources.yaml': { validate: 'spec.pipelineSpec.tasks[0].workspaces[0]: propagated workspaces with a referenced Task are rejected' },
  'pipelineruns/stepaction-params.yaml': { run: 'TaskRunResolutionFailed: an array param passed from the PipelineRun to a StepAction' },
  'taskruns/alpha/compressed-results.yaml': { run: sidecarLogs },
  'taskruns/array-default.yaml': { run: noCommand },
  'taskruns/beta/emit-array-results.yaml': { run: sidecarLogs },
  'taskruns/beta/large-task-result.yaml': { run: sidecarLogs },
  'taskruns/beta/param_array_indexing.yaml': { run: noCommand },
  'taskruns/beta/propagated-object-parameters.yaml': { run: noCommand },
  'taskruns/entrypoint-resolution.yaml': { run: noCommand },
  'taskruns/no-ci/limitrange.yaml': { validate: otherKind('LimitRange') },
  'taskruns/step-by-digest.yaml': { run: noCommand },
  'taskruns/steps-run-in-order.yaml': { run: noCommand },
};
