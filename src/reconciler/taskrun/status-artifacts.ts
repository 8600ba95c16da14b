// status-artifacts.ts: TaskRun status.artifacts and status.steps[].inputs/outputs (TEP-0147) from
// what steps report: termination-message entries of type 5 (step) and 6 (TaskRun), or the results
// sidecar's stepArtifact/taskArtifact lines (pkg/pod/status.go setTaskRunArtifactsFromRunResult,
// setStepArtifactsValueFrom*; pkg/apis/pipeline/v1/artifact_types.go Artifacts.Merge).
import type { Artifact, ArtifactValue, Artifacts } from '../../api/index.ts';
import { RunResultType, type RunResult } from '../../termination/index.ts';

/**
 * decodeArtifacts reads an artifacts value as json.Unmarshal into v1.Artifacts does: only the
 * fields present are set, so it layers over `into`. Undefined when the JSON does not fit the type
 * (Tekton logs that and keeps what it had).
 */
export function decodeArtifacts(raw: string, into: Artifacts = {}): Artifacts | undefined {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (v === null) return into;
  if (!isObject(v)) return undefined;
  const out: Artifacts = { ...into };
  for (const key of ['inputs', 'outputs'] as const) {
    if (!(key in v)) continue;
    const list = decodeList(v[key]);
    if (list === undefined) return undefined;
    if (list === null) delete out[key];
    else out[key] = list;
  }
  return out;
}

function decodeList(v: unknown): Artifact[] | null | undefined {
  if (v === null) return null;
  if (!Array.isArray(v)) return undefined;
  const out: Artifact[] = [];
  for (const a of v) {
    if (!isObject(a)) return undefined;
    const art: Artifact = {};
    if (a.name !== undefined && a.name !== null) {
      if (typeof a.name !== 'string') return undefined;
      if (a.name) art.name = a.name;
    }
    if (a.values !== undefined && a.values !== null) {
      if (!Array.isArray(a.values)) return undefined;
      const values = a.values.map(decodeValue);
      if (values.some((x) => x === undefined)) return undefined;
      if (values.length) art.values = values as ArtifactValue[];
    }
    if (a.buildOutput !== undefined && a.buildOutput !== null) {
      if (typeof a.buildOutput !== 'boolean') return undefined;
      if (a.buildOutput) art.buildOutput = true;
    }
    out.push(art);
  }
  return out;
}

function decodeValue(v: unknown): ArtifactValue | undefined {
  if (!isObject(v)) return undefined;
  const out: ArtifactValue = {};
  if (v.uri !== undefined && v.uri !== null) {
    if (typeof v.uri !== 'string') return undefined;
    if (v.uri) out.uri = v.uri;
  }
  if (v.digest !== undefined && v.digest !== null) {
    if (!isObject(v.digest) || !Object.values(v.digest).every((d) => typeof d === 'string')) return undefined;
    if (Object.keys(v.digest).length) out.digest = { ...(v.digest as Record<string, string>) };
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * mergeArtifacts is Artifacts.Merge: values are unioned per artifact name (duplicates dropped),
 * an output's buildOutput only ever turns on, inputs lose buildOutput. Go iterates a map here, so
 * its order is random; Tektite keeps first-seen order.
 */
export function mergeArtifacts(a: Artifacts, b: Artifacts | undefined): Artifacts {
  const inputs = new Map<string, Artifact>();
  for (const x of a.inputs ?? []) inputs.set(x.name ?? '', { name: x.name, values: [...(x.values ?? [])] });
  for (const x of b?.inputs ?? []) addValues(inputs, x, false);
  const outputs = new Map<string, Artifact>();
  for (const x of a.outputs ?? []) outputs.set(x.name ?? '', { name: x.name, values: [...(x.values ?? [])], buildOutput: x.buildOutput });
  for (const x of b?.outputs ?? []) addValues(outputs, x, true);
  const out: Artifacts = {};
  if (inputs.size) out.inputs = [...inputs.values()].map(tidy);
  if (outputs.size) out.outputs = [...outputs.values()].map(tidy);
  return out;
}

function addValues(into: Map<string, Artifact>, x: Artifact, keepBuildOutput: boolean): void {
  const key = x.name ?? '';
  const art = into.get(key) ?? { name: x.name, values: [] };
  if (keepBuildOutput && x.buildOutput) art.buildOutput = true;
  for (const v of x.values ?? []) if (!art.values!.some((w) => sameValue(v, w))) art.values!.push(v);
  into.set(key, art);
}

function sameValue(a: ArtifactValue, b: ArtifactValue): boolean {
  if ((a.uri ?? '') !== (b.uri ?? '')) return false;
  const da = Object.entries(a.digest ?? {});
  const db = b.digest ?? {};
  return da.length === Object.keys(db).length && da.every(([k, v]) => db[k] === v);
}

/** tidy drops empty fields, as the JSON form (omitempty) would. */
function tidy(a: Artifact): Artifact {
  const out: Artifact = {};
  if (a.name) out.name = a.name;
  if (a.values?.length) out.values = a.values;
  if (a.buildOutput) out.buildOutput = true;
  return out;
}

/** firstOfType decodes the first entry of a type over `into` (Tekton stops at the first one). */
export function firstOfType(entries: readonly RunResult[], type: number, into: Artifacts, key?: string): Artifacts {
  const e = entries.find((r) => r.type === type && (key === undefined || r.key === key));
  if (!e) return into;
  return decodeArtifacts(e.value, into) ?? into;
}

/** stepArtifactsFromSidecar is setStepArtifactsValueFromSidecarLogResult: the `stepArtifact` line named for the container. */
export function stepArtifactsFromSidecar(lines: readonly RunResult[], container: string): Artifacts {
  return firstOfType(lines, RunResultType.StepArtifactsResult, {}, container);
}
