// bundle-cli.mjs: bundles the `tektite` CLI (src/cli/main.ts and its dependencies) into
// dist/bin/tektite.mjs, with each executor in its own chunk loaded only when used. One file
// instead of a few hundred ES modules: start-up time is part of the product (docs/benchmarks.md).
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'bin');

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { tektite: join(root, 'src', 'cli', 'main.ts') },
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Some dependencies are CommonJS and call require(); give the ESM bundle one.
  banner: { js: "import { createRequire as __tektiteCreateRequire } from 'node:module'; const require = __tektiteCreateRequire(import.meta.url);" },
  external: ['@kubernetes/client-node'],
  // Less text for V8 to parse at every start; names are kept for readable stack traces of bugs.
  minify: true,
  keepNames: true,
  logLevel: 'warning',
});
chmodSync(join(outdir, 'tektite.mjs'), 0o755);
