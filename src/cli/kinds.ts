// kinds.ts: the resource names kubectl and tkn accept for each kind (`taskrun`, `taskruns`, `tr`,
// `taskruns.tekton.dev`), and kubectl's `<kind>.<group>/<name>` naming of one object.

/** Resource is one kind as the command line names it. */
export interface Resource {
  kind: string;
  /** plural is the API resource (`taskruns`), as messages name it: `taskruns.tekton.dev "x" not found`. */
  plural: string;
  /** group is the API group; "" for the core group. */
  group: string;
  short: string[];
  /** run is true for TaskRun and PipelineRun (their table shows the Succeeded condition). */
  run?: boolean;
}

// Short names as the CRDs (tekton config/300-crds) and kubectl's core kinds declare them.
const RESOURCES: Resource[] = [
  { kind: 'TaskRun', plural: 'taskruns', group: 'tekton.dev', short: ['tr', 'trs'], run: true },
  { kind: 'PipelineRun', plural: 'pipelineruns', group: 'tekton.dev', short: ['pr', 'prs'], run: true },
  { kind: 'Task', plural: 'tasks', group: 'tekton.dev', short: [] },
  { kind: 'Pipeline', plural: 'pipelines', group: 'tekton.dev', short: [] },
  { kind: 'StepAction', plural: 'stepactions', group: 'tekton.dev', short: [] },
  { kind: 'Pod', plural: 'pods', group: '', short: ['po'] },
  { kind: 'ConfigMap', plural: 'configmaps', group: '', short: ['cm'] },
  { kind: 'Secret', plural: 'secrets', group: '', short: [] },
  { kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', group: '', short: ['pvc'] },
  { kind: 'ServiceAccount', plural: 'serviceaccounts', group: '', short: ['sa'] },
  { kind: 'LimitRange', plural: 'limitranges', group: '', short: ['limits'] },
  { kind: 'Namespace', plural: 'namespaces', group: '', short: ['ns'] },
  { kind: 'Role', plural: 'roles', group: 'rbac.authorization.k8s.io', short: [] },
  { kind: 'RoleBinding', plural: 'rolebindings', group: 'rbac.authorization.k8s.io', short: [] },
  { kind: 'ClusterRole', plural: 'clusterroles', group: 'rbac.authorization.k8s.io', short: [] },
  { kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', group: 'rbac.authorization.k8s.io', short: [] },
];

/** resourceFor finds a kind by any name kubectl accepts for it (case-insensitive); undefined when none. */
export function resourceFor(name: string): Resource | undefined {
  const n = name.toLowerCase();
  return RESOURCES.find((r) => {
    const names = [r.kind.toLowerCase(), r.plural, ...r.short];
    return names.includes(n) || (r.group !== '' && names.some((x) => `${x}.${r.group}` === n));
  });
}

/** qualifiedPlural is how API errors name a kind: `taskruns.tekton.dev`, `configmaps`. */
export function qualifiedPlural(r: Resource): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

/** objectName is kubectl's `-o name` of an object: `taskrun.tekton.dev/x`, `configmap/x`. */
export function objectName(obj: { apiVersion: string; kind: string; metadata: { name?: string } }): string {
  const group = obj.apiVersion.includes('/') ? `.${obj.apiVersion.split('/')[0]}` : '';
  return `${obj.kind.toLowerCase()}${group}/${obj.metadata.name}`;
}
