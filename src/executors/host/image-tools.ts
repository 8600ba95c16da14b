// image-tools.ts: files and directories an image provides that Tasks rely on, reproduced on the
// host executor (which runs no image). A table maps an image pattern to what its containers get:
// a program (a node bundle from dist/, started by a launcher that names this node binary, so it
// runs whatever the step's PATH) or an empty writable directory (e.g. the image user's home).
// Add an entry to imageTools to plug in a new tool; docs/host-executor.md lists them.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { splitImageName } from '../../oci/index.ts';
import type { Mount } from './mounts.ts';

/** ToolPath is one path an image provides: a bundled program, or an empty writable directory. */
export type ToolPath = { path: string; program: string } | { path: string; dir: true };

/** ImageTool is one row of the table: which images, and the paths their containers get. */
export interface ImageTool {
  name: string;
  /** matches tests an image reference: its repository path (without tag or digest) and its tag ('' when none). */
  matches: (image: ImageName) => boolean;
  provides: ToolPath[];
}

/** ImageName is an image reference split into its repository path and tag. */
export interface ImageName {
  repository: string;
  tag: string;
}

/**
 * imageTools is the table.
 * - Tekton's git-init image (ko-built from tektoncd/pipeline's cmd/git-init, e.g.
 *   gcr.io/tekton-releases/github.com/tektoncd/pipeline/cmd/git-init:v0.40.2) has the binary at
 *   /ko-app/git-init and, on its distroless git base, the home of its non-root user, /home/git,
 *   which the catalog git-clone Task 0.9 uses as $HOME.
 * - tektoncd-catalog/git-clone v1.0.x–v1.1.x (the catalog git-clone Task 0.10 uses v1.1.0, and
 *   mounts its own $HOME) has the same git-init but for reusing an existing origin; later tags
 *   add flags and retries that src/gitinit does not have, so they are not matched.
 */
export const imageTools: ImageTool[] = [
  {
    name: 'git-init',
    matches: ({ repository }) => repository.endsWith('/cmd/git-init'),
    provides: [
      { path: '/ko-app/git-init', program: 'git-init.cjs' },
      { path: '/home/git', dir: true },
    ],
  },
  {
    name: 'git-init (tektoncd-catalog/git-clone)',
    matches: ({ repository, tag }) => /(^|\/)tektoncd-catalog\/git-clone$/.test(repository) && /^v1\.[01]\.\d+$/.test(tag),
    provides: [{ path: '/ko-app/git-init', program: 'git-init-catalog.cjs' }],
  },
];

/** parseImageName splits an image reference into repository and tag, dropping a digest (a registry port's colon is kept). */
export function parseImageName(image: string): ImageName {
  const { repository, tag } = splitImageName(image);
  return { repository, tag };
}

/** toolsForImage returns the table rows that apply to an image. */
export function toolsForImage(image: string | undefined, table: ImageTool[] = imageTools): ImageTool[] {
  if (!image) return [];
  const name = parseImageName(image);
  return table.filter((t) => t.matches(name));
}

/**
 * PodImageTools gives a pod's containers their image's tools: launchers are written once per pod
 * under scratchDir, directories are fresh per container. A program whose bundle is missing (a
 * build without it) is left out with a warning, once per pod: the step then fails as it would in
 * an image without the file.
 */
export class PodImageTools {
  private readonly launchers = new Map<string, string | undefined>();

  constructor(
    private readonly bundleDir: string | undefined,
    private readonly scratchDir: string,
    private readonly onWarning: (message: string) => void,
    private readonly table: ImageTool[] = imageTools,
  ) {}

  /** forContainer returns the mounts that provide the container's image tools. */
  forContainer(containerName: string, image: string | undefined): Mount[] {
    const mounts: Mount[] = [];
    for (const tool of toolsForImage(image, this.table)) {
      for (const p of tool.provides) {
        if ('dir' in p) {
          const hostPath = path.join(this.scratchDir, 'image-tools', 'containers', containerName, p.path);
          mkdirSync(hostPath, { recursive: true });
          mounts.push({ containerPath: p.path, hostPath, readOnly: false });
          continue;
        }
        const launcher = this.launcher(p.program);
        if (launcher) mounts.push({ containerPath: p.path, hostPath: launcher, readOnly: true });
      }
    }
    return mounts;
  }

  /** launcher writes (once) a script that runs the bundle with this process's node binary. */
  private launcher(program: string): string | undefined {
    if (this.launchers.has(program)) return this.launchers.get(program);
    const bundle = this.bundleDir && path.join(this.bundleDir, program);
    let file: string | undefined;
    if (bundle && existsSync(bundle)) {
      file = path.join(this.scratchDir, 'image-tools', program.replace(/\.cjs$/, ''));
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, `#!${process.execPath}\nrequire(${JSON.stringify(bundle)});\n`, { mode: 0o755 });
    } else {
      this.onWarning(`${program} is missing from ${this.bundleDir ?? 'the build'} (npm run build): steps of images that have it will not find it`);
    }
    this.launchers.set(program, file);
    return file;
  }
}
