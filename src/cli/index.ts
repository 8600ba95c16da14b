// cli: the `tektite` commands (run, validate, apply, get, cancel), output formats, tables and log rendering. Only this folder prints or exits.
export { runCommand, type RunOptions, type CommandIO } from './run.ts';
export { validateCommand } from './validate.ts';
export { cancelCommand, type CancelOptions } from './cancel.ts';
export { applyCommand, type ApplyOptions } from './apply.ts';
export { getCommand, type GetOptions } from './get.ts';
export { admitFiles, type Admitted, type AdmitOptions } from './objects.ts';
export { EXIT_STATE_STORE, withStore } from './state.ts';
