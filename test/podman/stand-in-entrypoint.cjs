#!/usr/bin/env node
// stand-in-entrypoint.cjs: a minimal Tekton entrypoint (init, decode-script, wait/post files,
// termination message) used by the podman tests ONLY while dist/entrypoint.cjs has not been built.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const argv = process.argv.slice(2);
if (argv[0] === 'init') {
  const [, src, dst, ...steps] = argv;
  fs.mkdirSync(path.dirname(dst), { recursive: true });
  fs.copyFileSync(src, dst);
  fs.chmodSync(dst, 0o311);
  fs.mkdirSync('/tekton/steps', { recursive: true });
  steps.forEach((n, i) => {
    for (const name of [n, String(i)]) try { fs.symlinkSync(`/tekton/run/${i}/status`, `/tekton/steps/${name}`); } catch {}
  });
  process.exit(0);
}
if (argv[0] === 'decode-script') {
  fs.writeFileSync(argv[1], Buffer.from(fs.readFileSync(argv[1], 'utf8'), 'base64'));
  process.exit(0);
}
const sep = argv.indexOf('--');
const flags = sep > 0 ? argv.slice(0, sep) : argv;
const rest = sep > 0 ? argv.slice(sep + 1) : [];
const opt = {};
for (let i = 0; i < flags.length; i++) {
  const name = flags[i].replace(/^-+/, '');
  if (name === 'wait_file_content') opt[name] = true;
  else opt[name] = flags[++i];
}
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const term = [];
const finish = (code) => {
  fs.writeFileSync(opt.termination_path || '/tekton/termination', JSON.stringify(term));
  process.exit(code);
};
for (const f of (opt.wait_file || '').split(',').filter(Boolean)) {
  for (;;) {
    if (fs.existsSync(f) && (!opt.wait_file_content || fs.statSync(f).size > 0)) break;
    if (fs.existsSync(`${f}.err`)) {
      fs.writeFileSync(`${opt.post_file}.err`, '');
      term.push({ key: 'Reason', value: 'Skipped', type: 3 });
      console.log('Skipping step because a previous step failed');
      finish(1);
    }
    sleep(20);
  }
}
term.push({ key: 'StartedAt', value: new Date().toISOString(), type: 3 });
const cmd = [...(opt.entrypoint ? [opt.entrypoint] : []), ...rest];
const r = spawnSync(cmd[0], cmd.slice(1), { stdio: 'inherit' });
const code = r.status ?? 1;
fs.mkdirSync(path.dirname(opt.post_file), { recursive: true });
fs.writeFileSync(code === 0 ? opt.post_file : `${opt.post_file}.err`, '');
finish(code);
