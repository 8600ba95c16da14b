// events.ts: the typed events a run emits; the CLI (and later the dashboard) render them.
import type { PipelineRun, TaskRun } from '../api/index.ts';

/** RunEvent is everything the engine tells the outside world while runs progress. */
export type RunEvent =
  | { type: 'log'; taskRun: string; pipelineTask?: string; task: string; container: string; stream: 'stdout' | 'stderr'; data: Buffer }
  | { type: 'taskrun'; taskRun: TaskRun }
  | { type: 'pipelinerun'; pipelineRun: PipelineRun }
  | { type: 'warning'; message: string };

/** RunEventSink receives RunEvents; it must not throw. */
export type RunEventSink = (event: RunEvent) => void;
