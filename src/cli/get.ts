// get.ts: `tektite get KIND [NAME...]`: objects of the state dir's object store, as `kubectl get`
// prints them: a table (runs with the Succeeded/Reason/StartTime/CompletionTime columns of Tekton's
// CRDs, config/300-crds; pods as kubectl's printPod, simplified; other kinds NAME and AGE), or
// `-o json|yaml|name`.
import { stringify } from 'yaml';
import { namespaceOf, parseLabelSelector, type KObject, type ObjectStore } from '../store/index.ts';
import { objectName, qualifiedPlural, resourceFor, type Resource } from './kinds.ts';
import { age, renderTable } from './render/table.ts';
import type { CommandIO } from './run.ts';
import { withStore } from './state.ts';

/** GetOptions are the parsed arguments and flags of `tektite get`. */
export interface GetOptions {
  kind: string;
  names: string[];
  namespace: string;
  allNamespaces: boolean;
  selector?: string;
  output?: 'json' | 'yaml' | 'name';
  stateDir: string;
  /** now is when ages are measured to (tests fix it). */
  now?: Date;
}

/** getCommand returns 0 when everything asked for was found, 1 when a named object is not, 2 on bad usage, 74 when the store cannot be used. */
export async function getCommand(opts: GetOptions, io: CommandIO): Promise<number> {
  const resource = resourceFor(opts.kind);
  if (!resource) {
    io.stderr.write(`error: the server doesn't have a resource type ${JSON.stringify(opts.kind)}\n`);
    return 2;
  }
  if (opts.allNamespaces && opts.names.length) {
    io.stderr.write('error: a resource cannot be retrieved by name across all namespaces\n');
    return 2;
  }
  const selector = parseLabelSelector(opts.selector);
  if (!selector.ok) {
    io.stderr.write(`error: ${selector.message}\n`);
    return 2;
  }
  return withStore(opts.stateDir, io, (store) => get(store, resource, opts, io));
}

async function get(store: ObjectStore, resource: Resource, opts: GetOptions, io: CommandIO): Promise<number> {
  const namespace = namespaceOf(resource.kind, opts.namespace);
  let code = 0;
  let items: KObject[];
  if (opts.names.length) {
    items = [];
    for (const name of opts.names) {
      const found = await store.get({ kind: resource.kind, namespace, name });
      if (found) items.push(found);
      else {
        io.stderr.write(`Error from server (NotFound): ${qualifiedPlural(resource)} ${JSON.stringify(name)} not found\n`);
        code = 1;
      }
    }
  } else {
    items = (await store.list(resource.kind, { namespace: opts.allNamespaces ? undefined : namespace, labelSelector: opts.selector })).items;
  }
  if (opts.output === 'json' || opts.output === 'yaml') {
    // One object asked for by name is printed alone, anything else as a List (kubectl does the same).
    const doc = opts.names.length === 1 && items.length === 1 ? items[0] : { apiVersion: 'v1', kind: 'List', items };
    if (opts.names.length && !items.length) return code;
    io.stdout.write(opts.output === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : stringify(doc));
    return code;
  }
  if (!items.length) {
    if (!opts.names.length) io.stderr.write(opts.allNamespaces || !namespace ? 'No resources found\n' : `No resources found in ${namespace} namespace.\n`);
    return code;
  }
  if (opts.output === 'name') io.stdout.write(items.map((o) => `${objectName(o)}\n`).join(''));
  else io.stdout.write(table(resource, items, opts.allNamespaces, opts.now ?? new Date()));
  return code;
}

type Run = KObject & { status?: { startTime?: string; completionTime?: string; conditions?: { type: string; status: string; reason?: string }[] } };
type Pod = KObject & {
  spec?: { containers?: unknown[] };
  status?: {
    phase?: string;
    reason?: string;
    containerStatuses?: { ready?: boolean; restartCount?: number; state?: { waiting?: { reason?: string }; terminated?: { reason?: string } } }[];
  };
};

/** table renders the columns of the kind; with -A, a NAMESPACE column first. */
export function table(resource: Resource, items: KObject[], allNamespaces: boolean, now: Date): string {
  let headers: string[];
  let row: (o: KObject) => string[];
  if (resource.run) {
    headers = ['NAME', 'SUCCEEDED', 'REASON', 'STARTTIME', 'COMPLETIONTIME'];
    row = (o) => {
      const s = (o as Run).status;
      const c = s?.conditions?.find((x) => x.type === 'Succeeded');
      return [o.metadata.name ?? '', c?.status ?? '', c?.reason ?? '', age(s?.startTime, now), age(s?.completionTime, now)];
    };
  } else if (resource.kind === 'Pod') {
    headers = ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'];
    row = (o) => {
      const p = o as Pod;
      const statuses = p.status?.containerStatuses ?? [];
      const ready = statuses.filter((c) => c.ready).length;
      const restarts = statuses.reduce((n, c) => n + (c.restartCount ?? 0), 0);
      return [o.metadata.name ?? '', `${ready}/${p.spec?.containers?.length ?? statuses.length}`, podStatus(p), String(restarts), age(o.metadata.creationTimestamp, now)];
    };
  } else {
    headers = ['NAME', 'AGE'];
    row = (o) => [o.metadata.name ?? '', age(o.metadata.creationTimestamp, now)];
  }
  const rows = items.map((o) => (allNamespaces ? [o.metadata.namespace ?? '', ...row(o)] : row(o)));
  return renderTable(allNamespaces ? ['NAMESPACE', ...headers] : headers, rows);
}

/** podStatus is kubectl's STATUS column (printPod): Terminating, else a container's waiting/terminated reason, else the phase. */
function podStatus(p: Pod): string {
  if (p.metadata.deletionTimestamp) return 'Terminating';
  let reason = p.status?.reason ?? p.status?.phase ?? 'Pending';
  for (const c of p.status?.containerStatuses ?? []) {
    const r = c.state?.waiting?.reason ?? c.state?.terminated?.reason;
    if (r) reason = r;
  }
  return reason;
}
