// readiness.ts: what the kubelet's prober needs from podman (the loop is ../pod/probe.ts): whether
// a container runs yet (`podman inspect`), and one attempt of its readinessProbe inside it — exec,
// or tcpSocket / httpGet made by the node carried into the container, from the Pod's network
// namespace.
import { setTimeout as sleep } from 'node:timers/promises';
import type { V1Container, V1Probe } from '@kubernetes/client-node';
import { httpGetTarget, tcpTarget } from '../pod/index.ts';
import type { PodmanCli } from './cli.ts';

/** probeNeedsNode says whether the probe runs the carried node inside the container (tcpSocket, httpGet). */
export function probeNeedsNode(c: V1Container): boolean {
  return !!(c.readinessProbe?.tcpSocket || c.readinessProbe?.httpGet);
}

/** containerRunning resolves true once podman reports the container running, false if it exited or signal aborts first. */
export async function containerRunning(cli: PodmanCli, name: string, signal: AbortSignal): Promise<boolean> {
  while (!signal.aborted) {
    const r = await cli.run(['inspect', '--type', 'container', '--format', '{{.State.Status}}', name]);
    const state = r.stdout.trim();
    if (state === 'running') return true;
    if (state === 'exited' || state === 'stopped') return false;
    await sleep(20);
  }
  return false;
}

/** probeOnce makes one attempt of the probe in the container, bounded by its timeoutSeconds. */
export async function probeOnce(cli: PodmanCli, name: string, c: V1Container, probe: V1Probe, node: string[]): Promise<boolean> {
  const argv = probeCommand(probe, c, node);
  if (!argv) return true; // grpc probes are not run: ready once started
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000 + 5000;
  const r = await cli.run(['exec', name, ...argv], { timeoutMs });
  return r.code === 0;
}

function probeCommand(probe: V1Probe, c: V1Container, node: string[]): string[] | undefined {
  if (probe.exec) return probe.exec.command ?? [];
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  if (probe.tcpSocket) {
    const { host, port } = tcpTarget(probe.tcpSocket, c);
    return [
      ...node,
      '-e',
      `const s=require('net').connect(${port},${JSON.stringify(host)},()=>process.exit(0));s.on('error',()=>process.exit(1));setTimeout(()=>process.exit(1),${timeoutMs})`,
    ];
  }
  if (probe.httpGet) {
    const { url, headers } = httpGetTarget(probe.httpGet, c);
    // Certificates are not verified, as the kubelet's prober does not.
    const mod = url.startsWith('https') ? 'https' : 'http';
    return [
      ...node,
      '-e',
      `require('${mod}').get(${JSON.stringify(url)},{headers:${JSON.stringify(headers)},rejectUnauthorized:false},(r)=>process.exit(r.statusCode>=200&&r.statusCode<400?0:1)).on('error',()=>process.exit(1));setTimeout(()=>process.exit(1),${timeoutMs})`,
    ];
  }
  return undefined;
}
