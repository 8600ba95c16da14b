// runner.ts: git-init's git commands as host processes: `git` from PATH, in its own process group
// (src/proc), output combined like Go's exec.Cmd with one buffer for stdout and stderr.
import { spawnGroup } from '../proc/index.ts';
import type { GitRunner } from './git.ts';

// Go's exec error texts for a signal death (strsignal names).
const signalNames: Record<string, string> = { SIGKILL: 'killed', SIGTERM: 'terminated', SIGINT: 'interrupt', SIGHUP: 'hangup', SIGQUIT: 'quit', SIGPIPE: 'broken pipe' };

// A fetch's output is small; more than this keeps only its tail.
const maxOutput = 1 << 20;

/** spawnGitRunner runs git with env, killing every running git's group when signal aborts. */
export function spawnGitRunner(env: Record<string, string>, signal: AbortSignal): GitRunner {
  return async (dir, args) => {
    let output = Buffer.alloc(0);
    const collect = (d: Buffer): void => {
      output = Buffer.concat([output, d]);
      if (output.length > maxOutput) output = output.subarray(output.length - maxOutput);
    };
    const result = await spawnGroup(['git', ...args], { cwd: dir, env, signal, onStdout: collect, onStderr: collect }).result;
    const text = output.toString();
    if ('startError' in result) return { output: text, error: result.startError };
    if (result.signal) return { output: text, error: `signal: ${signalNames[result.signal] ?? result.signal}` };
    return result.exitCode === 0 ? { output: text } : { output: text, error: `exit status ${result.exitCode}` };
  };
}
