// flags.ts: git-init's command line (cmd/git-init/main.go at tektoncd/pipeline v0.40.2, the same
// through v0.46, the last release that had it), parsed with Go `flag` rules.
import { parseGoBool, parseGoFlags, parseGoUint } from '../goflag/index.ts';
import type { GoFlagKind } from '../goflag/index.ts';

/** FetchSpec is pkg/git.FetchSpec: what to fetch, where, and how. */
export interface FetchSpec {
  url: string;
  revision: string;
  refspec: string;
  path: string;
  depth: number;
  submodules: boolean;
  sslVerify: boolean;
  sparseCheckoutDirectories: string;
}

/** GitInitFlags are every flag of git-init, with its defaults. */
export interface GitInitFlags {
  spec: FetchSpec;
  terminationMessagePath: string;
}

interface FlagDef {
  kind: GoFlagKind;
  usage: string;
  /** def is the default as flag.PrintDefaults shows it ('' for none). */
  def: string;
}

// In flag.PrintDefaults order (sorted by name).
const DEFS: Record<string, FlagDef> = {
  depth: { kind: 'uint', usage: 'Perform a shallow clone to this depth', def: '1' },
  path: { kind: 'string', usage: 'Path of directory under which Git repository will be copied', def: '' },
  refspec: { kind: 'string', usage: 'The Git refspec to fetch the revision from (optional)', def: '' },
  revision: { kind: 'string', usage: 'The Git revision to make the repository HEAD', def: '' },
  sparseCheckoutDirectories: { kind: 'string', usage: 'String of directory patterns separated by a comma', def: '' },
  sslVerify: { kind: 'bool', usage: 'Enable/Disable SSL verification in the git config', def: 'true' },
  submodules: { kind: 'bool', usage: 'Initialize and fetch Git submodules', def: 'true' },
  terminationMessagePath: { kind: 'string', usage: 'Location of file containing termination message', def: '/tekton/termination' },
  url: { kind: 'string', usage: 'Git origin URL to fetch', def: '' },
};

const KINDS: Record<string, GoFlagKind> = Object.fromEntries(Object.entries(DEFS).map(([n, d]) => [n, d.kind]));

/** defaultGitInitFlags returns git-init's defaults. */
export function defaultGitInitFlags(): GitInitFlags {
  return {
    spec: { url: '', revision: '', refspec: '', path: '', depth: 1, submodules: true, sslVerify: true, sparseCheckoutDirectories: '' },
    terminationMessagePath: '/tekton/termination',
  };
}

/** parseGitInitArgs parses argv (without the program name) like flag.Parse; arguments after the flags are ignored, as git-init does. */
export function parseGitInitArgs(argv: string[]): GitInitFlags | { error: string; help?: boolean } {
  const flags = defaultGitInitFlags();
  const spec = flags.spec;
  const parsed = parseGoFlags(argv, KINDS, (name, kind, value) => {
    if (kind === 'bool') {
      const b = parseGoBool(value ?? 'true');
      if (b === undefined) return `invalid boolean value ${JSON.stringify(value)} for -${name}: parse error`;
      if (name === 'sslVerify') spec.sslVerify = b;
      else spec.submodules = b;
      return undefined;
    }
    if (kind === 'uint') {
      const n = parseGoUint(value!);
      if (n === undefined) return `invalid value ${JSON.stringify(value)} for flag -${name}: parse error`;
      spec.depth = n;
      return undefined;
    }
    if (name === 'terminationMessagePath') flags.terminationMessagePath = value!;
    else (spec as unknown as Record<string, string>)[name] = value!;
    return undefined;
  });
  return 'error' in parsed ? parsed : flags;
}

/** usage is what flag.Usage prints for git-init (flag.PrintDefaults format). */
export function usage(program: string): string {
  let out = `Usage of ${program}:\n`;
  for (const [name, d] of Object.entries(DEFS)) {
    const type = d.kind === 'bool' ? '' : ` ${d.kind}`;
    const def = d.def === '' ? '' : d.kind === 'string' ? ` (default ${JSON.stringify(d.def)})` : ` (default ${d.def})`;
    out += `  -${name}${type}\n    \t${d.usage}${def}\n`;
  }
  return out;
}
