// probe.ts: the kubelet's readiness prober (pkg/kubelet/prober): after initialDelaySeconds, one
// attempt every period, each bounded by timeoutSeconds, until one succeeds. The attempt itself
// (exec in the container, a TCP connect or an HTTP GET from the Pod's network) is the backend's.
import { setTimeout as sleep } from 'node:timers/promises';
import type { V1Container, V1HTTPGetAction, V1Probe, V1TCPSocketAction } from '@kubernetes/client-node';

// Kubernetes probes every periodSeconds (default 10 s); Tektite tries at most this often, so that a
// sidecar up in 50 ms does not hold the first step for 10 s.
const MAX_PERIOD_MS = 100;

/** ProbeAttempt makes one attempt of the probe; its signal carries the probe's timeout. */
export type ProbeAttempt = (probe: V1Probe, signal: AbortSignal) => Promise<boolean>;

/** waitReady resolves true once the probe succeeds, false if signal aborts first. */
export async function waitReady(probe: V1Probe, attempt: ProbeAttempt, signal: AbortSignal): Promise<boolean> {
  const period = Math.min((probe.periodSeconds ?? 10) * 1000, MAX_PERIOD_MS);
  try {
    await sleep((probe.initialDelaySeconds ?? 0) * 1000, undefined, { signal });
    while (!signal.aborted) {
      const timeout = AbortSignal.any([signal, AbortSignal.timeout((probe.timeoutSeconds ?? 1) * 1000)]);
      if (await attempt(probe, timeout).catch(() => false)) return true;
      await sleep(period, undefined, { signal });
    }
  } catch {
    // aborted while sleeping
  }
  return false;
}

/** probePort is a probe's port as a number: a named port is one of the container's `ports` (0 if unknown). */
export function probePort(port: number | string, c: V1Container): number {
  if (typeof port === 'number' || /^\d+$/.test(port)) return Number(port);
  return c.ports?.find((p) => p.name === port)?.containerPort ?? 0;
}

/** tcpTarget is where a tcpSocket probe connects: the Pod's address is 127.0.0.1 on every backend. */
export function tcpTarget(t: V1TCPSocketAction, c: V1Container): { host: string; port: number } {
  return { host: t.host ?? '127.0.0.1', port: probePort(t.port, c) };
}

/** httpGetTarget is the URL and headers of an httpGet probe (success: a status >= 200 and < 400). */
export function httpGetTarget(g: V1HTTPGetAction, c: V1Container): { url: string; headers: Record<string, string> } {
  const url = `${(g.scheme ?? 'HTTP').toLowerCase()}://${g.host ?? '127.0.0.1'}:${probePort(g.port, c)}${g.path ?? '/'}`;
  return { url, headers: Object.fromEntries((g.httpHeaders ?? []).map((h) => [h.name, h.value])) };
}
