// workspace.ts: workspace declarations (Task, Pipeline), bindings (runs) and PipelineTask wiring.
import { z } from 'zod';
import { ConfigMapVolumeSource, Loose, SecretVolumeSource } from './meta.ts';

/** WorkspaceDeclaration is a workspace a Task needs. */
export const WorkspaceDeclaration = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
  mountPath: z.string().optional(),
  readOnly: z.boolean().optional(),
  optional: z.boolean().optional(),
});
export type WorkspaceDeclaration = z.infer<typeof WorkspaceDeclaration>;

/** WorkspaceBinding maps a workspace to a volume source in a TaskRun or PipelineRun. */
export const WorkspaceBinding = z.strictObject({
  name: z.string(),
  subPath: z.string().optional(),
  volumeClaimTemplate: Loose.optional(),
  persistentVolumeClaim: z.looseObject({ claimName: z.string(), readOnly: z.boolean().optional() }).optional(),
  emptyDir: z.looseObject({}).optional(),
  configMap: ConfigMapVolumeSource.optional(),
  secret: SecretVolumeSource.optional(),
  projected: Loose.optional(),
  csi: Loose.optional(),
});
export type WorkspaceBinding = z.infer<typeof WorkspaceBinding>;

/** PipelineWorkspaceDeclaration is a workspace a Pipeline needs. */
export const PipelineWorkspaceDeclaration = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
  optional: z.boolean().optional(),
});

/** WorkspacePipelineTaskBinding passes a Pipeline workspace to a PipelineTask. */
export const WorkspacePipelineTaskBinding = z.strictObject({
  name: z.string(),
  workspace: z.string().optional(),
  subPath: z.string().optional(),
});

/** WorkspaceUsage is a step's or sidecar's own use of a workspace (isolated workspaces). */
export const WorkspaceUsage = z.strictObject({ name: z.string(), mountPath: z.string().optional() });
