// state-dir.ts: where Tektite keeps runs by default ($XDG_DATA_HOME/tektite).
import { homedir } from 'node:os';
import { join } from 'node:path';

/** defaultStateDir is $TEKTITE_STATE_DIR, else $XDG_DATA_HOME/tektite, else ~/.local/share/tektite. */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TEKTITE_STATE_DIR) return env.TEKTITE_STATE_DIR;
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'tektite');
}
