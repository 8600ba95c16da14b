// git.ts: pkg/git/git.go of tektoncd/pipeline v0.40.2 (unchanged through v0.46; tektoncd-catalog/
// git-clone v1.0–v1.1 differs only in reusing an existing origin, see reuseOrigin): init a repository
// at a path, add the origin remote, fetch one revision (or refspecs) with the given depth, check
// it out, update submodules. Same git commands in the same order, same log lines and errors;
// the differences, all for safety on a shared host, are:
// - user values are passed after `--` (init, remote add, config, fetch) or `--end-of-options`
//   (show), so a revision or path starting with `-` is never read as an option;
// - the home directory is $HOME even for root (git-init uses /root for euid 0): the host's
//   /root is not the image's, and the catalog Task runs as the image's non-root user anyway;
// - instead of symlinking the passwd home's .ssh to $HOME/.ssh (ssh ignores $HOME), which would
//   write into the host user's home, ssh is pointed at $HOME/.ssh through core.sshCommand.
import { appendFileSync, existsSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import type { FetchSpec } from './flags.ts';
import { goList, goQuote } from './log.ts';
import type { Logger } from './log.ts';

/** GitOutcome is a git command's combined output, and Go's exec error text when it failed. */
export interface GitOutcome {
  output: string;
  error?: string;
}

/** GitRunner runs `git args...` in dir (absolute). */
export type GitRunner = (dir: string, args: string[]) => Promise<GitOutcome>;

/** GitEnv is what Fetch reads from its process: env, cwd, the runner. */
export interface GitEnv {
  git: GitRunner;
  logger: Logger;
  env: Record<string, string | undefined>;
  /** cwd is the working directory; Fetch changes it (os.Chdir in git-init). */
  cwd: string;
  /** credsDir is pipeline.CredsDir, /tekton/creds. */
  credsDir: string;
  /**
   * reuseOrigin is the tektoncd-catalog/git-clone v1.0–v1.1 behaviour: an existing `origin`
   * remote (a checkout kept with deleteExisting=false) gets its URL set instead of failing `remote add`.
   */
  reuseOrigin?: boolean;
}

/** GitError is a failed step of Fetch; message is what git-init's error prints. */
export class GitError extends Error {}

const sshKnownHostsUserPath = '.ssh/known_hosts';
const sshMissingKnownHostsSSHCommand = 'ssh -o StrictHostKeyChecking=accept-new';
// git.go sshURLRegexFormat (unanchored, as Go's MatchString).
const sshURLRegexFormat = /(ssh:\/\/[\w\d.]+|.+@?.+\..+:)(:[\d]+){0,1}\/*(.*)/;

/** run is git.go run(): on failure it logs the command and its output, and throws Go's exec error text. */
async function run(g: GitEnv, dir: string, ...args: string[]): Promise<string> {
  const outcome = await g.git(dir ? path.resolve(g.cwd, dir) : g.cwd, args);
  if (outcome.error !== undefined) {
    g.logger.log('error', 'git/git.go:53', `Error running git ${goList(args)}: ${outcome.error}\n${outcome.output}`);
    throw new GitError(outcome.error);
  }
  return outcome.output;
}

/** fetch is git.Fetch: it leaves spec.path a checkout of the revision. */
export async function fetch(g: GitEnv, spec: FetchSpec): Promise<void> {
  const homepath = g.env.HOME || userInfo().homedir;
  validateGitAuth(g, spec.url);
  if (spec.path !== '') {
    await run(g, '', 'init', '--', spec.path);
    const dir = path.resolve(g.cwd, spec.path);
    if (!isDirectory(dir)) throw new GitError(`failed to change directory with path ${spec.path}; err: chdir ${spec.path}: no such file or directory`);
    g.cwd = dir;
    await run(g, '', 'config', '--add', '--global', '--', 'safe.directory', spec.path);
  } else {
    await run(g, '', 'init');
    await run(g, '', 'config', '--add', '--global', '--', 'safe.directory', '/');
  }
  await configSparseCheckout(g, spec);
  const trimmedURL = spec.url.trim();
  await addOrigin(g, trimmedURL);

  const hasKnownHosts = existsSync(path.join(homepath, sshKnownHostsUserPath));
  const homeSSH = homeSSHOptions(homepath);
  if (!hasKnownHosts || homeSSH !== '') {
    const command = (hasKnownHosts ? 'ssh' : sshMissingKnownHostsSSHCommand) + homeSSH;
    try {
      await run(g, '', 'config', '--', 'core.sshCommand', command);
    } catch (err) {
      const message = `error disabling strict host key checking: ${(err as Error).message}`;
      g.logger.log('warn', 'git/git.go:120', message);
      throw new GitError(message);
    }
  }
  try {
    await run(g, '', 'config', 'http.sslVerify', String(spec.sslVerify));
  } catch (err) {
    g.logger.log('warn', 'git/git.go:125', `Failed to set http.sslVerify in git config: ${(err as Error).message}`);
    throw err;
  }

  const fetchArgs = ['fetch'];
  if (spec.submodules) fetchArgs.push('--recurse-submodules=yes');
  if (spec.depth > 0) fetchArgs.push(`--depth=${spec.depth}`);
  // Fetch the revision and verify with FETCH_HEAD; with a refspec, fetch it and verify the revision.
  let fetchParam = [spec.revision];
  let checkoutParam = 'FETCH_HEAD';
  if (spec.refspec !== '') {
    fetchParam = spec.refspec.split(' ');
    checkoutParam = spec.revision;
  }
  // --update-head-ok: git-init's empty initial branch may be the one fetched into; --force: a
  // refspec may name the same destination twice.
  fetchArgs.push('--update-head-ok', '--force', '--', 'origin', ...fetchParam);
  try {
    await run(g, spec.path, ...fetchArgs);
  } catch (err) {
    throw new GitError(`failed to fetch ${goList(fetchParam)}: ${(err as Error).message}`);
  }
  let checkoutCommit: string;
  try {
    checkoutCommit = await showCommit(g, checkoutParam, spec.path);
  } catch {
    throw new GitError(`error parsing ${checkoutParam} after fetching refspec ${spec.refspec}`);
  }
  // `checkout -f <rev> --` reads rev as a revision, never a path; a revision that looks like an
  // option (it resolved, so a ref really has that name) is checked out by its commit.
  await run(g, '', 'checkout', '-f', checkoutParam.startsWith('-') ? checkoutCommit : checkoutParam, '--');

  const commit = await showCommit(g, 'HEAD', spec.path);
  const ref = await showRef(g, 'HEAD', spec.path);
  g.logger.log('info', 'git/git.go:176', `Successfully cloned ${trimmedURL} @ ${commit} (${ref}) in path ${spec.path}`);
  if (spec.submodules) await submoduleFetch(g, spec);
}

/** addOrigin adds the origin remote; with reuseOrigin, an existing one is pointed at url if it differs. */
async function addOrigin(g: GitEnv, url: string): Promise<void> {
  if (!g.reuseOrigin) {
    await run(g, '', 'remote', 'add', '--', 'origin', url);
    return;
  }
  let current: string;
  try {
    current = await run(g, '', 'remote', 'get-url', '--', 'origin');
  } catch {
    await run(g, '', 'remote', 'add', '--', 'origin', url);
    return;
  }
  if (current.trim() !== url) await run(g, '', 'remote', 'set-url', '--', 'origin', url);
}

/** showCommit is git.ShowCommit: the commit SHA of revision. */
export async function showCommit(g: GitEnv, revision: string, dir: string): Promise<string> {
  const output = await run(g, dir, 'show', '-q', '--pretty=format:%H', '--end-of-options', revision);
  return output.replace(/\n$/, '');
}

async function showRef(g: GitEnv, revision: string, dir: string): Promise<string> {
  const output = await run(g, dir, 'show', '-q', '--pretty=format:%D', '--end-of-options', revision);
  return output.replace(/\n$/, '');
}

async function submoduleFetch(g: GitEnv, spec: FetchSpec): Promise<void> {
  if (spec.path !== '') g.cwd = path.resolve(g.cwd, spec.path);
  const updateArgs = ['submodule', 'update', '--recursive', '--init'];
  if (spec.depth > 0) updateArgs.push(`--depth=${spec.depth}`);
  await run(g, '', ...updateArgs);
  g.logger.log('info', 'git/git.go:215', `Successfully initialized and updated submodules in path ${spec.path}`);
}

/** validateGitAuth warns when SSH credentials and the URL's form disagree. */
function validateGitAuth(g: GitEnv, url: string): void {
  const sshCred = existsSync(path.join(g.credsDir, '.ssh'));
  const urlSSHFormat = validateGitSSHURLFormat(url);
  if (sshCred && !urlSSHFormat) {
    g.logger.log(
      'warn',
      'git/git.go:269',
      `SSH credentials have been provided but the URL(${goQuote(url)}) is not a valid SSH URL. This warning can be safely ignored if the URL is for a public repo or you are using basic auth`,
    );
  } else if (!sshCred && urlSSHFormat) {
    g.logger.log('warn', 'git/git.go:271', `URL(${goQuote(url)}) appears to need SSH authentication but no SSH credentials have been provided`);
  }
}

/** validateGitSSHURLFormat reports whether url looks like an SSH URL. */
export function validateGitSSHURLFormat(url: string): boolean {
  if (url.startsWith('http://') || url.startsWith('https://')) return false;
  return sshURLRegexFormat.test(url);
}

/**
 * homeSSHOptions returns ssh options (with a leading space) that make ssh use $HOME/.ssh when
 * $HOME is not the passwd home ssh reads; '' when they agree. Known hosts always go to
 * $HOME/.ssh, so accept-new never writes into the host user's known_hosts.
 */
export function homeSSHOptions(home: string, passwdHome: string = userInfo().homedir): string {
  if (path.resolve(home) === path.resolve(passwdHome)) return '';
  const dir = path.join(home, '.ssh');
  const options = ['-o', `UserKnownHostsFile=${path.join(dir, 'known_hosts')}`];
  if (existsSync(path.join(dir, 'config'))) options.push('-F', path.join(dir, 'config'));
  for (const key of ['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk', 'id_dsa']) {
    if (existsSync(path.join(dir, key))) options.push('-i', path.join(dir, key));
  }
  return options.map((o) => ` '${o.replace(/'/g, `'\\''`)}'`).join('');
}

/** configSparseCheckout turns on sparse checkout and appends the comma-separated patterns. */
async function configSparseCheckout(g: GitEnv, spec: FetchSpec): Promise<void> {
  if (spec.sparseCheckoutDirectories === '') return;
  await run(g, '', 'config', 'core.sparsecheckout', 'true');
  const file = path.join(g.cwd, '.git/info/sparse-checkout');
  try {
    appendFileSync(
      file,
      spec.sparseCheckoutDirectories
        .split(',')
        .map((p) => `${p}\n`)
        .join(''),
      { mode: 0o644 },
    );
  } catch (err) {
    const message = `open ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}`;
    g.logger.log('error', 'git/git.go:298', `failed to open sparse-checkout file: ${message}`);
    throw new GitError(message);
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
