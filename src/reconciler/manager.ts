// manager.ts: the controller manager Tekton gets from knative's sharedmain — informers for TaskRuns,
// PipelineRuns and Pods turn every change into keys on two work queues (a child's change wakes its
// owner: a Pod its TaskRun, a TaskRun or child PipelineRun its PipelineRun), and workers call the
// two reconcilers, which read through the same informers' caches (listers). Nothing here knows how
// a run proceeds; that is reconcile(key)'s job.
import { controllerOf, objectKey, runController, SharedInformers, WorkQueue, type Clock, type InformerEvent, type Reconcile } from '../controller/index.ts';
import type { KObject, ObjectStore } from '../store/index.ts';
import { isDone, type ConditionHolder } from './taskrun/status-condition.ts';

/** ControllersOptions wire the reconcilers to a store. */
export interface ControllersOptions {
  store: ObjectStore;
  clock: Clock;
  reconcileTaskRun: Reconcile;
  reconcilePipelineRun: Reconcile;
  /** informers whose listers the reconcilers were given (started here); without it, the manager's own. */
  informers?: SharedInformers;
  /** workers per controller (knative's default is 2; reconciles mostly wait on the store). */
  workers?: number;
  /** onChange hears every TaskRun and PipelineRun change (the CLI's live output, waiting for runs). */
  onChange?(type: InformerEvent, obj: KObject): void;
  /** onProblem hears retried reconciles (conflicts) and bugs (a reconcile that threw). */
  onProblem?(key: string, message: string): void;
}

/** Controllers are running controllers; stop shuts the queues, lets in-flight reconciles finish, and stops watching. */
export interface Controllers {
  synced: Promise<void>;
  /** idle tells whether no key is queued, processed or waiting for a requeue. */
  idle(): boolean;
  /** quiet tells whether no key is queued or processed (requeues waiting on a timer, such as timeouts', may wait). */
  quiet(): boolean;
  stop(): Promise<void>;
}

/** startControllers runs the TaskRun and PipelineRun controllers until stopped. */
export function startControllers(o: ControllersOptions): Controllers {
  const taskRuns = new WorkQueue(o.clock);
  const pipelineRuns = new WorkQueue(o.clock);
  const owner = (obj: KObject) => {
    const key = controllerOf(obj, 'PipelineRun');
    if (key) pipelineRuns.add(key);
  };
  // A PipelineRun reads its TaskRuns' outcome once they are done, not their progress, and it created
  // them itself (its own status write wakes it after). Waking it only when a TaskRun becomes done
  // (or is first seen done, or goes) spares most of its reconciles, each of which lists every child:
  // quadratic in a large Pipeline.
  const taskRunDone = new Map<string, boolean>();
  const wakesOwner = (type: InformerEvent, obj: KObject): boolean => {
    const key = objectKey(obj);
    if (type === 'DELETED') {
      taskRunDone.delete(key);
      return true;
    }
    const done = isDone((obj as { status?: ConditionHolder }).status);
    const before = taskRunDone.get(key);
    taskRunDone.set(key, done);
    return before === undefined ? done : before !== done;
  };
  const informers = o.informers ?? new SharedInformers(o.store, o.clock);
  informers.on('TaskRun', (type, obj) => {
    taskRuns.add(objectKey(obj));
    if (wakesOwner(type, obj)) owner(obj);
    o.onChange?.(type, obj);
  });
  informers.on('PipelineRun', (type, obj) => {
    pipelineRuns.add(objectKey(obj));
    owner(obj);
    o.onChange?.(type, obj);
  });
  informers.on('Pod', (_, obj) => {
    const key = controllerOf(obj, 'TaskRun');
    if (key) taskRuns.add(key);
  });
  const synced = informers.start();
  const workers = o.workers ?? 2;
  const running = [
    runController({ queue: taskRuns, reconcile: o.reconcileTaskRun, workers, onProblem: o.onProblem }),
    runController({ queue: pipelineRuns, reconcile: o.reconcilePipelineRun, workers, onProblem: o.onProblem }),
  ];
  return {
    synced,
    idle: () => taskRuns.idle() && pipelineRuns.idle(),
    quiet: () => taskRuns.quiet() && pipelineRuns.quiet(),
    async stop() {
      informers.stop();
      taskRuns.shutDown();
      pipelineRuns.shutDown();
      await Promise.all(running);
    },
  };
}
