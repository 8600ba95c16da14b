// dag: the Pipeline graph (runAfter + result-reference edges), cycle detection, and scheduling.
export * from './graph.ts';
export * from './schedule.ts';
