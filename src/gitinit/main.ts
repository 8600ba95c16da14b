// main.ts: the git-init program (bundled into dist/git-init.cjs, provided at /ko-app/git-init in
// steps whose image is Tekton's git-init image). A SIGTERM/SIGINT/SIGHUP kills the running git's
// process group before git-init dies of the signal, so a cancelled step leaves no git behind.
import { runGitInit } from './command.ts';
import { spawnGitRunner } from './runner.ts';

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
}).then((code) => {
  process.exitCode = code;
});
