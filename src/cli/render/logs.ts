// logs.ts: prints step output line by line, prefixed `[<task> : <step>]` like `tkn ... logs -f`.
import pc from 'picocolors';
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

/** LogPrinter splits streamed chunks into lines per container and writes them with a prefix. */
export class LogPrinter {
  private readonly partial = new Map<string, string>();
  private readonly colorOf = new Map<string, (s: string) => string>();

  private readonly colors: ((s: string) => string)[];

  constructor(private readonly out: NodeJS.WritableStream) {
    this.colors = colorsFor(out);
  }

  onEvent(e: RunEvent): void {
    // Init containers (prepare, place-scripts, ...) are Tekton's plumbing; their logs stay in the log files.
    if (e.type !== 'log' || !/^(step|sidecar)-/.test(e.container)) return;
    const step = e.container.replace(/^(step|sidecar)-/, '');
    const task = e.pipelineTask ?? e.task;
    const key = `${e.taskRun}/${e.container}/${e.stream}`;
    const text = (this.partial.get(key) ?? '') + e.data.toString('utf8');
    const lines = text.split('\n');
    this.partial.set(key, lines.pop()!);
    const prefix = this.color(e.taskRun)(`[${task} : ${step}]`);
    for (const line of lines) this.out.write(`${prefix} ${line}\n`);
  }

  /** flush prints lines that never ended with a newline. */
  flush(): void {
    for (const [key, rest] of this.partial) {
      if (!rest) continue;
      const [taskRun, container] = key.split('/');
      this.out.write(`${this.color(taskRun)(`[${taskRun} : ${container.replace(/^(step|sidecar)-/, '')}]`)} ${rest}\n`);
    }
    this.partial.clear();
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
