// host-table.ts: the commands of common base images, for the host executor when neither podman's
// storage nor a registry can say what an image runs (no network, registry unreachable). Each entry
// records the image's real ENTRYPOINT/CMD and, where that names a script only the image has
// (docker-entrypoint.sh, /ko-app/nop), the host command with the same behaviour.
import { splitImageName, type ImageCommand } from '../oci/index.ts';

/** TableEntry is one family of images. */
export interface TableEntry {
  /** image is what the real image's config says. */
  image: ImageCommand;
  /** host is what the host executor runs instead, when the image's own command cannot run there. */
  host?: ImageCommand;
}

// docker-library/bash's docker-entrypoint.sh: no args or a first arg starting with `-` → bash "$@", else exec "$@".
const BASH_ENTRYPOINT = 'if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then exec bash "$@"; fi; exec "$@"';
// docker-library/node's docker-entrypoint.sh: a first arg that is an option, or no command on PATH, or a non-executable file → node "$@".
const NODE_ENTRYPOINT = 'if [ "${1#-}" != "$1" ] || ! command -v "$1" >/dev/null 2>&1 || { [ -f "$1" ] && ! [ -x "$1" ]; }; then set -- node "$@"; fi; exec "$@"';
// tektoncd/pipeline cmd/nop: logs "Exiting..." (Go log format) and exits 0; `tekton_run_indefinitely` waits for a signal first.
const NOP =
  'ts() { date "+%Y/%m/%d %H:%M:%S"; }; if [ "$1" = tekton_run_indefinitely ]; then echo "`ts` Waiting indefinitely..." >&2; ' +
  'trap \'echo "`ts` received signal: terminated" >&2; echo "`ts` Exiting..." >&2; exit 0\' INT TERM; while :; do sleep 1 & wait $!; done; fi; echo "`ts` Exiting..." >&2';

const sh = (script: string, name: string): string[] => ['/bin/sh', '-c', script, name];

/** HOST_TABLE maps an image's name (its last path component, without tag or digest) to its commands. */
export const HOST_TABLE: Record<string, TableEntry> = {
  bash: { image: { entrypoint: ['docker-entrypoint.sh'], cmd: ['bash'] }, host: { entrypoint: sh(BASH_ENTRYPOINT, 'docker-entrypoint.sh'), cmd: ['bash'] } },
  alpine: { image: { entrypoint: [], cmd: ['/bin/sh'] } },
  busybox: { image: { entrypoint: [], cmd: ['sh'] } },
  ubuntu: { image: { entrypoint: [], cmd: ['/bin/bash'] } },
  debian: { image: { entrypoint: [], cmd: ['bash'] } },
  fedora: { image: { entrypoint: [], cmd: ['/bin/bash'] } },
  ubi: { image: { entrypoint: [], cmd: ['/bin/bash'] } },
  'ubi-minimal': { image: { entrypoint: [], cmd: ['/bin/bash'] } },
  python: { image: { entrypoint: [], cmd: ['python3'] } },
  node: { image: { entrypoint: ['docker-entrypoint.sh'], cmd: ['node'] }, host: { entrypoint: sh(NODE_ENTRYPOINT, 'docker-entrypoint.sh'), cmd: ['node'] } },
  golang: { image: { entrypoint: [], cmd: ['bash'] } },
  nop: { image: { entrypoint: ['/ko-app/nop'], cmd: [] }, host: { entrypoint: sh(NOP, 'nop'), cmd: [] } },
};

/** tableKey names an image's table entry: ubi8/ubi9 → ubi, ko's nop-<hash> → nop, *-alpine golang → alpine. */
export function tableKey(image: string): string | undefined {
  const { repository: ref, tag, name: imageName } = splitImageName(image);
  let name = imageName;
  if (/^ubi[0-9]*$/.test(name)) name = 'ubi';
  if (/^ubi[0-9]*-minimal$/.test(name)) name = 'ubi-minimal';
  // ko names Tekton's images <cmd>-<md5 of the import path> (ghcr.io/tektoncd/pipeline/nop-8eac...).
  if (/^nop(-[0-9a-f]{32})?$/.test(name) && (name !== 'nop' || /tekton/.test(ref))) name = 'nop';
  else if (name === 'nop') return undefined;
  if (name === 'golang' && tag.includes('alpine')) return 'alpine';
  return name in HOST_TABLE ? name : undefined;
}

/** hostTableCommand returns what the host runs for image, if the table knows it. */
export function hostTableCommand(image: string): ImageCommand | undefined {
  const key = tableKey(image);
  if (!key) return undefined;
  const entry = HOST_TABLE[key];
  return entry.host ?? entry.image;
}
