// path-mapping.ts: the fallback when no mount namespace is available: container paths in the
// command line, env and working directory are rewritten to the host directories behind them,
// and so is the text of a script the command executes (Tekton `script:` steps run
// /tekton/scripts/script-<i>-<id>, whose body names /workspace and /tekton paths).
import { mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { mapPath, resolvePath, rewritePaths } from './mounts.ts';
import type { Mount } from './mounts.ts';

/** HostCommand is a command line with host paths in place of container paths. */
export interface HostCommand {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
}

/** mapCommandToHost rewrites argv, env and cwd (creating cwd, as the runtime does) for running without a namespace. */
export function mapCommandToHost(argv: string[], env: Record<string, string>, cwd: string, mounts: Mount[], scratchDir: string): HostCommand {
  const script = rewrittenScript(argv[0], cwd, mounts, scratchDir);
  const mapped = {
    argv: [script ?? rewritePaths(argv[0], mounts), ...argv.slice(1).map((a) => rewritePaths(a, mounts))],
    env: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, rewritePaths(v, mounts)])),
    cwd: mapPath(cwd, mounts),
  };
  mkdirSync(mapped.cwd, { recursive: true });
  return mapped;
}

/** rewrittenScript copies a `#!` script that lives in a mount with its container paths rewritten, or returns undefined. */
function rewrittenScript(argv0: string, cwd: string, mounts: Mount[], scratchDir: string): string | undefined {
  if (!argv0.includes('/')) return undefined;
  const containerPath = path.posix.resolve(cwd, argv0);
  const host = resolvePath(containerPath, mounts);
  if (host === containerPath) return undefined;
  let text: string;
  try {
    text = readFileSync(host, 'utf8');
  } catch {
    return undefined;
  }
  if (!text.startsWith('#!')) return undefined;
  const copy = path.join(scratchDir, 'scripts', `${path.basename(host)}-${randomBytes(4).toString('hex')}`);
  mkdirSync(path.dirname(copy), { recursive: true });
  writeFileSync(copy, rewritePaths(text, mounts), { mode: 0o755 });
  return copy;
}

/**
 * retargetSymlinks points absolute symlinks at the top of the given host directories to the
 * host paths behind their container targets (step-init's /tekton/steps/<name> → /tekton/run/<i>/status).
 */
export function retargetSymlinks(dirs: string[], mounts: Mount[]): void {
  for (const dir of dirs) {
    for (const name of readdirOrEmpty(dir)) {
      const link = path.join(dir, name);
      const target = readlinkOrUndefined(link);
      if (!target?.startsWith('/')) continue;
      const host = mapPath(target, mounts);
      if (host === target) continue;
      unlinkSync(link);
      symlinkSync(host, link);
    }
  }
}

/** readdirOrEmpty lists a directory, or nothing if it is not one. */
function readdirOrEmpty(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** readlinkOrUndefined reads a symlink, or returns undefined for anything else. */
function readlinkOrUndefined(p: string): string | undefined {
  try {
    return readlinkSync(p);
  } catch {
    return undefined;
  }
}
