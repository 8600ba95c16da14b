// types.ts: the object store's contract, shaped like the Kubernetes API server's (apimachinery's
// ObjectMeta, the Status reasons NotFound/AlreadyExists/Conflict/Invalid/Expired, watch events).

/** OwnerReference names an object that owns this one (k8s.io/apimachinery/pkg/apis/meta/v1/types.go). */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** ObjectMeta is the part of metadata the store reads or fills in. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  [k: string]: unknown;
}

/** KObject is any Kubernetes-shaped object. */
export interface KObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [k: string]: unknown;
}

/** ObjectKey addresses one object. Cluster-scoped kinds have namespace "". */
export interface ObjectKey {
  kind: string;
  namespace: string;
  name: string;
}

/** StoreReason is the API server's StatusReason for a refused call. */
export type StoreReason = 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Invalid' | 'Expired' | 'StorageError';

/** StoreResult is an object, or why the call was refused (a value, not an exception: conflicts are normal). */
export type StoreResult<T = KObject> = { ok: true; object: T } | { ok: false; reason: StoreReason; message: string };

/** ListOptions filter a list or a watch. */
export interface ListOptions {
  namespace?: string;
  /** labelSelector uses Kubernetes' syntax: `a=b,c!=d,e in (x,y),f notin (z),g,!h`. */
  labelSelector?: string;
  /**
   * ownerUid keeps the dependents of one owner (an ownerReference with that uid): what a
   * controller lists of its children. Embedded stores answer from their owner index, so the cost
   * follows the children, not every object of the kind (a Kubernetes client filters).
   */
  ownerUid?: string;
}

/** ListResult holds the items and the store's resourceVersion at the time of the list (to watch from). */
export interface ListResult<T = KObject> {
  items: T[];
  resourceVersion: string;
}

/** DeleteOptions are metav1.DeleteOptions' useful part. */
export interface DeleteOptions {
  /** propagationPolicy: Background (default: dependents are deleted too) or Orphan (their ownerReferences are removed). */
  propagationPolicy?: 'Background' | 'Orphan';
  /** preconditions.resourceVersion makes the delete a compare-and-swap. */
  preconditions?: { resourceVersion?: string };
}

/** WatchEvent is one change; ERROR carries why the watch ended (Expired: re-list and watch again). */
export type WatchEvent = { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KObject } | { type: 'ERROR'; reason: StoreReason; message: string };

/** WatchOptions select what a watch sees. */
export interface WatchOptions extends ListOptions {
  kind?: string;
  /**
   * resourceVersion: with a value, only changes after it (Expired when it is older than what the
   * store keeps); without one, an ADDED event for every existing object first, then changes.
   */
  resourceVersion?: string;
}

/** Watch is a running watch; stop ends it (no more events are delivered). */
export interface Watch {
  stop(): void;
}

/**
 * ObjectStore is the one interface over the embedded stores and, later, the Kubernetes API. What a
 * write returns and what a watch delivers is shared by every reader and deep-frozen (copy what you
 * change, as with client-go's informer caches); get and list return the caller's own copies.
 */
export interface ObjectStore {
  get<T extends KObject = KObject>(key: ObjectKey): Promise<T | undefined>;
  list<T extends KObject = KObject>(kind: string, options?: ListOptions): Promise<ListResult<T>>;
  /** create fills in uid, resourceVersion, generation, creationTimestamp (and name from generateName). */
  create<T extends KObject>(obj: T): Promise<StoreResult<T>>;
  /** update replaces everything but status; with metadata.resourceVersion set it is a compare-and-swap. */
  update<T extends KObject>(obj: T): Promise<StoreResult<T>>;
  /** updateStatus replaces only status; with metadata.resourceVersion set it is a compare-and-swap. */
  updateStatus<T extends KObject>(obj: T): Promise<StoreResult<T>>;
  delete(key: ObjectKey, options?: DeleteOptions): Promise<StoreResult>;
  watch(options: WatchOptions, onEvent: (event: WatchEvent) => void): Watch;
  close(): Promise<void>;
}
