import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { Sandbox, run } from './test-support.ts';
import { encodeSidecarLogResult } from './sidecar-log-results.ts';

/** pod lays out /tekton/run/<i> for n steps and /tekton/steps/<name> links like the prepare container. */
function pod(steps: string[]): Sandbox {
  const sb = new Sandbox();
  mkdirSync(sb.path('/tekton/results'));
  mkdirSync(sb.path('/tekton/steps'));
  steps.forEach((name, i) => {
    mkdirSync(sb.path(`/tekton/run/${i}/status`), { recursive: true });
    symlinkSync(sb.path(`/tekton/run/${i}/status`), sb.path(`/tekton/steps/${name}`));
  });
  return sb;
}

const env = { ...process.env, SIDECAR_LOG_POLLING_INTERVAL: '10ms' };
const lines = (stdout: string) =>
  stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as unknown);

describe('sidecarlogresults (the results sidecar)', () => {
  it('prints task results, step results and step artifacts as JSON lines once every step has posted', async () => {
    const sb = pod(['step-a', 'step-b']);
    writeFileSync(sb.path('/tekton/results/foo'), 'x'.repeat(5000));
    writeFileSync(sb.path('/tekton/results/arr'), '["a","b"]');
    mkdirSync(sb.path('/tekton/run/1/status/results'));
    writeFileSync(sb.path('/tekton/run/1/status/results/digest'), 'sha256:1');
    mkdirSync(sb.path('/tekton/run/1/status/artifacts'));
    writeFileSync(sb.path('/tekton/run/1/status/artifacts/provenance.json'), '{"outputs":[{"name":"img","values":[{"uri":"u","digest":{"sha256":"1"}}]}],"extra":1}');
    const argv = [
      'sidecarlogresults',
      '-results-dir',
      '/tekton/results',
      '-result-names',
      'foo,arr,missing',
      '-step-names',
      'step-b',
      '-step-results',
      '{"step-b":["digest","absent"]}',
    ];
    const pending = run(sb, argv, { env });
    // Nothing is printed before the last step's post file exists.
    await new Promise((r) => setTimeout(r, 50));
    writeFileSync(sb.path('/tekton/run/0/out'), '');
    await new Promise((r) => setTimeout(r, 50));
    writeFileSync(sb.path('/tekton/run/1/out'), '');
    const r = await pending;
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [
      { name: 'foo', value: 'x'.repeat(5000), type: 'task' },
      { name: 'arr', value: '["a","b"]', type: 'task' },
      { name: 'step-b.digest', value: 'sha256:1', type: 'step' },
      { name: 'step-b', value: '{"outputs":[{"name":"img","values":[{"uri":"u","digest":{"sha256":"1"}}]}]}', type: 'stepArtifact' },
    ]);
  });

  it('stops waiting when a step failed (out.err) and prints what was written', async () => {
    const sb = pod(['step-a', 'step-b']);
    writeFileSync(sb.path('/tekton/results/foo'), 'early');
    writeFileSync(sb.path('/tekton/run/0/out.err'), '');
    const r = await run(sb, ['sidecarlogresults', '-result-names', 'foo', '-step-results', '{}'], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(lines(r.stdout), [{ name: 'foo', value: 'early', type: 'task' }]);
  });

  it('fails like log.Fatal on bad -step-results JSON, and rejects unknown flags with exit 2', async () => {
    const sb = pod(['step-a']);
    const bad = await run(sb, ['sidecarlogresults', '-result-names', 'foo', '-step-results', '{"step-a":"x"}'], { env });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d json: cannot unmarshal/);
    const unknown = await run(sb, ['sidecarlogresults', '-nope'], { env });
    assert.deepEqual(unknown, { code: 2, stdout: '', stderr: 'flag provided but not defined: -nope\n' });
  });

  it('exits 143 without printing when stopped while the steps still run', async () => {
    const sb = pod(['step-a']);
    writeFileSync(sb.path('/tekton/results/foo'), 'v');
    const stop = new AbortController();
    const pending = run(sb, ['sidecarlogresults', '-result-names', 'foo', '-step-results', '{}'], { env, signal: stop.signal });
    setTimeout(() => stop.abort(), 30);
    assert.deepEqual(await pending, { code: 143, stdout: '', stderr: '' });
  });

  it("encodes lines like Go's json.Encoder (HTML characters escaped)", () => {
    assert.equal(encodeSidecarLogResult({ name: 'r', value: '<a&b>\u2028', type: 'task' }), '{"name":"r","value":"\\u003ca\\u0026b\\u003e\\u2028","type":"task"}');
  });
});
