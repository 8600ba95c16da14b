// logs.ts: per-container log files of a TaskRun, appended as output streams in (never buffered whole).
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';

/** LogFiles writes each container's output to <dir>/<container>.log. */
export class LogFiles {
  private readonly streams = new Map<string, WriteStream>();
  private readonly failed = new Set<string>();

  /** onError is told once per container when its log file cannot be written (e.g. ENOSPC). */
  constructor(
    private readonly dir: string,
    private readonly onError: (container: string, message: string) => void = () => {},
  ) {}

  write(container: string, data: Buffer): void {
    let s = this.streams.get(container);
    if (!s) {
      s = createWriteStream(join(this.dir, `${container}.log`), { flags: 'a' });
      // A full disk must not crash the run: the status still lands, and the user is told once.
      s.on('error', (e) => {
        if (this.failed.has(container)) return;
        this.failed.add(container);
        this.onError(container, e.message);
      });
      this.streams.set(container, s);
    }
    s.write(data);
  }

  async close(): Promise<void> {
    await Promise.all([...this.streams.values()].map((s) => new Promise<void>((r) => s.end(r))));
  }
}
