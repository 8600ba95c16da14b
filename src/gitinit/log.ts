// log.ts: git-init's log lines, as zap.NewProduction writes them to stderr: one JSON object per
// line with level, ts (epoch seconds), caller (the Go file:line of git-init v0.40.2 that logs the
// message, so a line reads as the real binary's) and msg. zap also adds a Go stack trace to
// error and fatal lines; there is no Go stack to show here, so that field is left out.

/** Level is a zap level name. */
export type Level = 'info' | 'warn' | 'error' | 'fatal';

/** Logger is the sugared logger git-init's code calls. */
export interface Logger {
  log(level: Level, caller: string, msg: string): void;
}

/** jsonLogger writes zap production lines to write, with timestamps from now. */
export function jsonLogger(write: (line: string) => void, now: () => number = Date.now): Logger {
  return {
    log(level, caller, msg) {
      const ts = now() / 1000;
      write(`{"level":"${level}","ts":${ts},"caller":${goJSON(caller)},"msg":${goJSON(msg)}}\n`);
    },
  };
}

/** goJSON quotes a string; zap's encoder, unlike encoding/json, leaves <, > and & alone. */
function goJSON(s: string): string {
  return JSON.stringify(s);
}

/** goList formats a []string the way Go's %v does: [a b c]. */
export function goList(items: string[]): string {
  return `[${items.join(' ')}]`;
}

/** goQuote is Go's %q for a string (close enough: JSON quoting of printable text). */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}
