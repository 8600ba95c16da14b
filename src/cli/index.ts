// cli: the `tektite` commands (run, validate, cancel), output formats and log rendering. Only this folder prints or exits.
export { runCommand, type RunOptions, type CommandIO } from './run.ts';
export { validateCommand } from './validate.ts';
export { cancelCommand, type CancelOptions } from './cancel.ts';
