// platform.ts: the command from TEKTON_PLATFORM_COMMANDS when `-entrypoint` is empty (main.go selectCommandForPlatform).

/** currentPlatform renders this machine like containerd's platforms.DefaultString(): os/arch[/variant]. */
export function currentPlatform(): string {
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  const arch: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', s390x: 's390x', riscv64: 'riscv64', ppc64: 'ppc64le', loong64: 'loong64' };
  const goArch = arch[process.arch] ?? process.arch;
  if (goArch === 'arm64') return `${os}/arm64/v8`;
  if (goArch === 'arm') {
    const version = (process.config.variables as Record<string, unknown>).arm_version;
    return `${os}/arm/v${typeof version === 'string' || typeof version === 'number' ? version : '7'}`;
  }
  return `${os}/${goArch}`;
}

/** resolvePlatformCommand decodes the JSON map and picks this platform's command, falling back to the platform without its last segment. */
export function resolvePlatformCommand(json: string, platform = currentPlatform()): string[] | { error: string } {
  let commands: unknown;
  try {
    commands = JSON.parse(json);
  } catch (err) {
    // Go's json.Unmarshal says this for an unset variable.
    return { error: json.trim() === '' ? 'unexpected end of JSON input' : (err as Error).message };
  }
  if (commands === null || typeof commands !== 'object' || Array.isArray(commands)) {
    return { error: 'json: cannot unmarshal into Go value of type map[string][]string' };
  }
  const table = commands as Record<string, unknown>;
  // Tekton cuts at the LAST "/", so linux/amd64 falls back to "linux" (kept as is).
  for (const key of [platform, platform.slice(0, platform.lastIndexOf('/'))]) {
    const command = table[key];
    if (Array.isArray(command) && command.every((c) => typeof c === 'string')) return command;
  }
  return { error: `could not find command for platform ${JSON.stringify(platform)}` };
}
