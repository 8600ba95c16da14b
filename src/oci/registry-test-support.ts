// registry-test-support.ts: real registries for the tests: Debian's docker-registry (CNCF
// distribution) on 127.0.0.1, anonymous or with token auth served by a tiny token server owned by
// the test (an RS256 JWT signed with node:crypto, its certificate given to the registry), and test
// images built with `podman import` from busybox and pushed with skopeo.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createSign, randomBytes, X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, copyFileSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** missingTools names what the registry tests need and this machine lacks (apt-get install docker-registry skopeo podman busybox-static openssl). */
export function missingTools(): string[] {
  const need = ['docker-registry', 'skopeo', 'podman', 'openssl', 'busybox'];
  return need.filter((t) => {
    try {
      execFileSync('sh', ['-c', `command -v ${t}`], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
}

/** freePort returns a TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** TokenAuth is the registry's `auth: token:` section. */
export interface TokenAuth {
  realm: string;
  service: string;
  issuer: string;
  rootCertBundle: string;
}

/** Registry is a running docker-registry. */
export interface Registry {
  port: number;
  host: string;
  stop(): Promise<void>;
}

/** startRegistry serves rootDir's storage on a free loopback port until stop(). */
export async function startRegistry(rootDir: string, workDir: string, token?: TokenAuth): Promise<Registry> {
  const port = await freePort();
  const config = path.join(workDir, `registry-${port}.yml`);
  const auth = token ? `auth:\n  token:\n    realm: ${token.realm}\n    service: ${token.service}\n    issuer: ${token.issuer}\n    rootcertbundle: ${token.rootCertBundle}\n` : '';
  writeFileSync(config, `version: 0.1\nlog: {level: error}\nstorage: {filesystem: {rootdirectory: ${rootDir}}, delete: {enabled: true}}\nhttp: {addr: 127.0.0.1:${port}}\n${auth}`);
  const child: ChildProcess = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/v2/`, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200 || res.status === 401) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`docker-registry did not start on ${port}: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    host: `127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/** TokenServer issues pull tokens; `refuse` names repositories it refuses. */
export interface TokenServer {
  realm: string;
  certFile: string;
  issuer: string;
  service: string;
  /** requests counts token requests (the client must have done the dance). */
  requests: string[];
  stop(): Promise<void>;
}

/** startTokenServer makes a key and self-signed certificate with openssl and serves JWTs at /token. */
export async function startTokenServer(workDir: string, refuse: string[] = []): Promise<TokenServer> {
  const keyFile = path.join(workDir, 'token.key');
  const certFile = path.join(workDir, 'token.crt');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=tektite-test-token'], {
    stdio: 'ignore',
  });
  const key = readFileSync(keyFile, 'utf8');
  const der = new X509Certificate(readFileSync(certFile)).raw.toString('base64');
  const issuer = 'tektite-test-issuer';
  const service = 'tektite-test-registry';
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const scope = url.searchParams.get('scope') ?? '';
    requests.push(scope);
    const [type, name, actions] = scope.split(':');
    if (url.pathname !== '/token' || url.searchParams.get('service') !== service || refuse.includes(name)) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"refused"}');
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    const access = type ? [{ type, name, actions: (actions ?? '').split(',').filter(Boolean) }] : [];
    const token = jwt(
      { alg: 'RS256', typ: 'JWT', x5c: [der] },
      { iss: issuer, sub: '', aud: service, exp: now + 300, nbf: now - 10, iat: now, jti: randomBytes(8).toString('hex'), access },
      key,
    );
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token, expires_in: 300 }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    certFile,
    issuer,
    service,
    requests,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function jwt(header: object, claims: object, key: string): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(key).toString('base64url')}`;
}

/** buildImage imports a busybox rootfs into podman as `name` with the given ENTRYPOINT/CMD (JSON form). */
export function buildImage(name: string, workDir: string, config: { entrypoint?: string[]; cmd?: string[] }): void {
  const rootfs = path.join(workDir, `rootfs-${randomBytes(4).toString('hex')}`);
  mkdirSync(path.join(rootfs, 'bin'), { recursive: true });
  const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p))!;
  copyFileSync(busybox, path.join(rootfs, 'bin', 'busybox'));
  for (const applet of ['sh', 'echo', 'cat', 'true']) symlinkSync('busybox', path.join(rootfs, 'bin', applet));
  const tar = `${rootfs}.tar`;
  execFileSync('tar', ['-C', rootfs, '-cf', tar, '.']);
  const changes = [
    ...(config.entrypoint ? ['--change', `ENTRYPOINT=${JSON.stringify(config.entrypoint)}`] : []),
    ...(config.cmd ? ['--change', `CMD=${JSON.stringify(config.cmd)}`] : []),
  ];
  execFileSync('podman', ['import', ...changes, tar, name], { stdio: 'ignore' });
  rmSync(rootfs, { recursive: true, force: true });
  rmSync(tar, { force: true });
}

/** pushImage copies a podman image to the registry (docker v2 schema 2 manifest) with skopeo. */
export function pushImage(local: string, remote: string): void {
  execFileSync('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', `containers-storage:${local}`, `docker://${remote}`], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** pushIndex pushes an index of two images: amd64 as linux/amd64, arm64 as linux/arm64/v8 (with podman manifest). */
export function pushIndex(amd64: string, arm64: string, list: string, remote: string): void {
  execFileSync('podman', ['manifest', 'create', list], { stdio: 'ignore' });
  try {
    execFileSync('podman', ['manifest', 'add', '--arch', 'amd64', list, `containers-storage:${amd64}`], { stdio: 'ignore' });
    execFileSync('podman', ['manifest', 'add', '--arch', 'arm64', '--variant', 'v8', list, `containers-storage:${arm64}`], { stdio: 'ignore' });
    execFileSync('podman', ['manifest', 'push', '--all', '--tls-verify=false', list, `docker://${remote}`], { stdio: 'ignore' });
  } finally {
    execFileSync('podman', ['manifest', 'rm', list], { stdio: 'ignore' });
  }
}

/** removeImages removes the test's podman images (the storage is shared with other runs). */
export function removeImages(...names: string[]): void {
  for (const n of names) {
    try {
      execFileSync('podman', ['rmi', '--force', n], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
}

/** tempDir is a fresh directory under the system temp dir. */
export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}
