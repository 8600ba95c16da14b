// step-artifacts.ts: runtime `$(steps.<step>.inputs|outputs.<artifact>)` substitution
// (Entrypointer.applyStepArtifactSubstitutions, pkg/entrypoint/entrypointer.go): in the script file, or else in
// each command word, and in the environment, from the producing step's artifacts/provenance.json.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { PathResolver } from './step-files.ts';

const STEPS_DIR = '/tekton/steps';
const SCRIPTS_DIR = '/tekton/scripts';
// internal/artifactref: stepArtifactUsagePattern.
const REFERENCE = /\$\(steps\.([^.]+)\.(inputs|outputs)\.([^.)]+)\)/g;

interface Artifact {
  name?: string;
  values?: unknown[];
}

/** artifactValues is getArtifactValues: the JSON of the named artifact's values in the step's provenance.json. */
function artifactValues(step: string, kind: string, name: string, resolvePath: PathResolver): string {
  const file = resolvePath(join(STEPS_DIR, `step-${step}`, 'artifacts', 'provenance.json'));
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { inputs?: Artifact[]; outputs?: Artifact[] };
  const found = (kind === 'outputs' ? parsed.outputs : parsed.inputs)?.find((a) => a.name === name);
  if (!found) throw new Error(`values for template $(steps.${step}.${kind}.${name}) not found`);
  return JSON.stringify(found.values ?? null);
}

/** replaceArtifacts is replaceValue: each reference replaced by its values; the first failure is an error. */
function replaceArtifacts(text: string, resolvePath: PathResolver): string {
  return text.replace(REFERENCE, (_whole, step: string, kind: string, name: string) => artifactValues(step, kind, name, resolvePath));
}

/**
 * substituteStepArtifacts returns the command and environment with artifact references replaced. A script
 * (a single command word under /tekton/scripts) is rewritten to a new executable file: Tekton writes it to the
 * temp dir; here it goes to the step's own metadata dir, a path every executor resolves the same way.
 * Errors are returned (Tekton logs them and runs the step unchanged).
 */
export function substituteStepArtifacts(
  command: string[],
  env: NodeJS.ProcessEnv,
  stepMetadataDir: string,
  resolvePath: PathResolver,
): { command: string[]; env: NodeJS.ProcessEnv } | { error: string } {
  try {
    let next = command;
    if (command.length === 1 && posix.dirname(command[0]) === SCRIPTS_DIR) {
      const text = readFileSync(resolvePath(command[0]), 'utf8');
      const replaced = replaceArtifacts(text, resolvePath);
      if (replaced !== text) {
        const script = posix.join(stepMetadataDir, `script-${randomBytes(4).toString('hex')}`);
        const host = resolvePath(script);
        writeFileSync(host, replaced);
        chmodSync(host, 0o755);
        next = [script];
      }
    } else {
      next = command.map((word) => replaceArtifacts(word, resolvePath));
    }
    const nextEnv: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(env)) nextEnv[k] = v === undefined ? v : replaceArtifacts(v, resolvePath);
    return { command: next, env: nextEnv };
  } catch (err) {
    return { error: (err as Error).message };
  }
}
