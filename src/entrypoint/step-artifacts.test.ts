import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { Sandbox, run, stepFlags } from './test-support.ts';
import { substituteStepArtifacts } from './step-artifacts.ts';

process.env.TZ = 'UTC';

const provenance = {
  inputs: [{ name: 'source', values: [{ uri: 'pkg:example/in', digest: { sha256: 'aa' } }] }],
  outputs: [{ name: 'image', values: [{ uri: 'pkg:example/out', digest: { sha256: 'bb' } }] }],
};

/** producer writes step "first"'s provenance.json where step-init's /tekton/steps/step-first link leads. */
async function producer(sb: Sandbox): Promise<void> {
  assert.equal((await run(sb, ['step-init', 'step-first'])).code, 0);
  mkdirSync(sb.path('/tekton/run/0/status/artifacts'), { recursive: true });
  writeFileSync(sb.path('/tekton/run/0/status/artifacts/provenance.json'), JSON.stringify(provenance));
}

describe('runtime $(steps.<step>.inputs|outputs.<artifact>) substitution', () => {
  it('replaces references in command words and env with the JSON of the artifact values', async () => {
    const sb = new Sandbox();
    await producer(sb);
    const argv = [...stepFlags(1).slice(2), '-entrypoint', 'sh', '--', '-c', 'echo \'$(steps.first.outputs.image)\'; echo "$IN"'];
    const r = await run(sb, argv, { env: { ...process.env, IN: '$(steps.first.inputs.source)' } });
    assert.deepEqual(r, { code: 0, stdout: `${JSON.stringify(provenance.outputs[0].values)}\n${JSON.stringify(provenance.inputs[0].values)}\n`, stderr: '' });
  });

  it('rewrites a script into a new executable file in the step metadata dir, leaving the placed script alone', async () => {
    const sb = new Sandbox();
    await producer(sb);
    mkdirSync(sb.path('/tekton/scripts'), { recursive: true });
    mkdirSync(sb.path('/tekton/run/1/status'), { recursive: true });
    const script = "#!/bin/sh\necho '$(steps.first.outputs.image)'\n";
    writeFileSync(sb.path('/tekton/scripts/script-1-abcde'), script);
    const out = substituteStepArtifacts(['/tekton/scripts/script-1-abcde'], {}, '/tekton/run/1/status', sb.resolvePath);
    assert.ok(!('error' in out));
    assert.match(out.command[0], /^\/tekton\/run\/1\/status\/script-[0-9a-f]{8}$/);
    assert.equal(readFileSync(sb.path(out.command[0]), 'utf8'), `#!/bin/sh\necho '${JSON.stringify(provenance.outputs[0].values)}'\n`);
    assert.equal(statSync(sb.path(out.command[0])).mode & 0o777, 0o755);
    assert.equal(sb.read('/tekton/scripts/script-1-abcde'), script);
  });

  it('logs an unknown artifact and runs the step unchanged, as Tekton does', async () => {
    const sb = new Sandbox();
    await producer(sb);
    const argv = [...stepFlags(1).slice(2), '-entrypoint', 'echo', '--', '$(steps.first.outputs.missing)'];
    const r = await run(sb, argv);
    assert.deepEqual(r, {
      code: 0,
      stdout: '$(steps.first.outputs.missing)\n',
      stderr: 'Error while substituting step artifacts: values for template $(steps.first.outputs.missing) not found\n',
    });
  });
});
