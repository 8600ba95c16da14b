#!/usr/bin/env bash
# setup-podman.sh: one-time set-up for Tektite's podman executor on Debian/Ubuntu (idempotent; run as root).
#  - installs podman, runc (crun, podman's default runtime, fails here: "cgroups in hybrid mode not supported")
#    and busybox-static (the static busybox the executor and the tests build local images from);
#  - writes /etc/containers/containers.conf with runc and ulimits the machine allows (otherwise every
#    container fails with "setrlimit RLIMIT_NOFILE: Operation not permitted").
set -euo pipefail

CONF=/etc/containers/containers.conf
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

missing=()
command -v podman >/dev/null 2>&1 || missing+=(podman)
command -v runc >/dev/null 2>&1 || [ -x /usr/sbin/runc ] || missing+=(runc)
{ [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1; } || missing+=(busybox-static)
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Only settings outside comments count.
settings() { grep -Ev '^[[:space:]]*(#|$)' "$CONF" 2>/dev/null || true; }
if [ -z "$(settings)" ]; then
  $SUDO mkdir -p "$(dirname "$CONF")"
  $SUDO tee "$CONF" >/dev/null <<'EOF'
# Written by Tektite's scripts/setup-podman.sh.
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
[engine]
runtime = "runc"
EOF
elif ! settings | grep -q 'runtime *= *"runc"' || ! settings | grep -q 'default_ulimits'; then
  echo "setup-podman.sh: $CONF already has settings; add these by hand:" >&2
  printf '  [containers]\n  default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]\n  [engine]\n  runtime = "runc"\n' >&2
  exit 1
fi

podman run --help >/dev/null
echo "podman is set up: $(podman --version), runtime $(podman info --format '{{.Host.OCIRuntime.Name}}')"
