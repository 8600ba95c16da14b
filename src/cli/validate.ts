// validate.ts: `tektite validate -f FILE...`: admission checks only, nothing runs or is stored.
import { admitFiles, otherKindNotes } from './objects.ts';
import type { CommandIO } from './run.ts';

/** validateCommand returns 0 when every object is valid, 2 otherwise. */
export async function validateCommand(opts: { files: string[]; featureFlags: Record<string, string>; defaults: Record<string, string> }, io: CommandIO): Promise<number> {
  const admitted = await admitFiles(opts.files, opts);
  if (admitted.errors.length) {
    io.stderr.write(`${admitted.errors.join('\n')}\n`);
    return 2;
  }
  for (const o of admitted.objects)
    io.stdout.write(`${o.object.kind.toLowerCase()}${o.object.apiVersion.startsWith('tekton.dev') ? '.tekton.dev' : ''}/${o.object.metadata.name} valid (${o.file})\n`);
  // kubectl's resource.group naming (clusterrolebinding.rbac.authorization.k8s.io/x) for the others.
  for (const o of admitted.others) {
    const group = o.object.apiVersion.includes('/') ? `.${o.object.apiVersion.split('/')[0]}` : '';
    io.stdout.write(`${o.object.kind.toLowerCase()}${group}/${o.object.metadata.name} valid (${o.file})\n`);
  }
  for (const note of otherKindNotes(admitted.others, 'valid')) io.stderr.write(`${note}\n`);
  return 0;
}
