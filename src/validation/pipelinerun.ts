// pipelinerun.ts: PipelineRun validation (pipelinerun_validation.go): ref/spec, status, timeouts.
import type { PipelineRun } from '../api/index.ts';
import type { Config } from '../config/index.ts';
import { formatGoDuration, parseGoDuration } from '../duration/index.ts';
import { FieldError, errInvalidValue, errMissingOneOf, errMultipleOneOf } from '../errors/index.ts';
import { validateEnabledAPIFields } from './feature-gate.ts';
import { validatePipelineSpec } from './pipeline.ts';

const PR_STATUSES = ['Cancelled', 'CancelledRunFinally', 'StoppedRunFinally', 'PipelineRunPending'];

/** validatePipelineRun validates a PipelineRun, including an inline pipelineSpec. */
export function validatePipelineRun(pr: PipelineRun, config: Config): FieldError | undefined {
  const s = pr.spec;
  let errs: FieldError | undefined;
  const add = (e: FieldError | undefined) => {
    errs = FieldError.merge(errs, e);
  };
  if (!s.pipelineRef && !s.pipelineSpec) add(errMissingOneOf('spec.pipelineRef', 'spec.pipelineSpec'));
  if (s.pipelineRef && s.pipelineSpec) add(errMultipleOneOf('spec.pipelineRef', 'spec.pipelineSpec'));
  if (s.pipelineSpec) add(validatePipelineSpec(s.pipelineSpec, config)?.viaField('spec', 'pipelineSpec'));
  if (s.status && !PR_STATUSES.includes(s.status)) {
    add(errInvalidValue(`${s.status} should be Cancelled, CancelledRunFinally, StoppedRunFinally or PipelineRunPending`, 'spec.status'));
  }
  add(validateTimeouts(pr));
  add(validateTaskRunSpecGates(pr, config));
  return errs;
}

// pipelinerun_validation.go validateTaskRunSpec: stepSpecs, sidecarSpecs and computeResources are beta.
function validateTaskRunSpecGates(pr: PipelineRun, config: Config): FieldError | undefined {
  return FieldError.merge(
    ...(pr.spec.taskRunSpecs ?? []).flatMap((s, i) =>
      (['stepSpecs', 'sidecarSpecs', 'computeResources'] as const).map((key) =>
        s[key] ? validateEnabledAPIFields(config, key, 'beta')?.viaField(`spec.taskRunSpecs[${i}].${key}`) : undefined,
      ),
    ),
  );
}

function duration(text: string | undefined, path: string): { ms?: number; err?: FieldError } {
  if (text === undefined) return {};
  const d = parseGoDuration(text);
  if (!d.ok) return { err: errInvalidValue(`${text}: ${d.error}`, path) };
  if (d.ms < 0) return { err: errInvalidValue(`${text} should be >= 0`, path) };
  return { ms: d.ms };
}

function validateTimeouts(pr: PipelineRun): FieldError | undefined {
  const t = pr.spec.timeouts ?? {};
  const pipeline = duration(t.pipeline, 'spec.timeouts.pipeline');
  const tasks = duration(t.tasks, 'spec.timeouts.tasks');
  const fin = duration(t.finally, 'spec.timeouts.finally');
  let errs = FieldError.merge(pipeline.err, tasks.err, fin.err);
  if (errs) return errs;
  // The defaulting webhook fills timeouts.pipeline with default-timeout-minutes (60m).
  const p = pipeline.ms ?? 60 * 60_000;
  const show = (ms: number) => (ms === 0 ? `${formatGoDuration(ms)} (no timeout)` : formatGoDuration(ms));
  if (p !== 0) {
    if (tasks.ms !== undefined && (tasks.ms > p || tasks.ms === 0))
      errs = FieldError.merge(errs, errInvalidValue(`${show(tasks.ms)} should be <= pipeline duration`, 'spec.timeouts.tasks'));
    if (fin.ms !== undefined && (fin.ms > p || fin.ms === 0))
      errs = FieldError.merge(errs, errInvalidValue(`${show(fin.ms)} should be <= pipeline duration`, 'spec.timeouts.finally'));
    if (tasks.ms !== undefined && fin.ms !== undefined && tasks.ms + fin.ms > p) {
      errs = FieldError.merge(
        errs,
        FieldError.of(`invalid value: ${show(tasks.ms)} + ${show(fin.ms)} should be <= pipeline duration`, ['spec.timeouts.finally', 'spec.timeouts.tasks']),
      );
    }
  }
  (pr.spec.taskRunSpecs ?? []).forEach((s, i) => {
    const d = duration(s.timeout, `spec.taskRunSpecs[${i}].timeout`);
    if (d.err) errs = FieldError.merge(errs, d.err);
    else if (d.ms !== undefined && p !== 0 && d.ms > p) {
      errs = FieldError.merge(errs, errInvalidValue(`${formatGoDuration(d.ms)} should be <= pipeline duration ${formatGoDuration(p)}`, `spec.taskRunSpecs[${i}].timeout`));
    }
  });
  return errs;
}
