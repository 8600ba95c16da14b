// controller: the control-plane runtime Tekton gets from knative and client-go — the one clock,
// the rate-limited work queue, workers calling reconcile(key), and informers (list + watch of the
// object store) that turn changes into keys and keep caches the reconcilers read through listers.
// Knows objects and keys, not Tekton.
export { FakeClock, realClock, type Clock } from './clock.ts';
export { WorkQueue, type Backoff } from './workqueue.ts';
export { runController, type ControllerOptions, type Reconcile, type ReconcileResult } from './controller.ts';
export { controllerOf, inform, objectKey, splitKey, type Informer, type InformerEvent } from './informer.ts';
export { ObjectCache } from './cache.ts';
export { cacheLister, storeLister, type Lister } from './lister.ts';
export { SharedInformers } from './shared.ts';
