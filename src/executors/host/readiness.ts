// readiness.ts: a container's readinessProbe, run like the kubelet's prober: exec in the
// container's sandbox, tcpSocket/httpGet against 127.0.0.1 (host network). No probe = ready.
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { V1Probe } from '@kubernetes/client-node';
import type { ContainerRun, PodContext } from './container.ts';
import { runInSandbox } from './container.ts';

// Kubernetes probes every periodSeconds (default 10 s); we poll at most this often so a sidecar
// that is up in 50 ms does not hold the first step for 10 s.
const maxPollMs = 250;

/** waitReady resolves true once the probe succeeds, false if signal aborts first. */
export async function waitReady(ctx: PodContext, run: ContainerRun, signal: AbortSignal): Promise<boolean> {
  const probe = run.container.readinessProbe;
  if (!probe) return true;
  const period = Math.min((probe.periodSeconds ?? 10) * 1000, maxPollMs);
  try {
    await sleep((probe.initialDelaySeconds ?? 0) * 1000, undefined, { signal });
    while (!signal.aborted) {
      if (await probeOnce(ctx, run, probe, signal)) return true;
      await sleep(period, undefined, { signal });
    }
  } catch {
    // aborted while sleeping
  }
  return false;
}

/** probeOnce runs one probe attempt with its timeoutSeconds (default 1 s). */
async function probeOnce(ctx: PodContext, run: ContainerRun, probe: V1Probe, signal: AbortSignal): Promise<boolean> {
  const timeout = AbortSignal.any([signal, AbortSignal.timeout((probe.timeoutSeconds ?? 1) * 1000)]);
  if (probe.exec) {
    const result = await runInSandbox(
      ctx,
      run,
      probe.exec.command ?? [],
      run.env,
      timeout,
      () => {},
      () => {},
    );
    return 'exitCode' in result && result.exitCode === 0;
  }
  const port = probe.tcpSocket?.port ?? probe.httpGet?.port;
  const portNumber = typeof port === 'number' ? port : Number(run.container.ports?.find((p) => p.name === port)?.containerPort ?? port);
  if (probe.tcpSocket) return connects(portNumber, timeout);
  if (probe.httpGet) {
    const url = `http://127.0.0.1:${portNumber}${probe.httpGet.path ?? '/'}`;
    const response = await fetch(url, { signal: timeout }).catch(() => undefined);
    return !!response && response.status >= 200 && response.status < 400;
  }
  return true;
}

/** connects reports whether a TCP connection to 127.0.0.1:port succeeds. */
function connects(port: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, signal });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
