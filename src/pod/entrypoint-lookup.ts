// entrypoint-lookup.ts: a step with no command runs its image's ENTRYPOINT (pkg/pod/entrypoint_lookup.go
// resolveEntrypoints): the commands are looked up per platform before the Pod is built and passed
// to the entrypoint binary in TEKTON_PLATFORM_COMMANDS, which picks its platform's at run time.
// Steps with `command` (or `script`, which becomes one) need no lookup. Sidecars are not wrapped by
// the entrypoint, so they are not resolved here: their runtime (a kubelet, the host executor) does it.
import type { V1Container } from '@kubernetes/client-node';
import type { TaskSpec } from '../api/index.ts';
import { mergeStepsWithStepTemplate } from '../api/index.ts';
import type { ImageCommand, ImageConfigs } from '../oci/index.ts';

/** PLATFORM_COMMANDS_ENV is the env var the entrypoint reads when `-entrypoint` is absent. */
export const PLATFORM_COMMANDS_ENV = 'TEKTON_PLATFORM_COMMANDS';

/** EntrypointCache looks up what images run (pkg/pod/entrypoint_lookup.go EntrypointCache). */
export interface EntrypointCache {
  get(image: string, signal?: AbortSignal): Promise<{ ok: true; configs: ImageConfigs } | { ok: false; error: string }>;
}

/** ResolvedEntrypoints are the looked-up images of one Pod, by image reference as written. */
export type ResolvedEntrypoints = ReadonlyMap<string, ImageConfigs>;

/**
 * lookupStepEntrypoints looks up the image of every step that will have no command once merged
 * with the stepTemplate and not a script; the first failure is returned (Tekton fails the Pod).
 */
export async function lookupStepEntrypoints(
  spec: TaskSpec,
  cache: EntrypointCache,
  signal?: AbortSignal,
): Promise<{ ok: true; resolved: ResolvedEntrypoints } | { ok: false; error: string }> {
  const steps = mergeStepsWithStepTemplate(spec.stepTemplate, spec.steps ?? []);
  const images = [...new Set(steps.filter((s) => !s.script && !s.command?.length).map((s) => s.image ?? ''))];
  const answers = await Promise.all(images.map((image) => cache.get(image, signal)));
  const resolved = new Map<string, ImageConfigs>();
  for (const [i, a] of answers.entries()) {
    if (!a.ok) return a;
    resolved.set(images[i], a.configs);
  }
  return { ok: true, resolved };
}

/**
 * commandsForStep applies imageInfo's rule to each platform: the Entrypoint; if empty, the Cmd;
 * else, when the step has no args, Entrypoint followed by Cmd.
 */
export function commandsForStep(configs: ImageConfigs, hasArgs: boolean): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [platform, c] of Object.entries(configs.platforms)) out[platform] = stepCommand(c, hasArgs);
  return out;
}

function stepCommand(c: ImageCommand, hasArgs: boolean): string[] {
  if (c.entrypoint.length === 0) return c.cmd;
  return hasArgs ? c.entrypoint : [...c.entrypoint, ...c.cmd];
}

/** withPlatformCommands adds TEKTON_PLATFORM_COMMANDS to command-less step containers whose image was resolved. */
export function withPlatformCommands(steps: V1Container[], resolved: ResolvedEntrypoints | undefined): V1Container[] {
  if (!resolved) return steps;
  return steps.map((s) => {
    if (s.command?.length) return s;
    const configs = resolved.get(s.image ?? '');
    if (!configs) return s;
    const value = JSON.stringify(commandsForStep(configs, (s.args?.length ?? 0) > 0));
    return { ...s, env: [...(s.env ?? []), { name: PLATFORM_COMMANDS_ENV, value }] };
  });
}
