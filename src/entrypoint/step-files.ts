// step-files.ts: the files a step writes and reads (post file, exitCode, results, artifacts, stdout/stderr tees).
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { ResultType } from './termination.ts';
import { fileWritten } from './waiter.ts';
import type { RunResult } from './termination.ts';

/** PathResolver maps a container path (/tekton/...) to the real path; identity inside a container. */
export type PathResolver = (containerPath: string) => string;

/** RESULTS_DIR and ARTIFACTS_DIR are pipeline.DefaultResultPath and pipeline.ArtifactsDir. */
export const RESULTS_DIR = '/tekton/results';
export const ARTIFACTS_DIR = '/tekton/artifacts';

/** writePostWriterFile is realPostWriter.Write: MkdirAll the parent, create the file, write content if any. */
export function writePostWriterFile(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  fileWritten(path);
}

/** writePostFile writes `<post_file>` or, on error, `<post_file>.err` (Entrypointer.WritePostFile). */
export function writePostFile(postFile: string, failed: boolean, resolvePath: PathResolver): void {
  if (postFile === '') return;
  writePostWriterFile(resolvePath(failed ? `${postFile}.err` : postFile), '');
}

/** writeExitCodeFile writes `<step_metadata_dir>/exitCode` (skipped when no metadata dir was given). */
export function writeExitCodeFile(stepMetadataDir: string, exitCode: string, resolvePath: PathResolver): void {
  if (stepMetadataDir === '') return;
  writePostWriterFile(resolvePath(join(stepMetadataDir, 'exitCode')), exitCode);
}

/** formatStartedAt renders Go's "2006-01-02T15:04:05.000Z07:00" in local time, like time.Now().Format. */
export function formatStartedAt(date: Date): string {
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const offset = -date.getTimezoneOffset();
  const zone = offset === 0 ? 'Z' : `${offset > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}${zone}`;
}

/** internalResult builds a type-3 (InternalTektonResult) entry such as StartedAt, ExitCode or Reason. */
export function internalResult(key: string, value: string): RunResult {
  return { key, value, type: ResultType.InternalTektonResult };
}

/** readResultFiles reads each named file of dir verbatim (missing files ignored), like readResultsFromDisk. */
export function readResultFiles(dir: string, names: string[], type: number, resolvePath: PathResolver): RunResult[] | { error: string } {
  const out: RunResult[] = [];
  for (const name of names) {
    if (name === '') continue;
    const value = readOptional(resolvePath(join(dir, name)));
    if (value === undefined) continue;
    if (typeof value !== 'string') return value;
    out.push({ key: name, value, type });
  }
  return out;
}

/** readArtifacts returns the step and TaskRun provenance.json entries (types 5 and 6), keyed by container path. */
export function readArtifacts(stepMetadataDir: string, resolvePath: PathResolver): RunResult[] | { error: string } {
  const out: RunResult[] = [];
  const files: [string, number][] = [
    [join(stepMetadataDir, 'artifacts', 'provenance.json'), ResultType.StepArtifactsResult],
    [join(ARTIFACTS_DIR, 'provenance.json'), ResultType.TaskRunArtifactsResult],
  ];
  for (const [file, type] of files) {
    const value = readOptional(resolvePath(file));
    if (value === undefined) continue;
    if (typeof value !== 'string') return value;
    out.push({ key: file, value, type });
  }
  return out;
}

function readOptional(path: string): string | undefined | { error: string } {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { error: (err as Error).message };
  }
}

/** Tee copies a stream to the container's own output and, optionally, appends it to a file (newStdLogWriter). */
export interface Tee {
  stream: Writable;
  /** close waits for buffered chunks and closes the file. */
  close(): Promise<void>;
}

/** openTee opens `path` O_APPEND (0644, parents created) when given; writes are synchronous so nothing is lost at exit. */
export function openTee(target: NodeJS.WritableStream, path: string | undefined): Tee | { error: string } {
  let fd: number | undefined;
  if (path) {
    try {
      mkdirSync(dirname(path), { recursive: true });
      fd = openSync(path, 'a', 0o644);
    } catch (err) {
      return { error: (err as Error).message };
    }
  }
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (fd !== undefined) writeSync(fd, chunk);
      target.write(chunk);
      callback();
    },
  });
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      stream.end(() => {
        if (fd !== undefined) closeSync(fd);
        fd = undefined;
        resolve();
      });
    });
  return { stream, close };
}
