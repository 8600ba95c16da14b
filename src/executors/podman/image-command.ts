// image-command.ts: a step without `command` runs its image's ENTRYPOINT. Tekton's controller reads
// it from the registry (pkg/pod/entrypoint_lookup*.go) and passes it to the entrypoint in
// TEKTON_PLATFORM_COMMANDS; here it is read from the local image with `podman image inspect`.
import type { V1Container } from '@kubernetes/client-node';
import type { PodmanCli } from './cli.ts';

/** PLATFORM_COMMANDS_ENV is the env var the entrypoint reads when `-entrypoint` is absent. */
export const PLATFORM_COMMANDS_ENV = 'TEKTON_PLATFORM_COMMANDS';

interface ImageInspect {
  Os?: string;
  Architecture?: string;
  Variant?: string;
  Config?: { Entrypoint?: string[] | null; Cmd?: string[] | null };
}

/** needsImageCommand says whether a step container wraps a command-less step whose image command the executor must supply. */
export function needsImageCommand(c: V1Container): boolean {
  if (c.command?.[0] !== '/tekton/bin/entrypoint') return false;
  if (c.env?.some((e) => e.name === PLATFORM_COMMANDS_ENV)) return false;
  const args = c.args ?? [];
  const sep = args.indexOf('--');
  const flags = sep >= 0 ? args.slice(0, sep) : args;
  return !flags.some((f) => /^--?entrypoint(=|$)/.test(f));
}

/**
 * platformCommands returns the TEKTON_PLATFORM_COMMANDS JSON for the image: `ep = Entrypoint`; if
 * empty `ep = Cmd`; else if the step has no args `ep = Entrypoint ++ Cmd` (Tekton's rule).
 */
export async function platformCommands(cli: PodmanCli, image: string, c: V1Container): Promise<string | undefined> {
  const r = await cli.run(['image', 'inspect', '--format', 'json', image]);
  if (r.code !== 0) return undefined;
  let info: ImageInspect | undefined;
  try {
    info = (JSON.parse(r.stdout) as ImageInspect[])[0];
  } catch {
    return undefined;
  }
  const entrypoint = info?.Config?.Entrypoint ?? [];
  const cmd = info?.Config?.Cmd ?? [];
  const args = c.args ?? [];
  const stepArgs = args.slice(args.indexOf('--') + 1);
  const ep = entrypoint.length === 0 ? cmd : stepArgs.length === 0 ? [...entrypoint, ...cmd] : entrypoint;
  const platform = [info?.Os ?? 'linux', info?.Architecture ?? 'amd64', ...(info?.Variant ? [info.Variant] : [])].join('/');
  return JSON.stringify({ [platform]: ep });
}
