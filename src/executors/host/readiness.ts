// readiness.ts: one attempt of a container's readinessProbe on the host (the loop is the kubelet's,
// ../pod/probe.ts): exec in the container's sandbox, tcpSocket/httpGet against 127.0.0.1 (the host
// network is the Pod's).
import net from 'node:net';
import type { V1Probe } from '@kubernetes/client-node';
import { httpGetTarget, tcpTarget } from '../pod/index.ts';
import type { ContainerRun, PodContext } from './container.ts';
import { runInSandbox } from './container.ts';

/** probeOnce makes one probe attempt; signal carries its timeout. */
export async function probeOnce(ctx: PodContext, run: ContainerRun, probe: V1Probe, signal: AbortSignal): Promise<boolean> {
  if (probe.exec) {
    const result = await runInSandbox(
      ctx,
      run,
      probe.exec.command ?? [],
      run.env,
      signal,
      () => {},
      () => {},
    );
    return 'exitCode' in result && result.exitCode === 0;
  }
  if (probe.tcpSocket) {
    const { host, port } = tcpTarget(probe.tcpSocket, run.container);
    return connects(host, port, signal);
  }
  if (probe.httpGet) {
    const { url, headers } = httpGetTarget(probe.httpGet, run.container);
    const response = await fetch(url, { signal, headers }).catch(() => undefined);
    return !!response && response.status >= 200 && response.status < 400;
  }
  return true; // grpc probes are not run: ready once started
}

/** connects reports whether a TCP connection to host:port succeeds. */
function connects(host: string, port: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, signal });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
