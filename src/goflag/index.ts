// goflag: command lines parsed with the rules of Go's `flag` package (flag.go parseOne), for the
// Tekton binaries this project re-implements (the entrypoint, git-init). Pure, node builtins
// only: it is bundled into dist/entrypoint.cjs and dist/git-init.cjs.
export { parseGoBool, parseGoFlags, parseGoUint } from './parse.ts';
export type { GoFlagKind, GoFlagSetter, GoFlagsResult } from './parse.ts';
