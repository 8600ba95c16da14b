// logs.ts: container logs as append-only files under the state dir, one per container, streamed to
// disk as they are written and readable while being written (follow) or after; never held whole
// in memory. A container's log is complete once its `.end` marker exists.
import { createReadStream, createWriteStream, existsSync, mkdirSync, statSync, watch, writeFileSync, type WriteStream } from 'node:fs';
import { dirname, join } from 'node:path';

/** LogKey names one container's log. */
export interface LogKey {
  namespace: string;
  pod: string;
  container: string;
}

/** LogWriter appends to one container's log; end() marks it complete. */
export interface LogWriter {
  write(chunk: Buffer | string): void;
  end(): Promise<void>;
}

/** ReadOptions: follow waits for more until the log ends or signal aborts. */
export interface ReadOptions {
  follow?: boolean;
  signal?: AbortSignal;
}

// Names are DNS labels in practice; anything else (a leading dot, a slash) is neutralised, never a path.
const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, (m) => '_'.repeat(m.length));

/** LogStore keeps the logs of one state dir. */
export class LogStore {
  constructor(private readonly root: string) {}

  /** path is the file of one container's log. */
  path(key: LogKey): string {
    return join(this.root, 'logs', safe(key.namespace), safe(key.pod), `${safe(key.container)}.log`);
  }

  /** open starts (or continues) a container's log. */
  open(key: LogKey): LogWriter {
    const file = this.path(key);
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const out: WriteStream = createWriteStream(file, { flags: 'a', mode: 0o600 });
    let failed: Error | undefined;
    out.on('error', (e) => {
      failed = e;
    });
    return {
      write: (chunk) => {
        if (!failed) out.write(chunk);
      },
      end: () =>
        new Promise<void>((resolve, reject) => {
          out.end(() => {
            if (failed) return reject(failed);
            try {
              writeFileSync(`${file}.end`, '');
              resolve();
            } catch (e) {
              reject(e);
            }
          });
        }),
    };
  }

  /** ended tells whether a container's log is complete. */
  ended(key: LogKey): boolean {
    return existsSync(`${this.path(key)}.end`);
  }

  /** read yields the log in chunks from the start; with follow, until the log ends. */
  async *read(key: LogKey, options: ReadOptions = {}): AsyncGenerator<Buffer> {
    const file = this.path(key);
    let offset = 0;
    for (;;) {
      if (options.signal?.aborted) return;
      const ended = this.ended(key); // read before the data: what was written before the marker is then seen
      const size = sizeOf(file);
      if (size > offset) {
        for await (const chunk of createReadStream(file, { start: offset, end: size - 1 })) {
          offset += (chunk as Buffer).length;
          yield chunk as Buffer;
        }
        continue;
      }
      if (!options.follow || ended) return;
      await changed(dirname(file), options.signal);
    }
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

/** changed resolves on the next change in dir (or after a short wait: a missed event costs 200 ms). */
function changed(dir: string, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    mkdirSync(dir, { recursive: true });
    const w = watch(dir, () => done());
    const t = setTimeout(() => done(), 200);
    const onAbort = () => done();
    signal?.addEventListener('abort', onAbort, { once: true });
    function done() {
      w.close();
      clearTimeout(t);
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
  });
}
