// main.ts: the git-init program (bundled into dist/git-init.cjs, and as the tektoncd-catalog
// flavor into dist/git-init-catalog.cjs; provided at /ko-app/git-init in steps of those images). A SIGTERM/SIGINT/SIGHUP kills the running git's
// process group before git-init dies of the signal, so a cancelled step leaves no git behind.
import { runGitInit } from './command.ts';
import type { GitInitFlavor } from './command.ts';
import { spawnGitRunner } from './runner.ts';

// Set by the bundler (scripts/bundle-entrypoint.mjs): one bundle per flavor.
declare const GIT_INIT_FLAVOR: GitInitFlavor | undefined;
const flavor: GitInitFlavor = typeof GIT_INIT_FLAVOR === 'string' ? GIT_INIT_FLAVOR : 'pipeline';

const controller = new AbortController();
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.once(signal, () => {
    controller.abort();
    // Die of the signal once git is gone (the group kill escalates to SIGKILL after its grace).
    setTimeout(() => process.kill(process.pid, signal), 600).unref();
  });
}
process.stderr.on('error', () => {});

const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
void runGitInit(process.argv.slice(2), {
  git: spawnGitRunner(env, controller.signal),
  stderr: (text) => process.stderr.write(text),
  env,
  cwd: process.cwd(),
  program: process.argv[1] ?? 'git-init',
  flavor,
}).then((code) => {
  process.exitCode = code;
});
