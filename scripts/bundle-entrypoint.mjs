// bundle-entrypoint.mjs: bundles src/entrypoint/main.ts into dist/entrypoint.cjs, one CommonJS file that needs only
// node: builtins, so it runs inside any image that has (or is given) a node binary; and likewise the programs the host
// executor provides in place of an image's own (src/executors/host/image-tools.ts): src/gitinit → dist/git-init.cjs.
// `npm run build` calls it after tsc.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** DEFAULT_OUTFILE is where the package's `tektite-entrypoint` bin points. */
export const DEFAULT_OUTFILE = join(root, 'dist', 'entrypoint.cjs');

/** nonBuiltinImports lists the imports a bundle leaves to require() that are not `node:` builtins (esbuild metafile). */
export function nonBuiltinImports(metafile) {
  const bad = [];
  for (const output of Object.values(metafile.outputs)) {
    for (const imp of output.imports ?? []) {
      if (!imp.path.startsWith('node:')) bad.push(imp.path);
    }
  }
  return bad;
}

/** IMAGE_TOOLS are the image tools' programs: entry point (under src/), bundle name (under dist/), esbuild defines. */
export const IMAGE_TOOLS = [
  { entry: join('gitinit', 'main.ts'), outfile: 'git-init.cjs', define: {} },
  { entry: join('gitinit', 'main.ts'), outfile: 'git-init-catalog.cjs', define: { GIT_INIT_FLAVOR: '"catalog"' } },
];

/** bundleEntrypoint builds the bundle (CJS, node18, shebang, mode 0755) and fails when it would require anything but node: builtins. */
export async function bundleEntrypoint(outfile = DEFAULT_OUTFILE) {
  return bundleProgram(join(root, 'src', 'entrypoint', 'main.ts'), outfile);
}

/** bundleImageTools builds every IMAGE_TOOLS program into outdir (default dist/), with bundleEntrypoint's rules. */
export async function bundleImageTools(outdir = join(root, 'dist')) {
  const out = [];
  for (const tool of IMAGE_TOOLS) out.push(await bundleProgram(join(root, 'src', tool.entry), join(outdir, tool.outfile), tool.define));
  return out;
}

/** bundleProgram bundles one node program that may require only node: builtins. */
async function bundleProgram(entry, outfile, define = {}) {
  const result = await build({
    entryPoints: [entry],
    define,
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    banner: { js: '#!/usr/bin/env node' },
    metafile: true,
    logLevel: 'warning',
  });
  const bad = nonBuiltinImports(result.metafile);
  if (bad.length > 0) {
    throw new Error(`${outfile} must require only node: builtins, but it requires: ${bad.join(', ')}`);
  }
  chmodSync(outfile, 0o755);
  return outfile;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await bundleEntrypoint(process.argv[2] ?? DEFAULT_OUTFILE);
    await bundleImageTools(process.argv[2] ? dirname(process.argv[2]) : undefined);
  } catch (err) {
    console.error(err.message);
    process.exitCode = 1;
  }
}
