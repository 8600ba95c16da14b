// command.ts: git-init's main (cmd/git-init/main.go): parse the flags, fetch, then append the
// fetched commit and URL to the termination message, as PipelineResource-era entries without a
// type (a TaskRun's results come from the catalog Task's own result files; Tekton drops these).
import { writeTerminationMessage } from '../entrypoint/index.ts';
import { parseGitInitArgs, usage } from './flags.ts';
import { fetch, showCommit } from './git.ts';
import type { GitEnv, GitRunner } from './git.ts';
import { jsonLogger } from './log.ts';

/** GitInitFlavor names a git-init release line: tektoncd/pipeline's, or tektoncd-catalog/git-clone's v1.0–v1.1. */
export type GitInitFlavor = 'pipeline' | 'catalog';

/** GitInitIO is what git-init touches outside itself. */
export interface GitInitIO {
  git: GitRunner;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** program is argv[0], for the usage text. */
  program: string;
  /** flavor picks whose git-init this is: Tekton's (default) or tektoncd-catalog/git-clone v1.0–v1.1's. */
  flavor?: GitInitFlavor;
  now?: () => number;
}

/** runGitInit runs git-init with argv (after the program name) and returns its exit code: 0, 1 (fatal), 2 (bad flags). */
export async function runGitInit(argv: string[], io: GitInitIO): Promise<number> {
  const flags = parseGitInitArgs(argv);
  if ('error' in flags) {
    // flag.ExitOnError: the error (not for -h), the usage, exit 2 (0 for -h).
    io.stderr(`${flags.help ? '' : `${flags.error}\n`}${usage(io.program)}`);
    return flags.help ? 0 : 2;
  }
  const logger = jsonLogger(io.stderr, io.now);
  const fatal = (caller: string, msg: string): number => {
    logger.log('fatal', caller, msg);
    return 1;
  };
  const g: GitEnv = { git: io.git, logger, env: io.env, cwd: io.cwd, credsDir: '/tekton/creds', reuseOrigin: io.flavor === 'catalog' };
  const spec = flags.spec;
  try {
    await fetch(g, spec);
  } catch (err) {
    return fatal('git-init/main.go:54', `Error fetching git repository: ${(err as Error).message}`);
  }
  let commit: string;
  try {
    commit = await showCommit(g, 'HEAD', spec.path);
  } catch (err) {
    return fatal('git-init/main.go:59', `Error parsing revision ${spec.revision} of git repository: ${(err as Error).message}`);
  }
  const resourceName = io.env.TEKTON_RESOURCE_NAME ?? '';
  const entries = [
    { key: 'commit', value: commit, ...(resourceName ? { resourceName } : {}) },
    { key: 'url', value: spec.url, ...(resourceName ? { resourceName } : {}) },
  ];
  const written = writeTerminationMessage(flags.terminationMessagePath, entries);
  if (written) return fatal('git-init/main.go:76', `Error writing message to ${flags.terminationMessagePath} : ${written.error}`);
  return 0;
}
