// volumes.ts: one pod volume per workspace binding (pkg/workspace/apply.go CreateVolumes) and the
// PVC a volumeClaimTemplate becomes (pkg/reconciler/volumeclaim GetPVCName).
import { createHash } from 'node:crypto';
import type { V1Volume } from '@kubernetes/client-node';
import type { WorkspaceBinding } from '../api/index.ts';

/** fnv32a is the 32-bit FNV-1a hash of the UTF-8 bytes of text (Go hash/fnv New32a). */
export function fnv32a(text: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(text, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** generateHashedName is Tekton's names.GenerateHashedName: `<prefix>-<first n hex of fnv32a(name)>`. */
export function generateHashedName(prefix: string, name: string, hashLength = 5): string {
  return `${prefix}-${fnv32a(name).toString(16).padStart(8, '0').slice(0, hashLength)}`;
}

/** pvcNameForTemplate names the PVC of a volumeClaimTemplate: `<template name or "pvc">-<10 hex of sha256(ws+ownerUID)>`. */
export function pvcNameForTemplate(binding: WorkspaceBinding, ownerUID: string): string {
  const meta = (binding.volumeClaimTemplate as { metadata?: { name?: string } } | undefined)?.metadata;
  const hash = createHash('sha256')
    .update(binding.name + ownerUID)
    .digest('hex')
    .slice(0, 10);
  return `${meta?.name || 'pvc'}-${hash}`;
}

/**
 * createVolumes returns, per bound workspace name, the volume it is realised with. Names are
 * `ws-` + 5 hex chars; collisions are re-hashed; one PVC bound twice shares one volume.
 */
export function createVolumes(bindings: WorkspaceBinding[]): Map<string, V1Volume> {
  const out = new Map<string, V1Volume>();
  const pvcs = new Map<string, V1Volume>();
  const used = new Set<string>();
  for (const b of bindings) {
    let name = generateHashedName('ws', b.name);
    while (used.has(name)) name = generateHashedName('ws', `${name}$`);
    used.add(name);
    const claim = b.persistentVolumeClaim?.claimName;
    if (claim !== undefined) {
      const existing = pvcs.get(claim);
      if (existing) out.set(b.name, existing);
      else pvcs.set(claim, out.set(b.name, { name, persistentVolumeClaim: { ...b.persistentVolumeClaim! } }).get(b.name)!);
      continue;
    }
    const source = volumeSource(b);
    if (source) out.set(b.name, { name, ...source } as V1Volume);
  }
  return out;
}

function volumeSource(b: WorkspaceBinding): Partial<V1Volume> | undefined {
  if (b.emptyDir) return { emptyDir: structuredClone(b.emptyDir) };
  if (b.configMap) return { configMap: structuredClone(b.configMap) };
  if (b.secret) return { secret: structuredClone(b.secret) };
  if (b.projected) return { projected: structuredClone(b.projected) };
  if (b.csi) return { csi: structuredClone(b.csi) as unknown as V1Volume['csi'] };
  return undefined;
}
