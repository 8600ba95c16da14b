// src/gitinit: Tekton's git-init (cmd/git-init + pkg/git of tektoncd/pipeline v0.40–v0.46, and the
// tektoncd-catalog/git-clone v1.0–v1.1 flavor) on top of the system `git`: the program the
// catalog's git-clone Task runs as /ko-app/git-init. Node builtins only (plus the pure goflag and
// termination modules): scripts/bundle-entrypoint.mjs bundles main.ts into dist/git-init.cjs and
// dist/git-init-catalog.cjs, which the host executor provides to steps of those images
// (src/executors/host/image-tools.ts).
export { runGitInit } from './command.ts';
export type { GitInitFlavor, GitInitIO } from './command.ts';
export { defaultGitInitFlags, parseGitInitArgs, usage } from './flags.ts';
export type { FetchSpec, GitInitFlags } from './flags.ts';
export { homeSSHOptions, validateGitSSHURLFormat } from './git.ts';
export { spawnGitRunner } from './runner.ts';
