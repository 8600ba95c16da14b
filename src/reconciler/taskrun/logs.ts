// logs.ts: per-container log files of a TaskRun, appended as output streams in (never buffered whole).
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';

/** LogFiles writes each container's output to <dir>/<container>.log. */
export class LogFiles {
  private readonly streams = new Map<string, WriteStream>();
  constructor(private readonly dir: string) {}

  write(container: string, data: Buffer): void {
    let s = this.streams.get(container);
    if (!s) {
      s = createWriteStream(join(this.dir, `${container}.log`), { flags: 'a' });
      s.on('error', () => { /* a full disk must not crash the run; the status still lands */ });
      this.streams.set(container, s);
    }
    s.write(data);
  }

  async close(): Promise<void> {
    await Promise.all([...this.streams.values()].map((s) => new Promise<void>((r) => s.end(r))));
  }
}
