// node-runtime.ts: the host's node binary, its dynamic loader and libraries, carried into any image.
// The entrypoint is a Node bundle; images (busybox, distroless, scratch) have no Node and often no
// glibc. Bind-mounting node + loader + libs at /tekton/node and starting node through the loader
// (`ld.so --library-path /tekton/node/lib /tekton/node/node bundle.cjs`) runs it in any image.
import { execFileSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Mount } from '../pod/index.ts';
import { fileId, recall, remember, userCacheFile } from '../remembered.ts';

/** NODE_DIR is where the node runtime and the entrypoint bundle appear inside containers. */
export const NODE_DIR = '/tekton/node';
/** BUNDLE_PATH is the entrypoint bundle's path inside containers. */
export const BUNDLE_PATH = `${NODE_DIR}/entrypoint.cjs`;

/** NodeRuntime is what a container needs to start the host's node: mounts and the argv prefix. */
export interface NodeRuntime {
  mounts: Mount[];
  /** command starts the entrypoint bundle; append the entrypoint's own arguments. */
  command: string[];
  /** node starts bare node (e.g. `node -e <probe>`). */
  node: string[];
}

let cached: { mounts: Mount[]; prefix: string[] } | undefined;

/** nodeRuntime describes how to run the host's node (process.execPath) inside a container, with the entrypoint bundle if given. */
export function nodeRuntime(bundle: string | undefined): NodeRuntime {
  cached ??= discover(process.execPath);
  const bundleMount = bundle ? [{ hostPath: bundle, containerPath: BUNDLE_PATH, readOnly: true }] : [];
  return { mounts: [...cached.mounts, ...bundleMount], command: [...cached.prefix, BUNDLE_PATH], node: [...cached.prefix] };
}

function discover(nodePath: string): { mounts: Mount[]; prefix: string[] } {
  const node = realpathSync(nodePath);
  const mounts: Mount[] = [{ hostPath: node, containerPath: `${NODE_DIR}/node`, readOnly: true }];
  const { loader, libs } = rememberedLibraries(node);
  if (!loader) return { mounts, prefix: [`${NODE_DIR}/node`] }; // a static node needs nothing else
  const ld = `${NODE_DIR}/${basename(loader)}`;
  mounts.push({ hostPath: realpathSync(loader), containerPath: ld, readOnly: true });
  for (const lib of libs) mounts.push({ hostPath: realpathSync(lib), containerPath: `${NODE_DIR}/lib/${basename(lib)}`, readOnly: true });
  return { mounts, prefix: [ld, '--library-path', `${NODE_DIR}/lib`, `${NODE_DIR}/node`] };
}

/** sharedLibraries parses `ldd` output: `name => /path (addr)` lines are libraries, a bare `/path (addr)` line is the loader. */
export function sharedLibraries(binary: string): { loader?: string; libs: string[] } {
  let text: string;
  try {
    text = execFileSync('ldd', [binary], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    return { libs: [] }; // "not a dynamic executable" exits non-zero
  }
  return parseLdd(text);
}

/**
 * rememberedLibraries is sharedLibraries(node), remembered in the user's cache dir while node, the
 * loader's cache (/etc/ld.so.cache) and every library found are unchanged: `ldd` is three process
 * starts (~40 ms) that every `tektite run` paid before its first container.
 */
function rememberedLibraries(node: string): { loader?: string; libs: string[] } {
  const file = userCacheFile('node-libraries.json');
  const key = JSON.stringify([node, fileId(node), fileId('/etc/ld.so.cache')]);
  const saved = recall<{ loader?: string; libs: string[]; ids: (string | null)[] }>(file, key);
  if (saved?.libs && saved.ids) {
    const ids = saved.ids;
    const paths = [...(saved.loader ? [saved.loader] : []), ...saved.libs];
    if (paths.every((p, i) => ids[i] !== null && fileId(p) === ids[i])) return { loader: saved.loader, libs: saved.libs };
  }
  const found = sharedLibraries(node);
  const paths = [...(found.loader ? [found.loader] : []), ...found.libs];
  remember(file, key, { ...found, ids: paths.map(fileId) });
  return found;
}

/** parseLdd extracts the loader and library paths from ldd's output. */
export function parseLdd(text: string): { loader?: string; libs: string[] } {
  let loader: string | undefined;
  const libs: string[] = [];
  for (const line of text.split('\n')) {
    const lib = /=>\s+(\/\S+)/.exec(line);
    if (lib) libs.push(lib[1]);
    else if (/^\s*\/\S+\s+\(0x/.test(line)) loader = line.trim().split(/\s+/)[0];
  }
  return { loader, libs };
}

/** launcherScript is the `/ko-app/entrypoint` copied to `/tekton/bin/entrypoint`: a shell launcher for the bundle, used where a shell calls the entrypoint (place-scripts' decode-script). */
export function launcherScript(runtime: NodeRuntime): string {
  const argv = runtime.command.map((a) => `'${a}'`).join(' ');
  return `#!/bin/sh\nexec ${argv} "$@"\n`;
}

/** findEntrypointBundle locates dist/entrypoint.cjs of this package, from src/ (tsx) or dist/ (built). */
export function findEntrypointBundle(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'dist', 'entrypoint.cjs');
    if (existsSync(candidate)) return candidate;
    if (basename(dir) === 'dist' && existsSync(join(dir, 'entrypoint.cjs'))) return join(dir, 'entrypoint.cjs');
    dir = dirname(dir);
  }
  return undefined;
}
