// bundle-entrypoint.mjs: bundles src/entrypoint/main.ts into dist/entrypoint.cjs, one CommonJS file that needs only
// node: builtins, so it runs inside any image that has (or is given) a node binary. `npm run build` calls it after tsc.
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

/** bundleEntrypoint builds the bundle (CJS, node18, shebang, mode 0755) and fails when it would require anything but node: builtins. */
export async function bundleEntrypoint(outfile = DEFAULT_OUTFILE) {
  const result = await build({
    entryPoints: [join(root, 'src', 'entrypoint', 'main.ts')],
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
    throw new Error(`dist/entrypoint.cjs must require only node: builtins, but it requires: ${bad.join(', ')}`);
  }
  chmodSync(outfile, 0o755);
  return outfile;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await bundleEntrypoint(process.argv[2] ?? DEFAULT_OUTFILE);
  } catch (err) {
    console.error(err.message);
    process.exitCode = 1;
  }
}
