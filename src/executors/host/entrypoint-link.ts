// entrypoint-link.ts: the seam to the entrypoint library (src/entrypoint), which the host
// executor runs in-process for every `/tekton/bin/entrypoint ...` container instead of spawning
// node per step. Without it (inProcessEntrypoint: false), containers run the copied bundle as
// real processes inside their sandbox.
import { runEntrypointCommand } from '../../entrypoint/index.ts';

export type { EntrypointIO, RunOutcome } from '../../entrypoint/index.ts';

/** RunEntrypointCommand is the library's main: argv after the program name → exit code. */
export type RunEntrypointCommand = typeof runEntrypointCommand;

/** entrypointLibrary is the in-process entrypoint. */
export const entrypointLibrary: RunEntrypointCommand = runEntrypointCommand;
