// stdio-fifos.ts: a container's stdout and stderr as FIFOs, as containerd's shim gives a container
// FIFOs that the kubelet's log reader drains. `podman run --log-driver passthrough` hands its own
// stdout and stderr to the container: here the write ends of two FIFOs, so the step sees a pipe (as
// in a Pod: `> /dev/stdout` works, a socket would refuse it) and everything it wrote is in the FIFOs
// by the time its process ends, readable to the end without waiting for podman to finish.
import { execFile } from 'node:child_process';
import { closeSync, constants, openSync, readSync } from 'node:fs';
import { Socket } from 'node:net';

/** makeFifos creates the FIFOs (mode 0600); false if they could not be made (no mkfifo). */
export function makeFifos(paths: string[]): Promise<boolean> {
  if (paths.length === 0) return Promise.resolve(true);
  return new Promise((resolve) => execFile('mkfifo', ['-m', '600', '--', ...paths], (error) => resolve(!error)));
}

/** FifoStream reads one FIFO as it is written; drain takes what is left once every writer that matters has ended. */
export class FifoStream {
  /** writeFd is given to `podman run` as its stdout or stderr; close it here once podman has it. */
  writeFd: number | undefined;
  private readonly readFd: number;
  private readonly socket: Socket;
  private forward: ((data: Buffer) => void) | undefined;

  constructor(path: string, onData: (data: Buffer) => void) {
    // The read end first, non-blocking: opening the write end then does not wait for a reader.
    this.readFd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    this.writeFd = openSync(path, constants.O_WRONLY);
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
