// logs.ts: prints step output line by line, prefixed `[<task> : <step>]` like `tkn ... logs -f`.
import pc from 'picocolors';
import type { RunEvent } from '../../reconciler/index.ts';

const COLORS = [pc.cyan, pc.magenta, pc.yellow, pc.green, pc.blue];

/** LogPrinter splits streamed chunks into lines per container and writes them with a prefix. */
export class LogPrinter {
  private readonly partial = new Map<string, string>();
  private readonly colorOf = new Map<string, (s: string) => string>();

  constructor(private readonly out: NodeJS.WritableStream) {}

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
      c = COLORS[this.colorOf.size % COLORS.length];
      this.colorOf.set(run, c);
    }
    return c;
  }
}
