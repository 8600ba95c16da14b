// flags.ts: the entrypoint's command line, parsed with Go `flag` package rules (cmd/entrypoint/main.go, args.go).
import { parseGoDuration } from '../duration/go-duration.ts';
import { parseGoBool, parseGoFlags } from '../goflag/index.ts';
import type { GoFlagKind } from '../goflag/index.ts';

/** EntrypointFlags holds every flag of Tekton's cmd/entrypoint, with Tekton's defaults. */
export interface EntrypointFlags {
  entrypoint: string;
  wait_file: string;
  wait_file_content: boolean;
  post_file: string;
  termination_path: string;
  debug_before_step: boolean;
  breakpoint_on_failure: boolean;
  on_error: string;
  step_metadata_dir: string;
  results: string;
  step_results: string;
  when_expressions: string;
  /** timeout in milliseconds (Go duration); 0 means none, negative is rejected at run time like Tekton. */
  timeout: number;
  stdout_path: string;
  stderr_path: string;
  enable_spire: boolean;
  spire_socket_path: string;
  result_from: string;
  compress_termination_message: boolean;
  'basic-docker': string[];
  'docker-config': string[];
  'docker-cfg': string[];
  'basic-git': string[];
  'ssh-git': string[];
}

/** ParsedArgs is the entrypoint argv split into flags, positional args (subcommands) and the user command's args. */
export interface ParsedArgs {
  flags: EntrypointFlags;
  positional: string[];
  commandArgs: string[];
}

const KINDS: Record<keyof EntrypointFlags, GoFlagKind> = {
  entrypoint: 'string',
  wait_file: 'string',
  wait_file_content: 'bool',
  post_file: 'string',
  termination_path: 'string',
  debug_before_step: 'bool',
  breakpoint_on_failure: 'bool',
  on_error: 'string',
  step_metadata_dir: 'string',
  results: 'string',
  step_results: 'string',
  when_expressions: 'string',
  timeout: 'duration',
  stdout_path: 'string',
  stderr_path: 'string',
  enable_spire: 'bool',
  spire_socket_path: 'string',
  result_from: 'string',
  compress_termination_message: 'bool',
  'basic-docker': 'list',
  'docker-config': 'list',
  'docker-cfg': 'list',
  'basic-git': 'list',
  'ssh-git': 'list',
};

/** defaultFlags returns the flag values Tekton's entrypoint starts from. */
export function defaultFlags(): EntrypointFlags {
  return {
    entrypoint: '',
    wait_file: '',
    wait_file_content: false,
    post_file: '',
    termination_path: '/tekton/termination',
    debug_before_step: false,
    breakpoint_on_failure: false,
    on_error: '',
    step_metadata_dir: '',
    results: '',
    step_results: '',
    when_expressions: '',
    timeout: 0,
    stdout_path: '',
    stderr_path: '',
    enable_spire: false,
    spire_socket_path: 'unix:///spiffe-workload-api/spire-agent.sock',
    result_from: 'termination-message',
    compress_termination_message: false,
    'basic-docker': [],
    'docker-config': [],
    'docker-cfg': [],
    'basic-git': [],
    'ssh-git': [],
  };
}

/** extractArgs splits argv at the first `--`, only when it is not the first arg (Tekton args.go). */
export function extractArgs(argv: string[]): { args: string[]; commandArgs: string[] } {
  const terminator = argv.indexOf('--');
  if (terminator > 0) return { args: argv.slice(0, terminator), commandArgs: argv.slice(terminator + 1) };
  return { args: argv, commandArgs: [] };
}

/** parseEntrypointArgs parses argv like Go's flag.CommandLine.Parse after extractArgs; errors carry Go's text. */
export function parseEntrypointArgs(argv: string[]): ParsedArgs | { error: string; help?: boolean } {
  const { args, commandArgs } = extractArgs(argv);
  const flags = defaultFlags();
  const parsed = parseGoFlags(args, KINDS, (name, kind, value) => setFlag(flags, name as keyof EntrypointFlags, kind, value));
  if ('error' in parsed) return parsed;
  return { flags, positional: parsed.positional, commandArgs };
}

function setFlag(flags: EntrypointFlags, name: keyof EntrypointFlags, kind: GoFlagKind, value: string | undefined): string | undefined {
  const record = flags as unknown as Record<string, unknown>;
  switch (kind) {
    case 'bool': {
      const parsed = parseGoBool(value ?? 'true');
      if (parsed === undefined) return `invalid boolean value ${JSON.stringify(value)} for -${name}: parse error`;
      record[name] = parsed;
      return undefined;
    }
    case 'duration': {
      const parsed = parseGoDuration(value!);
      if (!parsed.ok) return `invalid value ${JSON.stringify(value)} for flag -${name}: parse error`;
      record[name] = parsed.ms;
      return undefined;
    }
    case 'list':
      (record[name] as string[]).push(value!);
      return undefined;
    default:
      record[name] = value;
      return undefined;
  }
}

/** splitList splits a comma-separated flag value like strings.Split, but yields [] for "" (Tekton checks [0] != ""). */
export function splitList(value: string): string[] {
  return value === '' ? [] : value.split(',');
}
