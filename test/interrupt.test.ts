// interrupt.test.ts: Ctrl-C on `tektite run` (host executor) cancels the runs and kills the whole
// process tree of every step, including grandchildren started in the background.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath, parseRunList, repoRoot } from './helpers/cli.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(what: string, ok: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Ctrl-C on tektite run', () => {
  it('cancels the TaskRun (TaskRunCancelled, exit 1) and kills a background grandchild', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tektite-int-'));
    const pidFile = join(dir, 'grandchild.pid');
    const yaml = join(dir, 'sleepy.yaml');
    writeFileSync(
      yaml,
      `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: sleepy}
spec:
  taskSpec:
    steps:
    - name: sleep
      image: busybox
      script: |
        sleep 300 &
        echo $! > ${pidFile}
        wait
`,
    );
    const child = spawn(process.execPath, [cliPath, 'run', '-f', yaml, '-o', 'json', '--state-dir', join(dir, 'state')], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    const closed = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    await waitFor('the step to start its grandchild', () => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '');
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    assert.equal(alive(grandchild), true);
    child.kill('SIGINT');
    const code = await closed;
    assert.equal(code, 1, stderr);
    const list = parseRunList(stdout);
    const cond = list?.items[0]?.status?.conditions?.[0];
    assert.deepEqual({ status: cond?.status, reason: cond?.reason }, { status: 'False', reason: 'TaskRunCancelled' });
    await waitFor('the grandchild to be gone', () => !alive(grandchild), 5_000);
  });
});
