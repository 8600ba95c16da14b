// declared.ts: the runs an example file declares, and the check that a printed run is that one
// (same apiVersion; same name, or generateName plus Kubernetes' 5-character suffix).
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import type { RunObject } from './cli.ts';

/** DeclaredRun is a run as the file writes it. */
export interface DeclaredRun {
  apiVersion: string;
  namespace: string;
  name?: string;
  generateName?: string;
}

// Kubernetes' generateName suffix: 5 characters of this alphabet (k8s.io/apimachinery/pkg/util/rand).
const generatedSuffix = /^[bcdfghjklmnpqrstvwxz2456789]{5}$/;

/** declaredRuns lists the objects of one kind a file creates, in file order. */
export function declaredRuns(text: string, kind: 'TaskRun' | 'PipelineRun'): DeclaredRun[] {
  const runs: DeclaredRun[] = [];
  for (const doc of parseAllDocuments(text)) {
    const obj = doc.toJS() as { apiVersion?: string; kind?: string; metadata?: { name?: string; generateName?: string; namespace?: string } } | null;
    if (obj?.kind !== kind) continue;
    const m = obj.metadata ?? {};
    runs.push({ apiVersion: obj.apiVersion ?? '', namespace: m.namespace ?? 'default', name: m.name, generateName: m.generateName });
  }
  return runs;
}

/** assertName checks a printed run is the declared one: its apiVersion and its (generated) name. */
export function assertName(run: RunObject, declared: DeclaredRun): void {
  assert.equal(run.apiVersion, declared.apiVersion, 'a run is printed in the apiVersion the user wrote');
  if (declared.name) {
    assert.equal(run.metadata.name, declared.name);
    return;
  }
  const prefix = declared.generateName ?? '';
  assert.ok(run.metadata.name.startsWith(prefix), `${run.metadata.name} starts with ${prefix}`);
  assert.match(run.metadata.name.slice(prefix.length), generatedSuffix);
}
