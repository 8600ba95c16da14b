// resolution: the one seam through which a TaskRun, PipelineRun or step finds the Task, Pipeline
// or StepAction it names (Tekton's pkg/reconciler/{taskrun,pipelinerun}/resources and
// pkg/resolution). Local objects come from the object store; the remote resolvers (bundles, git,
// http, cluster, hub) and `wrap` will plug in here, behind the same Resolver.
export { localResolver } from './local.ts';
export type { Resolver, Resolution, ResolvedKind } from './types.ts';
