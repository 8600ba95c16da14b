// cli.ts: runs the built Tektite CLI (dist/bin/tektite.mjs, the package's bin) as a real child process, and reads
// what it prints: the `-o json` List of final run objects, and the state dir it leaves behind.
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** repoRoot is the checkout this test file lives in. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** cliPath is the built CLI entry point (`npm run build` makes it); $TEKTITE_CLI overrides it. */
export const cliPath = process.env.TEKTITE_CLI || join(repoRoot, 'dist', 'bin', 'tektite.mjs');

/** withStateDir runs fn with a fresh temporary directory (a `--state-dir`) and removes it afterwards. */
export async function withStateDir<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** CliOutcome is how one CLI invocation ended. */
export interface CliOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** runCli runs `node dist/bin/tektite.mjs <args>` from the repository root and collects its output. */
export function runCli(args: string[], timeoutMs = 120_000): Promise<CliOutcome> {
  return new Promise((resolvePromise, reject) => {
    if (!existsSync(cliPath)) {
      reject(new Error(`${cliPath} does not exist: run "npm run build" first`));
      return;
    }
    const child = spawn(process.execPath, [cliPath, ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolvePromise({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

/** RunCondition is the Succeeded condition of a run, as printed. */
export interface RunCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** RunResult is one entry of status.results (v1) or status.taskResults (v1beta1). */
export interface RunResult {
  name: string;
  type?: string;
  value: unknown;
}

/** RunObject is the part of a printed TaskRun/PipelineRun these tests look at. */
export interface RunObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; generateName?: string };
  status?: {
    conditions?: RunCondition[];
    results?: RunResult[];
    taskResults?: RunResult[];
    steps?: Array<{ name: string; terminated?: { exitCode: number; reason?: string }; terminationReason?: string }>;
  };
}

/** RunList is the `{"apiVersion":"v1","kind":"List","items":[...]}` that `-o json` prints. */
export interface RunList {
  apiVersion: string;
  kind: string;
  items: RunObject[];
}

/**
 * parseRunList finds the List in stdout. It is the whole of stdout when logs go to stderr;
 * when log lines share stdout, it is the JSON text that starts at a line beginning with `{`
 * and runs to the end.
 */
export function parseRunList(stdout: string): RunList | undefined {
  const candidates = [stdout];
  const re = /^\{/gm;
  for (let m = re.exec(stdout); m; m = re.exec(stdout)) candidates.push(stdout.slice(m.index));
  for (const text of candidates) {
    try {
      const value = JSON.parse(text) as RunList;
      if (value && value.kind === 'List' && Array.isArray(value.items)) return value;
    } catch {
      // not this candidate
    }
  }
  return undefined;
}

/** resultsOf returns a run's results under the field its apiVersion uses (v1beta1: taskResults). */
export function resultsOf(run: RunObject): RunResult[] | undefined {
  return run.apiVersion === 'tekton.dev/v1beta1' ? run.status?.taskResults : run.status?.results;
}

/** filesUnder lists every file below dir (recursively), as paths relative to dir. */
export function filesUnder(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (lstatSync(p).isDirectory()) out.push(...filesUnder(p, join(prefix, name)));
    else out.push(join(prefix, name));
  }
  return out;
}
