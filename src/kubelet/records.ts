// records.ts: what a kubelet writes under <stateDir>/kubelet/ so that a later process can clean up
// after a `kill -9` of this one. A cluster has the node controller and a container runtime that
// outlive a kubelet; a local kubelet has only these files:
//   nodes/<node>.json   which process is the node (hostname, pid, process start time)
//   pods/<uid>.jsonl    one line naming the Pod and its node, then one line per thing the run
//                       started: a process group ({"pgid", "startTime"}), podman objects ({"podman"})
//                       or its work dir ({"workDir"})
// Records are appended synchronously as things start: a crash a moment later still finds them.
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** ProcessIdentity names one process across pid reuse: its pid and its start time on one host. */
export interface ProcessIdentity {
  hostname: string;
  pid: number;
  /** startTime is /proc/<pid>/stat's starttime (clock ticks since boot); undefined where unknown. */
  startTime?: string;
}

/** NodeRecord says which process is a node. */
export interface NodeRecord extends ProcessIdentity {
  nodeName: string;
}

/** PodRecordHeader is the first line of a Pod's record. */
export interface PodRecordHeader {
  nodeName: string;
  namespace: string;
  name: string;
  uid: string;
}

/** Started is one thing a run started: a process group, podman objects by their POD_LABEL value, its work dir. */
export type Started = { pgid: number; startTime?: string } | { podman: string } | { workDir: string };

/** PodRecord is a Pod's header and what its run started. */
export interface PodRecord {
  file: string;
  header: PodRecordHeader;
  started: Started[];
}

/** statOf reads /proc/<pid>/stat's fields after the command name (field 3, the state, first). */
function statOf(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** processStartTime is a process's start time (field 22 of /proc/<pid>/stat), or undefined. */
export function processStartTime(pid: number): string | undefined {
  return statOf(pid)?.[19];
}

/** selfIdentity is this process's identity. */
export function selfIdentity(): ProcessIdentity {
  return { hostname: os.hostname(), pid: process.pid, startTime: processStartTime(process.pid) };
}

/**
 * isAlive tells whether the process still runs: same pid, same start time (a reused pid is
 * another process), not a zombie. A process of another host cannot be checked: it counts as alive.
 */
export function isAlive(id: ProcessIdentity): boolean {
  if (id.hostname !== os.hostname()) return true;
  try {
    process.kill(id.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const stat = statOf(id.pid);
  if (!stat) return id.startTime === undefined; // no /proc: kill(0) is all we know
  if (stat[0] === 'Z' || stat[0] === 'X') return false;
  return id.startTime === undefined || stat[19] === id.startTime;
}

// Node names and uids become file names: anything but [A-Za-z0-9._-] is escaped, reversibly enough to be unique.
const fileName = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, (c) => `%${c.charCodeAt(0).toString(16)}`).replace(/^\./, '%2e');

/** Records reads and writes <stateDir>/kubelet/. Every method may throw the file system's errors. */
export class Records {
  readonly nodesDir: string;
  readonly podsDir: string;

  constructor(stateDir: string) {
    this.nodesDir = path.join(stateDir, 'kubelet', 'nodes');
    this.podsDir = path.join(stateDir, 'kubelet', 'pods');
  }

  /** writeNode records this process as node nodeName. */
  writeNode(record: NodeRecord): void {
    mkdirSync(this.nodesDir, { recursive: true, mode: 0o700 });
    writeFileSync(this.nodeFile(record.nodeName), `${JSON.stringify(record)}\n`, { mode: 0o600 });
  }

  /** readNode returns a node's record, undefined when there is none (or it is unreadable). */
  readNode(nodeName: string): NodeRecord | undefined {
    try {
      return JSON.parse(readFileSync(this.nodeFile(nodeName), 'utf8')) as NodeRecord;
    } catch {
      return undefined;
    }
  }

  /** nodes lists every node record. */
  nodes(): NodeRecord[] {
    return listDir(this.nodesDir)
      .map((f) => readJson<NodeRecord>(path.join(this.nodesDir, f)))
      .filter((r): r is NodeRecord => r !== undefined);
  }

  removeNode(nodeName: string): void {
    rmSync(this.nodeFile(nodeName), { force: true });
  }

  /** startPod opens a Pod's record; its methods append to it. */
  startPod(header: PodRecordHeader): { add(started: Started): void; remove(): void } {
    mkdirSync(this.podsDir, { recursive: true, mode: 0o700 });
    const file = path.join(this.podsDir, `${fileName(header.uid)}.jsonl`);
    writeFileSync(file, `${JSON.stringify(header)}\n`, { mode: 0o600 });
    return {
      add: (started) => appendFileSync(file, `${JSON.stringify(started)}\n`),
      remove: () => rmSync(file, { force: true }),
    };
  }

  /** pods lists every Pod record (a torn last line, from a crash mid-append, is skipped). */
  pods(): PodRecord[] {
    const out: PodRecord[] = [];
    for (const f of listDir(this.podsDir)) {
      const file = path.join(this.podsDir, f);
      let lines: string[];
      try {
        lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
      } catch {
        continue;
      }
      const parsed = lines.map(parseLine).filter((x) => x !== undefined);
      const header = parsed[0] as PodRecordHeader | undefined;
      if (!header?.uid) continue;
      out.push({ file, header, started: parsed.slice(1) as Started[] });
    }
    return out;
  }

  private nodeFile(nodeName: string): string {
    return path.join(this.nodesDir, `${fileName(nodeName)}.json`);
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => !f.startsWith('.'));
  } catch {
    return [];
  }
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
