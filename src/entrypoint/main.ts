// main.ts: the entrypoint binary (bundled into dist/entrypoint.cjs); Tekton's cmd/entrypoint/main.go around runEntrypointCommand.
import { runEntrypointCommand } from './command.ts';
import { SIDECAR_LOG_RESULTS } from './sidecar-log-results.ts';
import { WORKING_DIR_INIT } from './subcommands.ts';
import type { SignalForwarding } from './runner.ts';

/** FORWARDED_SIGNALS are passed on to the running command's process group, like Tekton's signal.Notify loop. */
const FORWARDED_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH', 'SIGALRM'];

/** installSignalForwarding forwards signals to subscribers (the running child); with no child the signal does its default job. */
function installSignalForwarding(): SignalForwarding {
  const listeners = new Set<(signal: NodeJS.Signals) => void>();
  for (const signal of FORWARDED_SIGNALS) {
    const handler = (): void => {
      if (listeners.size > 0) {
        for (const listener of listeners) listener(signal);
        return;
      }
      // Tekton only catches signals while the command runs; before that the entrypoint dies of them.
      process.off(signal, handler);
      process.kill(process.pid, signal);
    };
    process.on(signal, handler);
  }
  return {
    onSignal(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

// A reader that went away (EPIPE) must not crash the entrypoint while the step still runs.
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});

// No top-level await: the bundle is CommonJS.
// Invoked as `workingdirinit` or `sidecarlogresults` (a link or copy named like Tekton's binary), act as that binary.
const multiCall = [WORKING_DIR_INIT, SIDECAR_LOG_RESULTS].filter((name) => process.argv[1]?.endsWith(`/${name}`));
void runEntrypointCommand([...multiCall, ...process.argv.slice(2)], { forwardSignals: installSignalForwarding() }).then((code) => {
  process.exitCode = code;
});
