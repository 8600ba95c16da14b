// apply.ts: `tektite apply -f FILE...`: admit every object in the files (as `run` does: Tekton's
// webhook, defaulting then validation) and write them to the state dir's object store, like
// `kubectl apply`. Nothing is written unless every object is valid. Runs are only created (a
// TaskRun or PipelineRun is one execution: an existing one is never changed by apply, as
// `kubectl create`); every other kind is created, or updated when it differs.
import type { ConfigMap } from '../api/index.ts';
import { localResolver } from '../resolution/index.ts';
import { keyOf, type KObject, type ObjectStore, type StoreResult } from '../store/index.ts';
import { objectName, qualifiedPlural, resourceFor } from './kinds.ts';
import { admitFiles, otherKindNotes } from './objects.ts';
import type { CommandIO } from './run.ts';
import { EXIT_STATE_STORE, withStore } from './state.ts';

/** ApplyOptions are the parsed flags of `tektite apply`. */
export interface ApplyOptions {
  files: string[];
  featureFlags: Record<string, string>;
  defaults: Record<string, string>;
  stateDir: string;
}

/** applyCommand returns 0 when every object was written, 1 when the store refused one, 2 for invalid input, 74 when the store cannot be used. */
export async function applyCommand(opts: ApplyOptions, io: CommandIO): Promise<number> {
  return withStore(opts.stateDir, io, (store) => apply(store, opts, io));
}

async function apply(store: ObjectStore, opts: ApplyOptions, io: CommandIO): Promise<number> {
  const admitted = await admitFiles(opts.files, opts, { resolver: localResolver(store), configData: await storedConfig(store) });
  if (admitted.errors.length) {
    io.stderr.write(`Error: invalid input:\n${admitted.errors.map((e) => `  ${e.replace(/\n/g, '\n  ')}`).join('\n')}\n`);
    return 2;
  }
  const all = [
    ...admitted.defaulted.map((object, i) => ({ object: object as KObject, file: admitted.objects[i]!.file })),
    ...admitted.others.map((o) => ({ object: o.object as KObject, file: o.file })),
  ];
  const isRun = (o: KObject) => o.kind === 'TaskRun' || o.kind === 'PipelineRun';
  // Runs last: a controller watching the store then finds the Tasks and Pipelines they name.
  let code = 0;
  for (const { object, file } of [...all.filter((o) => !isRun(o.object)), ...all.filter((o) => isRun(o.object))]) {
    const r = isRun(object) ? await createRun(store, object) : await createOrUpdate(store, object);
    if (r.ok) {
      io.stdout.write(`${objectName(object)} ${r.verb}\n`);
      continue;
    }
    io.stderr.write(`Error from server (${r.reason}): error when ${r.verb} ${JSON.stringify(file)}: ${r.message}\n`);
    code = Math.max(code, r.reason === 'StorageError' ? EXIT_STATE_STORE : 1);
  }
  for (const note of otherKindNotes(admitted.others, 'stored')) io.stderr.write(`${note}\n`);
  return code;
}

export type Outcome = { ok: true; verb: 'created' | 'configured' | 'unchanged' } | { ok: false; verb: 'creating' | 'applying'; reason: string; message: string };

async function createRun(store: ObjectStore, obj: KObject): Promise<Outcome> {
  const r = await store.create(obj);
  if (r.ok) return { ok: true, verb: 'created' };
  return { ok: false, verb: 'creating', reason: r.reason, message: r.reason === 'AlreadyExists' ? alreadyExists(obj) : r.message };
}

/** createOrUpdate writes obj over the stored one with a compare-and-swap, again on Conflict (another writer came first). */
export async function createOrUpdate(store: ObjectStore, obj: KObject): Promise<Outcome> {
  let last: StoreResult | undefined;
  for (let attempt = 0; attempt < 10; attempt++) {
    const cur = await store.get(keyOf(obj));
    if (!cur) {
      last = await store.create(obj);
      if (last.ok) return { ok: true, verb: 'created' };
      if (last.reason === 'AlreadyExists') continue;
      break;
    }
    if (same(cur, obj)) return { ok: true, verb: 'unchanged' };
    last = await store.update({ ...obj, metadata: { ...obj.metadata, resourceVersion: cur.metadata.resourceVersion } });
    if (last.ok) return { ok: true, verb: 'configured' };
    if (last.reason !== 'Conflict' && last.reason !== 'NotFound') break;
  }
  const failed = last && !last.ok ? last : { reason: 'Conflict', message: `${objectName(obj)} kept changing while it was applied` };
  return { ok: false, verb: 'applying', reason: failed.reason, message: failed.message };
}

function alreadyExists(obj: KObject): string {
  const r = resourceFor(obj.kind);
  return `${r ? qualifiedPlural(r) : obj.kind} ${JSON.stringify(obj.metadata.name)} already exists`;
}

// What the API server fills in or keeps; apply compares the rest.
const SERVER_FIELDS = ['namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'managedFields'];

/** same tells whether applying obj would change nothing (key order does not count). */
function same(stored: KObject, obj: KObject): boolean {
  const body = (o: KObject) => {
    const { status: _, metadata, ...rest } = o;
    return canonical({ ...rest, metadata: Object.fromEntries(Object.entries(metadata).filter(([k]) => !SERVER_FIELDS.includes(k))) });
  };
  return body(stored) === body(obj);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * storedConfig is the data of the `feature-flags` and `config-defaults` ConfigMaps already
 * applied (Tekton reads them from the cluster); the files' own and the flags come on top.
 */
export async function storedConfig(store: ObjectStore): Promise<{ featureFlags: Record<string, string>[]; defaults: Record<string, string>[] }> {
  const { items } = await store.list<ConfigMap & KObject>('ConfigMap');
  const data = (name: string) => items.filter((c) => c.metadata.name === name).map((c) => c.data ?? {});
  return { featureFlags: data('feature-flags'), defaults: data('config-defaults') };
}
