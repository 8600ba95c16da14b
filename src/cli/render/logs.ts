// logs.ts: prints step output line by line, prefixed `[<task> : <step>]` like `tkn ... logs -f`.
import pc from 'picocolors';
import type { TaskRun } from '../../api/index.ts';
import type { RunEvent } from '../../reconciler/index.ts';

/**
 * colorsFor: color only a terminal (or FORCE_COLOR), never when NO_COLOR is set. picocolors'
 * own default also colors whenever CI is set, which puts escape codes into piped logs.
 */
function colorsFor(out: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env) {
  const tty = (out as { isTTY?: boolean }).isTTY === true && env.TERM !== 'dumb';
  const c = pc.createColors(!('NO_COLOR' in env) && ('FORCE_COLOR' in env || tty));
  return [c.cyan, c.magenta, c.yellow, c.green, c.blue];
}

/** Partial is a container's text after its last newline, with the prefix its lines get. */
interface Partial {
  taskRun: string;
  container: string;
  label: string;
  rest: string;
}

/**
 * LogPrinter splits streamed chunks into lines per container and writes them with a prefix. A
 * last line without a newline is printed, under its own `[task : step]`, once its step has ended.
 */
export class LogPrinter {
  private readonly partial = new Map<string, Partial>();
  /** ended: per TaskRun, the containers its status shows terminated. */
  private readonly ended = new Map<string, Set<string>>();
  private readonly colorOf = new Map<string, (s: string) => string>();

  private readonly colors: ((s: string) => string)[];

  constructor(private readonly out: NodeJS.WritableStream) {
    this.colors = colorsFor(out);
  }

  onEvent(e: RunEvent): void {
    if (e.type === 'taskrun') {
      this.flushEnded(e.taskRun);
      return;
    }
    // Init containers (prepare, place-scripts, ...) are Tekton's plumbing; their logs stay in the log files.
    if (e.type !== 'log' || !/^(step|sidecar)-/.test(e.container)) return;
    // Output of a later step means an ended step's last line is all there is: print it first.
    const ended = this.ended.get(e.taskRun);
    for (const [key, p] of [...this.partial]) {
      if (p.taskRun === e.taskRun && p.container !== e.container && ended?.has(p.container)) this.flushKey(key);
    }
    const label = `[${e.pipelineTask ?? e.task} : ${e.container.replace(/^(step|sidecar)-/, '')}]`;
    const key = `${e.taskRun}/${e.container}/${e.stream}`;
    const text = (this.partial.get(key)?.rest ?? '') + e.data.toString('utf8');
    const lines = text.split('\n');
    this.partial.set(key, { taskRun: e.taskRun, container: e.container, label, rest: lines.pop()! });
    const prefix = this.color(e.taskRun)(label);
    for (const line of lines) this.out.write(`${prefix} ${line}\n`);
  }

  /** flush prints lines that never ended with a newline. */
  flush(): void {
    for (const key of [...this.partial.keys()]) this.flushKey(key);
  }

  // A TaskRun's output is complete once it is done. A terminated step's last chunk may still be on
  // its way (its pipe is read after the exit is seen): it is printed when a later step speaks.
  private flushEnded(tr: TaskRun): void {
    const name = tr.metadata.name!;
    const done = tr.status?.conditions?.some((c) => c.type === 'Succeeded' && c.status !== 'Unknown') ?? false;
    this.ended.set(name, new Set([...(tr.status?.steps ?? []), ...(tr.status?.sidecars ?? [])].filter((s) => s.terminated).map((s) => s.container)));
    if (!done) return;
    this.ended.delete(name);
    for (const [key, p] of [...this.partial]) if (p.taskRun === name) this.flushKey(key);
  }

  private flushKey(key: string): void {
    const p = this.partial.get(key);
    this.partial.delete(key);
    if (p?.rest) this.out.write(`${this.color(p.taskRun)(p.label)} ${p.rest}\n`);
  }

  private color(run: string): (s: string) => string {
    let c = this.colorOf.get(run);
    if (!c) {
      c = this.colors[this.colorOf.size % this.colors.length];
      this.colorOf.set(run, c);
    }
    return c;
  }
}
