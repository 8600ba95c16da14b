// platform.ts: this machine as an OCI platform string (os/arch, Go's names), without a CPU
// variant, as Tekton keys an image's commands (pkg/platforms Format without the variant).

const GO_ARCH: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', s390x: 's390x', riscv64: 'riscv64', ppc64: 'ppc64le', loong64: 'loong64' };

/** hostPlatform is e.g. linux/amd64. */
export function hostPlatform(): string {
  return `${process.platform}/${GO_ARCH[process.arch] ?? process.arch}`;
}
