// prepare.ts: Tekton's `prepare` init container (`/ko-app/entrypoint init <src> <dst> <step names...>`,
// or the older `cp <src> <dst>`) done by the executor on the host, in the volumes that back its mounts:
// a container start (~0.45 s) saved per Pod. What it leaves is what the container would have left: the
// entrypoint at <dst> and Tekton's step-init links /tekton/steps/<name> and /tekton/steps/<i> →
// /tekton/run/<i>/status (container paths: the links are read inside the step containers).
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, posix } from 'node:path';
import type { V1Container } from '@kubernetes/client-node';
import { containerMounts, hostPathOf } from '../pod/index.ts';
import { launcherScript } from './node-runtime.ts';
import type { PodContext } from './plan.ts';

const STEPS_DIR = '/tekton/steps';
const RUN_DIR = '/tekton/run';

/** HostPrepare is the outcome of prepare on the host: the log lines the entrypoint prints, or its error line. */
export type HostPrepare = { ok: true; messages: string[] } | { ok: false; error: string };

/** prepareArgv returns the `init`/`cp` subcommand line of a prepare container, or undefined if it is another shape (run in a container then). */
export function prepareArgv(c: V1Container): string[] | undefined {
  const argv = [...(c.command ?? []), ...(c.args ?? [])].slice(1);
  if (argv[0] === 'init' && argv.length >= 3) return argv;
  if (argv[0] === 'cp' && argv.length === 3) return argv;
  return undefined;
}

/** prepareOnHost copies the entrypoint launcher to <dst> and links the step directories, in the host directories behind the container's mounts. */
export function prepareOnHost(ctx: PodContext, c: V1Container, argv: string[]): HostPrepare {
  const [name, src, dst, ...steps] = argv;
  if (!ctx.runtime || !ctx.hasBundle) return { ok: false, error: 'the entrypoint bundle dist/entrypoint.cjs was not found (run `npm run build`)' };
  const bound = containerMounts(c, ctx.volumes, new Map());
  if ('configError' in bound) return { ok: false, error: `${name} error: ${bound.configError}` };
  const inVolume = (p: string) => hostPathOf(p, bound.mounts);
  const target = inVolume(dst);
  if (!target) return { ok: false, error: `${name} error: ${dst} is not in a volume of the prepare container` };
  try {
    mkdirSync(dirname(target), { recursive: true });
    // Tekton writes its Go binary 0311; ours is a shell launcher that sh must be able to read.
    writeFileSync(target, launcherScript(ctx.runtime));
    chmodSync(target, 0o755);
    if (name === 'cp') return { ok: true, messages: [`Copied ${src} to ${dst}`] };
    const stepsDir = inVolume(STEPS_DIR);
    if (!stepsDir) return { ok: false, error: `${name} error: ${STEPS_DIR} is not in a volume of the prepare container` };
    linkSteps(stepsDir, steps);
  } catch (err) {
    return { ok: false, error: `${name} error: ${(err as Error).message}` };
  }
  return { ok: true, messages: [`Copied ${src} to ${dst}`, 'Setup /step directories'] };
}

// step-init (cmd/entrypoint/subcommands/step_init.go): both the name and the index link, EEXIST tolerated.
function linkSteps(stepsDir: string, steps: string[]): void {
  mkdirSync(stepsDir, { recursive: true });
  steps.forEach((step, i) => {
    for (const link of [step, String(i)]) {
      try {
        symlinkSync(posix.join(RUN_DIR, String(i), 'status'), posix.join(stepsDir, link));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
    }
  });
}
