#!/usr/bin/env node
// main.ts: the `tektite` command line. The only place that prints to the terminal or exits.
import './zod-config.ts';
import { availableParallelism } from 'node:os';
import { Command, CommanderError, Option } from 'commander';
import { defaultStateDir } from '../store/index.ts';
import { runCommand, type CommandIO } from './run.ts';
import { validateCommand } from './validate.ts';
import { cancelCommand } from './cancel.ts';
import { applyCommand } from './apply.ts';
import { getCommand } from './get.ts';

const collect = (v: string, acc: string[]) => [...acc, v];

function keyValues(list: string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new CommanderError(2, 'tektite.usage', `error: ${flag} expects KEY=VALUE, got ${JSON.stringify(kv)}`);
    out[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return out;
}

function program(io: CommandIO, setExit: (code: number) => void): Command {
  const cmd = new Command('tektite')
    .description('Run Tekton Pipelines YAML (tekton.dev/v1, v1beta1) on the host, in podman, or on Kubernetes')
    .exitOverride()
    .addHelpText(
      'after',
      `
\`apply\`, \`get\` and \`cancel\` use the state store <state-dir>/store.db (default ${defaultStateDir()}).

Exit codes: 0 done; 1 a run failed, or an object was not found, already exists or has finished;
2 invalid input or usage; 70 a bug in Tektite; 74 the state store cannot be used (corrupt, not
Tektite's, from a newer Tektite, not writable).`,
    )
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  const common = (c: Command) =>
    c
      .requiredOption('-f, --filename <file>', 'YAML file or directory with Tekton objects (repeatable; - for stdin)', collect, [])
      // A repeatable option's [] default satisfies commander's "required": check it ourselves.
      .hook('preAction', (_, action) => {
        if (!action.opts().filename?.length) throw new CommanderError(2, 'tektite.usage', "error: required option '-f, --filename <file>' not specified");
      })
      .option('--feature-flag <key=value>', 'override a feature-flags entry (repeatable)', collect, [])
      .option('--default <key=value>', 'override a config-defaults entry (repeatable)', collect, []);
  // What runs Pods: `run` and `controller` both start the control plane (cli/local-engine.ts).
  const engineFlags = (c: Command) =>
    c
      .addOption(new Option('--executor <name>', 'where steps run').choices(['host', 'podman', 'docker', 'kubernetes']).default('host'))
      .option('--state-dir <dir>', 'where runs, logs and PVCs are kept', defaultStateDir())
      .option('--image-map <from=to>', 'rewrite an image name (repeatable)', collect, [])
      .option('--parallel <n>', 'TaskRuns a PipelineRun may run at once', (v) => Number.parseInt(v, 10), availableParallelism() * 2);
  const engineOptions = (o: Record<string, never>) => ({
    executor: o.executor,
    stateDir: o.stateDir,
    featureFlags: keyValues(o.featureFlag, '--feature-flag'),
    defaults: keyValues(o.default, '--default'),
    imageMap: keyValues(o.imageMap, '--image-map'),
    parallel: (o.parallel as number) > 0 ? o.parallel : 1,
  });
  engineFlags(common(cmd.command('run').description('create the objects in the files and run every TaskRun and PipelineRun in them')))
    .addOption(new Option('-o, --output <format>', 'print the final runs').choices(['json', 'yaml', 'name']))
    .action(async (o) => {
      setExit(await runCommand({ ...engineOptions(o), files: o.filename, output: o.output }, io));
    });
  engineFlags(
    cmd
      .command('controller')
      .description('run the TaskRun and PipelineRun controllers and a kubelet over the state dir until SIGTERM (which drains: running Pods finish, nothing new starts)'),
  )
    .option('--feature-flag <key=value>', 'override a feature-flags entry (repeatable)', collect, [])
    .option('--default <key=value>', 'override a config-defaults entry (repeatable)', collect, [])
    .action(async (o) => {
      const { controllerCommand } = await import('./controller.ts');
      setExit(await controllerCommand(engineOptions(o), io));
    });
  common(cmd.command('validate').description("check the objects in the files as Tekton's admission webhook would")).action(async (o) => {
    setExit(await validateCommand({ files: o.filename, featureFlags: keyValues(o.featureFlag, '--feature-flag'), defaults: keyValues(o.default, '--default') }, io));
  });
  common(cmd.command('apply').description('admit the objects in the files and create or update them in the state store (runs are only created)'))
    .option('--state-dir <dir>', 'where the state store (store.db) is kept', defaultStateDir())
    .action(async (o) => {
      setExit(
        await applyCommand({ files: o.filename, featureFlags: keyValues(o.featureFlag, '--feature-flag'), defaults: keyValues(o.default, '--default'), stateDir: o.stateDir }, io),
      );
    });
  cmd
    .command('get <kind> [names...]')
    .description('print objects of the state store: taskruns (tr), pipelineruns (pr), tasks, pipelines, stepactions, pods, configmaps, ...')
    .option('-n, --namespace <ns>', 'namespace of the objects', 'default')
    .option('-A, --all-namespaces', 'objects of every namespace')
    .option('-l, --selector <selector>', 'label selector (a=b,c!=d,e in (x,y),!f)')
    .addOption(new Option('-o, --output <format>', 'print the objects instead of a table').choices(['json', 'yaml', 'name']))
    .option('--state-dir <dir>', 'where the state store (store.db) is kept', defaultStateDir())
    .action(async (kind: string, names: string[], o) => {
      setExit(await getCommand({ kind, names, namespace: o.namespace, allNamespaces: Boolean(o.allNamespaces), selector: o.selector, output: o.output, stateDir: o.stateDir }, io));
    });
  cmd
    .command('cancel <name>')
    .description('cancel a PipelineRun or TaskRun: writes spec.status, which whatever runs it acts on')
    .option('-n, --namespace <ns>', 'namespace of the run', 'default')
    .option('--state-dir <dir>', 'the state dir of the `tektite run` process', defaultStateDir())
    .addOption(new Option('--finally', 'PipelineRun: cancel running tasks, then run finally (CancelledRunFinally)').conflicts('stop'))
    .addOption(new Option('--stop', 'PipelineRun: let running tasks finish, start nothing new, run finally (StoppedRunFinally)'))
    .action(async (name: string, o) => {
      setExit(await cancelCommand({ name, namespace: o.namespace, stateDir: o.stateDir, mode: o.finally ? 'finally' : o.stop ? 'stop' : 'cancel' }, io));
    });
  return cmd;
}

async function main(): Promise<void> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    process.stderr.write(`\n${sig}: cancelling runs (again to force quit)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let code = 0;
  const io: CommandIO = { stdout: process.stdout, stderr: process.stderr, signal: controller.signal };
  try {
    await program(io, (c) => {
      code = c;
    }).parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'tektite.usage') process.stderr.write(`${e.message}\n`);
      code = e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? 0 : 2;
    } else {
      process.stderr.write(`internal error (a bug in Tektite, please report it): ${(e as Error).stack ?? e}\n`);
      code = 70;
    }
  }
  // Exit once stdout has drained: a finished run must not wait on stray handles.
  process.stdout.write('', () => process.exit(code));
}

// No top-level await: the bundled CLI is CommonJS, compiled through V8's code cache (scripts/bundle-cli.mjs).
void main();
