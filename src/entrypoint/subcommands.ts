// subcommands.ts: cp, init, step-init, decode-script (cmd/entrypoint/subcommands/*.go).
import { closeSync, constants, mkdirSync, openSync, readFileSync, statSync, symlinkSync, writeFileSync, writeSync, chmodSync } from 'node:fs';
import { join, posix } from 'node:path';

/** SubcommandResult: not a subcommand (fall through to step mode), success with Tekton's log lines, or `<cmd> error: <msg>`. */
export type SubcommandResult = { matched: false } | { matched: true; ok: true; messages: string[] } | { matched: true; ok: false; error: string };

/** STEPS_DIR and RUN_DIR are Tekton's /tekton/steps and /tekton/run. */
const STEPS_DIR = '/tekton/steps';
const RUN_DIR = '/tekton/run';

/** WORKING_DIR_INIT is Tekton's separate workingdirinit binary, served by this one as a multi-call binary. */
export const WORKING_DIR_INIT = 'workingdirinit';

/** processSubcommand matches the positional args like subcommands.Process (wrong arity → not matched). */
export function processSubcommand(args: string[], resolvePath: (p: string) => string): SubcommandResult {
  const [name] = args;
  const fail = (message: string): SubcommandResult => ({ matched: true, ok: false, error: `${name} error: ${message}` });
  try {
    if (name === 'cp' && args.length === 3) {
      copyFile(resolvePath(args[1]), resolvePath(args[2]));
      return { matched: true, ok: true, messages: [`Copied ${args[1]} to ${args[2]}`] };
    }
    if (name === 'decode-script' && args.length === 2) {
      const error = decodeScript(args[1], resolvePath);
      return error ? fail(error) : { matched: true, ok: true, messages: [`Decoded script ${args[1]}`] };
    }
    if (name === 'step-init') {
      stepInit(args.slice(1), resolvePath);
      return { matched: true, ok: true, messages: ['Setup /step directories'] };
    }
    if (name === WORKING_DIR_INIT) {
      // cmd/workingdirinit: relative dirs are under /workspace; each is created 0755 with its parents.
      for (const d of args.slice(1)) mkdirSync(resolvePath(posix.resolve('/workspace', d)), { recursive: true, mode: 0o755 });
      return { matched: true, ok: true, messages: [] };
    }
    if (name === 'init' && args.length >= 3) {
      copyFile(resolvePath(args[1]), resolvePath(args[2]));
      stepInit(args.slice(3), resolvePath);
      return { matched: true, ok: true, messages: [`Copied ${args[1]} to ${args[2]}`, 'Setup /step directories'] };
    }
  } catch (err) {
    return fail((err as Error).message);
  }
  return { matched: false };
}

/** copyFile copies src to dst opened O_WRONLY|O_CREATE with Tekton's mode 0311 (--wx--x--x: executable by everyone, written by owner). */
function copyFile(src: string, dst: string): void {
  const data = readFileSync(src);
  // Tekton does not truncate; we do, so a re-run over a longer old file leaves no stale tail.
  const fd = openSync(dst, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, 0o311);
  try {
    writeSync(fd, data);
  } finally {
    closeSync(fd);
  }
}

/** stepInit links /tekton/steps/<name> and /tekton/steps/<i> to /tekton/run/<i>/status (EEXIST tolerated). */
function stepInit(steps: string[], resolvePath: (p: string) => string): void {
  mkdirSync(resolvePath(STEPS_DIR), { recursive: true });
  steps.forEach((step, i) => {
    // The link target goes through resolvePath too, so mapped host paths stay valid outside a container.
    const target = resolvePath(join(RUN_DIR, String(i), 'status'));
    for (const link of [step, String(i)]) {
      try {
        symlinkSync(target, resolvePath(join(STEPS_DIR, link)));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
  });
}

/** decodeScript base64-decodes (StdEncoding) a script file in place, keeping its mode; returns Go's error text. */
function decodeScript(scriptPath: string, resolvePath: (p: string) => string): string | undefined {
  const path = resolvePath(scriptPath);
  let encoded: string;
  let mode: number;
  try {
    encoded = readFileSync(path, 'latin1');
    mode = statSync(path).mode & 0o777;
  } catch (err) {
    return `error decoding script file ${JSON.stringify(scriptPath)}: error reading from script file ${JSON.stringify(scriptPath)}: ${(err as Error).message}`;
  }
  const decoded = decodeStdBase64(encoded);
  if (typeof decoded === 'string') {
    return `error decoding script file ${JSON.stringify(scriptPath)}: error decoding script file ${JSON.stringify(scriptPath)}: ${decoded}`;
  }
  writeFileSync(path, decoded, { mode });
  chmodSync(path, mode);
  return undefined;
}

/** decodeStdBase64 decodes like Go's base64.StdEncoding (CR/LF ignored, strict padding), or returns Go's error text. */
export function decodeStdBase64(text: string): Buffer | string {
  const stripped = text.replace(/[\r\n]/g, '');
  const bad = /[^A-Za-z0-9+/=]/.exec(stripped);
  const padding = /=+$/.exec(stripped)?.[0].length ?? 0;
  const misplacedPad = stripped.slice(0, stripped.length - padding).indexOf('=');
  const firstBad = [bad?.index ?? -1, misplacedPad].filter((i) => i >= 0);
  if (firstBad.length > 0) return `illegal base64 data at input byte ${Math.min(...firstBad)}`;
  if (stripped.length % 4 !== 0 || padding > 2) return `illegal base64 data at input byte ${stripped.length - (stripped.length % 4 || 4)}`;
  return Buffer.from(stripped, 'base64');
}
