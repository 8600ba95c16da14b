// container-args.ts: one V1Container as `podman run` flags: command/args (with the entrypoint rewritten
// to the carried node), env, workingDir, user, resources, securityContext and mounts.
import type { V1Container, V1PodSecurityContext, V1SecurityContext } from '@kubernetes/client-node';
import { expandKubeVars, type Mount } from '../pod/index.ts';
import { mountArgs } from './mounts.ts';

/** RunSpec is everything needed to turn one container into `podman run` arguments. */
export interface RunSpec {
  /** placement says where the container runs: `--pod <pod>`, or a standalone container's own hostname/DNS flags. */
  placement: string[];
  name: string;
  labels: Record<string, string>;
  c: V1Container;
  image: string;
  env: Map<string, string>;
  mounts: Mount[];
  podSecurity?: V1PodSecurityContext;
  /** command replaces the container's command (the entrypoint started through the carried node). */
  command?: string[];
}

/** runArgs renders `podman run` arguments; a securityContext that cannot be honoured is an error value (kubelet: CreateContainerConfigError). */
export function runArgs(s: RunSpec): string[] | { error: string } {
  const security = securityArgs(s.c.securityContext, s.podSecurity);
  if ('error' in security) return security;
  const resources = resourceArgs(s.c);
  if ('error' in resources) return resources;
  const args = ['run', ...s.placement, '--name', s.name, '--pull', 'never', '--log-driver', 'none'];
  for (const [k, v] of Object.entries(s.labels)) args.push('--label', `${k}=${v}`);
  for (const [k, v] of s.env) args.push('--env', `${k}=${v}`);
  if (s.c.workingDir) args.push('--workdir', s.c.workingDir);
  args.push(...security.args, ...resources.args, ...mountArgs(s.mounts));
  // Kubernetes: `command` replaces the image ENTRYPOINT (and its CMD); `args` alone replace CMD.
  const command = (s.command ?? s.c.command)?.map((a) => expandKubeVars(a, s.env));
  if (command) args.push('--entrypoint', JSON.stringify(command));
  args.push(s.image, ...(s.c.args ?? []).map((a) => expandKubeVars(a, s.env)));
  return args;
}

function securityArgs(sc: V1SecurityContext | undefined, pod: V1PodSecurityContext | undefined): { args: string[] } | { error: string } {
  const args: string[] = [];
  const user = sc?.runAsUser ?? pod?.runAsUser;
  const group = sc?.runAsGroup ?? pod?.runAsGroup;
  const nonRoot = sc?.runAsNonRoot ?? pod?.runAsNonRoot;
  // kubelet (kuberuntime_container_linux.go verifyRunAsNonRoot): an explicit root UID breaks the policy.
  if (nonRoot && user === 0) return { error: "container's runAsUser breaks non-root policy" };
  if (user !== undefined) args.push('--user', group !== undefined ? `${user}:${group}` : String(user));
  else if (group !== undefined) args.push('--group-add', String(group));
  for (const g of pod?.supplementalGroups ?? []) args.push('--group-add', String(g));
  if (sc?.privileged) args.push('--privileged');
  if (sc?.readOnlyRootFilesystem) args.push('--read-only');
  if (sc?.allowPrivilegeEscalation === false) args.push('--security-opt', 'no-new-privileges');
  for (const cap of sc?.capabilities?.add ?? []) args.push('--cap-add', cap);
  for (const cap of sc?.capabilities?.drop ?? []) args.push('--cap-drop', cap);
  return { args };
}

function resourceArgs(c: V1Container): { args: string[] } | { error: string } {
  const args: string[] = [];
  const limits = c.resources?.limits ?? {};
  const requests = c.resources?.requests ?? {};
  if (limits.memory !== undefined) {
    const bytes = parseQuantity(String(limits.memory));
    if (bytes === undefined) return { error: `invalid memory limit ${JSON.stringify(limits.memory)}` };
    args.push('--memory', String(Math.ceil(bytes)));
  }
  if (limits.cpu !== undefined) {
    const cpus = parseQuantity(String(limits.cpu));
    if (cpus === undefined) return { error: `invalid cpu limit ${JSON.stringify(limits.cpu)}` };
    args.push('--cpus', String(cpus));
  }
  // A CPU request becomes relative weight, as the kubelet turns it into cpu.shares (1 CPU = 1024).
  if (requests.cpu !== undefined) {
    const cpus = parseQuantity(String(requests.cpu));
    if (cpus !== undefined) args.push('--cpu-shares', String(Math.max(2, Math.round(cpus * 1024))));
  }
  return { args };
}

const SUFFIX: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** parseQuantity reads a Kubernetes resource quantity ("500m", "1.5", "512Mi", "1G", "1e3") as a number. */
export function parseQuantity(q: string): number | undefined {
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?)$/.exec(q.trim());
  if (!m) return undefined;
  const base = Number(m[1]);
  return m[2] ? base * 10 ** Number(m[2].slice(1)) : base * SUFFIX[m[3] ?? ''];
}
