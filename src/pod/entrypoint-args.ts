// entrypoint-args.ts: step containers rewritten to run under /tekton/bin/entrypoint, ordered by
// wait/post files (pkg/pod/entrypoint.go orderContainers; TEKTON-FACTS §2.3).
import type { V1Container } from '@kubernetes/client-node';
import type { Step, TaskResult, WhenExpression } from '../api/index.ts';
import { formatGoDuration, parseGoDuration } from '../duration/index.ts';
import { FieldError } from '../validation/index.ts';
import { DOWNWARD_DIR, ENTRYPOINT_BINARY, RUN_DIR, TERMINATION_PATH, downwardMount } from './volumes.ts';

/** orderContainers wraps each step's command in the entrypoint with Tekton's flags, in Tekton's order. */
export function orderContainers(
  commonArgs: string[],
  containers: V1Container[],
  steps: Step[],
  results: TaskResult[] | undefined,
  waitForReady: boolean,
): { containers: V1Container[] } | { error: FieldError } {
  if (containers.length === 0) return { error: FieldError.of('no steps specified') };
  const out: V1Container[] = [];
  for (const [i, c] of containers.entries()) {
    const args: string[] = [];
    if (i === 0 && waitForReady) args.push('-wait_file', `${DOWNWARD_DIR}/ready`, '-wait_file_content');
    if (i > 0) args.push('-wait_file', `${RUN_DIR}/${i - 1}/out`);
    args.push('-post_file', `${RUN_DIR}/${i}/out`, '-termination_path', TERMINATION_PATH, '-step_metadata_dir', `${RUN_DIR}/${i}/status`);
    args.push(...commonArgs);
    const stepArgs = stepFlags(steps[i]);
    if ('error' in stepArgs) return stepArgs;
    args.push(...stepArgs.args);
    if (results && results.length > 0)
      args.push(
        '-results',
        results
          .filter((r) => r.value === undefined)
          .map((r) => r.name)
          .join(','),
      );
    const [cmd0, ...cmdRest] = c.command ?? [];
    // A step with no command keeps the image's ENTRYPOINT: Tekton resolves it from the registry and
    // passes it in TEKTON_PLATFORM_COMMANDS; we leave -entrypoint out and let the executor resolve it.
    if (cmd0 !== undefined) args.push('-entrypoint', cmd0);
    args.push('--', ...cmdRest, ...(c.args ?? []));
    const mounts = i === 0 && waitForReady ? [...(c.volumeMounts ?? []), downwardMount()] : c.volumeMounts;
    out.push({ ...c, command: [ENTRYPOINT_BINARY], args, terminationMessagePath: TERMINATION_PATH, ...(mounts && { volumeMounts: mounts }) });
  }
  return { containers: out };
}

// Per-step flags: -on_error, -timeout, -stdout_path, -stderr_path, -step_results, --when_expressions.
function stepFlags(step: Step | undefined): { args: string[] } | { error: FieldError } {
  const args: string[] = [];
  if (!step) return { args };
  if (step.onError) {
    if (step.onError !== 'continue' && step.onError !== 'stopAndFail') {
      return { error: FieldError.of(`task step onError must be either "continue" or "stopAndFail" but it is set to an invalid value "${step.onError}"`) };
    }
    args.push('-on_error', step.onError);
  }
  if (step.timeout !== undefined) {
    const d = parseGoDuration(step.timeout);
    if (!d.ok) return { error: FieldError.of(d.error) };
    args.push('-timeout', formatGoDuration(d.ms));
  }
  if (step.stdoutConfig) args.push('-stdout_path', step.stdoutConfig.path ?? '');
  if (step.stderrConfig) args.push('-stderr_path', step.stderrConfig.path ?? '');
  if (step.results?.length) args.push('-step_results', step.results.map((r) => r.name).join(','));
  if (step.when?.length) args.push('--when_expressions', JSON.stringify(step.when.map(goWhen)));
  return { args };
}

// Go's json.Marshal of WhenExpression: field order input, operator, values, cel; empty fields omitted.
function goWhen(w: WhenExpression): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (w.input) out.input = w.input;
  if (w.operator) out.operator = w.operator;
  if (w.values?.length) out.values = w.values;
  if (w.cel) out.cel = w.cel;
  return out;
}
