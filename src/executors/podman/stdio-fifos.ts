// stdio-fifos.ts: a container's stdout and stderr as FIFOs, as containerd's shim gives a container
// FIFOs that the kubelet's log reader drains. `podman run --log-driver passthrough` hands its own
// stdout and stderr to the container: here the write ends of two FIFOs, so the container sees a
// pipe (as in a Pod: `> /dev/stdout` works, a socket would refuse it) and everything it wrote is in
// the FIFOs by the time its process ends, readable to the end without waiting for podman to finish.
// FIFOs are made ahead (one `mkfifo` per batch, off the Pods' critical path) and unlinked once open;
// the spares are removed at exit, or by the next process after a `kill -9`.
import { execFile } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readdirSync, readSync, rmSync, unlinkSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BATCH = 8;

/** FifoPool hands out fresh FIFOs, made in batches in a private temporary directory. */
export class FifoPool {
  private dir: string | undefined;
  private spare: string[] = [];
  private making: Promise<void> | undefined;
  private made = 0;
  private broken = false;

  /** take resolves with the path of a fresh FIFO (the taker opens and unlinks it), or undefined if none can be made. */
  async take(): Promise<string | undefined> {
    while (!this.spare.length && !this.broken) await this.refill();
    const path = this.spare.shift();
    if (this.spare.length < BATCH / 2) void this.refill();
    return path;
  }

  /** refill makes the next batch, unless one is being made (or FIFOs cannot be made here). */
  refill(): Promise<void> {
    if (this.broken) return Promise.resolve();
    this.making ??= this.makeBatch().finally(() => {
      this.making = undefined;
    });
    return this.making;
  }

  /** remove deletes the spare FIFOs (the process is exiting). */
  remove(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
    this.spare = [];
  }

  private makeBatch(): Promise<void> {
    try {
      if (!this.dir) {
        sweepDeadPools();
        this.dir = mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-`));
        removedAtExit(this);
      }
    } catch {
      this.broken = true;
      return Promise.resolve();
    }
    const dir = this.dir;
    const paths = Array.from({ length: BATCH }, () => join(dir, String(this.made++)));
    return new Promise((resolve) =>
      execFile('mkfifo', ['-m', '600', '--', ...paths], (error) => {
        if (error) this.broken = true;
        else if (this.dir === dir) this.spare.push(...paths);
        resolve();
      }),
    );
  }
}

const PREFIX = 'tektite-fifos-';
const pools = new Set<FifoPool>();
let swept = false;

// A process killed with -9 never ran its exit handler: its spare FIFOs go once its pid is gone.
function sweepDeadPools(): void {
  if (swept) return;
  swept = true;
  try {
    for (const name of readdirSync(tmpdir())) {
      const pid = Number(/^tektite-fifos-(\d+)-/.exec(name)?.[1]);
      if (pid && pid !== process.pid && !alive(pid)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
    }
  } catch {
    // Not ours, or gone meanwhile: nothing to do.
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// One exit handler for every pool of the process (an executor per test would add one each).
function removedAtExit(pool: FifoPool): void {
  if (!pools.size) process.once('exit', () => pools.forEach((p) => p.remove()));
  pools.add(pool);
}

/** FifoStream reads one FIFO as it is written; drain takes what is left once the container's process has ended. */
export class FifoStream {
  /** writeFd is given to `podman run` as its stdout or stderr; closeWriter closes this process's copy once podman has it. */
  writeFd: number | undefined;
  private readonly readFd: number;
  private readonly socket: Socket;
  private forward: ((data: Buffer) => void) | undefined;

  constructor(path: string, onData: (data: Buffer) => void) {
    // The read end first, non-blocking: opening the write end then does not wait for a reader.
    this.readFd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      this.writeFd = openSync(path, constants.O_WRONLY);
      unlinkSync(path);
    } catch (e) {
      closeSync(this.readFd);
      if (this.writeFd !== undefined) closeSync(this.writeFd);
      throw e;
    }
    this.forward = onData;
    this.socket = new Socket({ fd: this.readFd, readable: true, writable: false });
    this.socket.on('data', (data: Buffer) => this.forward?.(data));
    this.socket.on('error', () => {});
  }

  /** closeWriter closes this process's copy of the write end (podman holds its own). */
  closeWriter(): void {
    if (this.writeFd === undefined) return;
    closeSync(this.writeFd);
    this.writeFd = undefined;
  }

  /**
   * drain reads what the container left in the FIFO (its process has ended: nothing more of it
   * comes) and stops forwarding; later bytes (podman's own messages while it removes the
   * container) go to onLater. The read end stays open until podman exits: closing it would kill
   * podman with SIGPIPE half-way through the removal.
   */
  drain(onLater: (data: Buffer) => void): void {
    // Bytes the stream has read but not yet handed out come first (read() emits them as 'data').
    while (this.socket.readableLength > 0 && this.socket.read() !== null) {}
    const forward = this.forward;
    const buf = Buffer.alloc(64 * 1024);
    for (;;) {
      let n: number;
      try {
        n = readSync(this.readFd, buf, 0, buf.length, null);
      } catch {
        break; // EAGAIN: empty
      }
      if (n <= 0) break;
      forward?.(Buffer.from(buf.subarray(0, n)));
    }
    this.forward = onLater;
  }

  /** close ends reading (after podman has exited). */
  close(): void {
    this.closeWriter();
    this.socket.destroy();
  }
}
