// readiness.ts: when a sidecar counts as ready (Tekton's SidecarsReady: running and Ready, or
// terminated), probing readinessProbe exec / tcpSocket / httpGet inside the pod's network namespace.
import { setTimeout as sleep } from 'node:timers/promises';
import type { V1Container, V1Probe } from '@kubernetes/client-node';
import type { PodmanCli } from './cli.ts';

/** PROBE_INTERVAL_MS is how often a readiness probe is retried: faster than the kubelet's 10 s default, so steps start promptly. */
const PROBE_INTERVAL_MS = 100;

/** probeNeedsNode says whether the probe runs the carried node inside the container (tcpSocket, httpGet). */
export function probeNeedsNode(c: V1Container): boolean {
  return !!(c.readinessProbe?.tcpSocket || c.readinessProbe?.httpGet);
}

/** waitSidecarReady resolves true once the container is running and its readiness probe (if any) succeeds, false if it exited or `stopped()` first. */
export async function waitSidecarReady(cli: PodmanCli, name: string, c: V1Container, nodeCommand: string[], stopped: () => boolean): Promise<boolean> {
  for (;;) {
    if (stopped()) return false;
    const r = await cli.run(['inspect', '--type', 'container', '--format', '{{.State.Status}}', name]);
    const state = r.stdout.trim();
    if (state === 'running') break;
    if (state === 'exited' || state === 'stopped') return false;
    await sleep(20);
  }
  const probe = c.readinessProbe;
  if (!probe) return true; // kubelet: no readinessProbe → Ready once started
  if (probe.initialDelaySeconds) await sleep(probe.initialDelaySeconds * 1000);
  const argv = probeCommand(probe, c, nodeCommand);
  if (!argv) return true; // grpc probes are not run: ready once started
  while (!stopped()) {
    const r = await cli.run(['exec', name, ...argv], { timeoutMs: (probe.timeoutSeconds ?? 1) * 1000 + 5000 });
    if (r.code === 0) return true;
    await sleep(PROBE_INTERVAL_MS);
  }
  return false;
}

function probeCommand(probe: V1Probe, c: V1Container, node: string[]): string[] | undefined {
  if (probe.exec) return probe.exec.command ?? [];
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1000;
  if (probe.tcpSocket) {
    const port = portNumber(probe.tcpSocket.port, c);
    const host = probe.tcpSocket.host ?? '127.0.0.1';
    return [
      ...node,
      '-e',
      `const s=require('net').connect(${port},${JSON.stringify(host)},()=>process.exit(0));s.on('error',()=>process.exit(1));setTimeout(()=>process.exit(1),${timeoutMs})`,
    ];
  }
  if (probe.httpGet) {
    const g = probe.httpGet;
    const url = `${(g.scheme ?? 'HTTP').toLowerCase()}://${g.host ?? '127.0.0.1'}:${portNumber(g.port, c)}${g.path ?? '/'}`;
    const headers = Object.fromEntries((g.httpHeaders ?? []).map((h) => [h.name, h.value]));
    // kubelet: a status code >= 200 and < 400 is success; certificates are not verified.
    const mod = url.startsWith('https') ? 'https' : 'http';
    return [
      ...node,
      '-e',
      `require('${mod}').get(${JSON.stringify(url)},{headers:${JSON.stringify(headers)},rejectUnauthorized:false},(r)=>process.exit(r.statusCode>=200&&r.statusCode<400?0:1)).on('error',()=>process.exit(1));setTimeout(()=>process.exit(1),${timeoutMs})`,
    ];
  }
  return undefined;
}

// A named port refers to one of the container's `ports` by name.
function portNumber(port: number | string, c: V1Container): number {
  if (typeof port === 'number' || /^\d+$/.test(port)) return Number(port);
  return c.ports?.find((p) => p.name === port)?.containerPort ?? 0;
}
