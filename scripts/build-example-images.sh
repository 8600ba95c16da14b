#!/usr/bin/env bash
# build-example-images.sh: local stand-ins for the images Tekton's examples run (mirror.gcr.io/python,
# node, perl, bash, ubuntu, alpine, busybox), built from this machine's own programs, since no registry
# is reachable here. Each image is a static-busybox root filesystem plus a host interpreter, the shared
# libraries ldd lists for it and its library directories, imported with `podman import` under
# localhost/tektite-examples/<name>:1 with the real image's ENTRYPOINT/CMD/ENV/WORKDIR (steps without a
# `command` run them).
#
# Usage: scripts/build-example-images.sh [--force] [NAME...]    (NAME: busybox alpine bash ubuntu python node perl)
#
# Prints on stdout the image map, one FROM=TO line per image reference of the examples, for
# `tektite run --executor podman --image-map FROM=TO ...`; progress goes to stderr.
# Idempotent and fast when nothing changed: an image is rebuilt only when its recipe label (a hash of
# the functions that build it and of the host files it copies) differs, or with --force.
# Needs: podman, a static busybox (busybox-static), bash, node; python3 and perl for their images.
# Overrides: PYTHON=/path/to/python3, NODE=/path/to/node, PERL=/path/to/perl.
set -euo pipefail

PREFIX=localhost/tektite-examples
TAG=1
LABEL=dev.tektite.examples.recipe
ALL=(busybox alpine bash ubuntu python node perl)

force=0
names=()
for a in "$@"; do
  case "$a" in
    --force) force=1 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "unknown option $a (see --help)" >&2; exit 2 ;;
    *) [[ " ${ALL[*]} " == *" $a "* ]] || { echo "unknown image $a (one of: ${ALL[*]})" >&2; exit 2; }; names+=("$a") ;;
  esac
done
[ ${#names[@]} -gt 0 ] || names=("${ALL[@]}")

# The image references each local image stands in for: those of Tekton's examples (IMAGES.txt), of
# Tektite's examples/ (python:3.12, node:20) and the shell image place-scripts runs in (Tektite's
# default, then Tekton's).
refs_of() {
  case "$1" in
    busybox) echo mirror.gcr.io/busybox \
      mirror.gcr.io/busybox@sha256:1303dbf110c57f3edf68d9f5a16c082ec06c4cf7604831669faf2c712260b5a0 \
      mirror.gcr.io/busybox@sha256:b3255e7dfbcd10cb367af0d409747d511aeb66dfac98cf30e97e87e4207dd76f \
      cgr.dev/chainguard/busybox@sha256:6202d571cc9c86302d4bd1eef6d2235d2b81b7dfc509cf7eee621f4d73175807 \
      cgr.dev/chainguard/busybox:latest \
      cgr.dev/chainguard/busybox@sha256:19f02276bf8dbdd62f069b922f10c65262cc34b710eea26ff928129a736be791 ;;
    alpine) echo mirror.gcr.io/alpine \
      mirror.gcr.io/alpine@sha256:25109184c71bdad752c8312a8623239686a9a2071e8825f20acb8f2198c3f659 ;;
    bash) echo mirror.gcr.io/bash \
      mirror.gcr.io/bash@sha256:e320b40b14abc61f053286705070342c46034a549a276b798e64541457c4af92 \
      mirror.gcr.io/bash:5.1.4@sha256:c523c636b722339f41b6a431b44588ab2f762c5de5ec3bd7964420ff982fb1d9 ;;
    ubuntu) echo mirror.gcr.io/ubuntu \
      mirror.gcr.io/ubuntu@sha256:0d39fcc8335d6d74d5502f6df2d30119ff4790ebbb60b364818d5112d9e3e932 ;;
    python) echo mirror.gcr.io/library/python mirror.gcr.io/python:3.12.4 mirror.gcr.io/python:3.12 \
      mirror.gcr.io/python@sha256:e8be0ea148390d08bc077840cf87ac6a538d80b0ea1e8752b3e3982987cd0a53 ;;
    node) echo mirror.gcr.io/node:lts-alpine3.20 mirror.gcr.io/node:20 \
      mirror.gcr.io/node@sha256:2289fb1fba0f4633b08ec47b94a89c7e20b829fc5679f9b7b298eaa2f1ed8b7e ;;
    perl) echo mirror.gcr.io/perl@sha256:e1ec4246c431a86d251de5b5966983d0782ba5a9be955c530d85cfc5ebec2ca2 ;;
  esac
}

# --- host programs -------------------------------------------------------------------------------
die() { echo "build-example-images: $*" >&2; exit 1; }
command -v podman >/dev/null || die "podman is not installed (sudo bash scripts/setup-podman.sh)"
BUSYBOX=""
for b in /bin/busybox /usr/bin/busybox /usr/local/bin/busybox; do
  if [ -x "$b" ] && ! ldd "$b" >/dev/null 2>&1; then BUSYBOX=$b; break; fi
done
[ -n "$BUSYBOX" ] || die "no static busybox (apt-get install busybox-static)"

wants() { [[ " ${names[*]} " == *" $1 "* ]]; }
BASH_BIN=$(readlink -f "$(command -v bash)")
if wants python; then
  py=${PYTHON:-}
  [ -n "$py" ] || { [ -x /usr/bin/python3 ] && py=/usr/bin/python3; } || py=$(command -v python3 || true)
  [ -n "$py" ] || die "no python3 for the python image (apt-get install python3, or set PYTHON)"
  # The real interpreter (not a pyenv-style shim) and the standard library it finds beside itself.
  mapfile -t PY_INFO < <("$py" -c 'import os, sys, sysconfig
print(os.path.realpath(sys.executable)); print(sysconfig.get_paths()["stdlib"]); print(sysconfig.get_paths()["platstdlib"])')
fi
if wants node; then NODE_BIN=$(readlink -f "${NODE:-$(command -v node || true)}"); [ -x "$NODE_BIN" ] || die "no node for the node image"; fi
if wants perl; then
  PERL_BIN=$(readlink -f "${PERL:-$(command -v perl || true)}"); [ -x "$PERL_BIN" ] || die "no perl for the perl image"
  PERL_VERSION=$("$PERL_BIN" -e 'print $^V' | tr -d v)
  mapfile -t PERL_INC < <("$PERL_BIN" -e 'print "$_\n" for grep { -d } @INC')
fi

# The recipe: the functions that fill the root filesystems and the size and time of every host file an
# image copies (editing the reference lists or the messages rebuilds nothing).
recipe() {
  local inputs=("$BUSYBOX")
  case "$1" in
    bash|ubuntu) inputs+=("$BASH_BIN") ;;
    python) inputs+=("${PY_INFO[@]}") ;;
    node) inputs+=("$NODE_BIN") ;;
    perl) inputs+=("$PERL_BIN" "${PERL_INC[@]}") ;;
  esac
  { declare -f base_root put libs tree entrypoint_script fill; echo "$1"; stat -L -c '%n %s %Y' "${inputs[@]}"; } | sha256sum | cut -c1-16
}

# --- root filesystems ----------------------------------------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/tektite-example-images.XXXXXX")
trap 'rm -rf "$work"' EXIT

# A merged-/usr busybox root (Debian and Ubuntu images are merged-/usr; alpine's /bin works the same).
base_root() {
  echo "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
  local r=$1
  mkdir -p "$r"/usr/{bin,sbin,lib,lib64,local/bin} "$r"/{etc,root,tmp,var/tmp}
  local d
  for d in bin sbin lib lib64; do ln -s "usr/$d" "$r/$d"; done
  chmod 1777 "$r/tmp" "$r/var/tmp"
  # One link per applet, all in /usr/bin, made by busybox itself (one process: a `ln` per applet is slow).
  "$BUSYBOX" --install -s "$r/usr/bin"
  put "$r" "$BUSYBOX" "$(readlink -f "$BUSYBOX")"
  [ -e "$r/usr/bin/busybox" ] || ln -s "$(readlink -f "$BUSYBOX")" "$r/usr/bin/busybox"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$r/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$r/etc/group"
}

# put FILE [DEST]: copy a host file (following links) into the root at DEST (default: its own path).
put() {
  local dest=${3:-$2}
  mkdir -p "$1$(dirname "$dest")"
  rm -f "$1$dest"
  cp -L "$2" "$1$dest"
}

# libs ROOT ELF...: the shared libraries and loader each ELF needs, at their host paths.
libs() {
  local r=$1 lib
  shift
  for lib in $(ldd "$@" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\/.*[^:]$/ {print $1}' | sort -u); do
    [ -e "$r$lib" ] || put "$r" "$lib"
  done
}

# tree ROOT DIR [tar excludes...]: copy a host directory to the same path, symbolic links resolved.
tree() {
  local r=$1 d=$2
  shift 2
  mkdir -p "$r$d"
  tar -C "$d" -ch "$@" . | tar -C "$r$d" -x
}

# The official images' docker-entrypoint.sh: run the arguments as a command, or give them to the program.
entrypoint_script() {
  local r=$1 program=$2
  cat >"$r/usr/local/bin/docker-entrypoint.sh" <<EOF
#!/bin/sh
set -e
# As in the official $program image: options, or no command of that name, go to $program.
if [ "\$#" -eq 0 ] || [ "\${1#-}" != "\$1" ] || ! command -v "\$1" >/dev/null 2>&1; then
  set -- $program "\$@"
fi
exec "\$@"
EOF
  chmod 0755 "$r/usr/local/bin/docker-entrypoint.sh"
}

# fill NAME ROOT: the image's files; prints the `podman import --change` instructions, one a line
# (to a file: in a pipe or process substitution, `set -e` would not stop a failed copy).
fill() {
  local name=$1 r=$2
  base_root "$r"
  case "$name" in
    busybox) echo 'CMD ["sh"]' ;;
    alpine) echo 'CMD ["/bin/sh"]' ;;
    bash)
      put "$r" "$BASH_BIN" /usr/local/bin/bash
      libs "$r" "$BASH_BIN"
      entrypoint_script "$r" bash
      echo 'ENTRYPOINT ["docker-entrypoint.sh"]'; echo 'CMD ["bash"]' ;;
    ubuntu)
      put "$r" "$BASH_BIN" /usr/bin/bash
      libs "$r" "$BASH_BIN"
      echo 'CMD ["/bin/bash"]' ;;
    python)
      local exe=${PY_INFO[0]} stdlib=${PY_INFO[1]} platstdlib=${PY_INFO[2]}
      put "$r" "$exe"
      ln -sf "$exe" "$r/usr/local/bin/python3"
      ln -sf "$exe" "$r/usr/local/bin/python"
      tree "$r" "$stdlib" \
        --exclude=./test --exclude=./idlelib --exclude=./tkinter --exclude=./turtledemo --exclude='./config-*' \
        --exclude=./site-packages --exclude=./dist-packages
      [ "$platstdlib" = "$stdlib" ] || tree "$r" "$platstdlib" --exclude=./site-packages
      libs "$r" "$exe" $(find "$r$stdlib" "$r$platstdlib" -name '*.so' 2>/dev/null | sed "s#^$r##")
      echo 'ENV LANG=C.UTF-8'; echo 'CMD ["python3"]' ;;
    node)
      put "$r" "$NODE_BIN" /usr/local/bin/node
      libs "$r" "$NODE_BIN"
      entrypoint_script "$r" node
      echo 'ENTRYPOINT ["docker-entrypoint.sh"]'; echo 'CMD ["node"]' ;;
    perl)
      local d
      put "$r" "$PERL_BIN" /usr/bin/perl
      ln -s perl "$r/usr/bin/perl$PERL_VERSION"
      for d in "${PERL_INC[@]}"; do tree "$r" "$d"; done
      libs "$r" "$PERL_BIN" $(for d in "${PERL_INC[@]}"; do find "$r$d" -name '*.so'; done | sed "s#^$r##")
      mkdir -p "$r/usr/src/app"
      echo 'WORKDIR /usr/src/app'; echo "CMD [\"perl$PERL_VERSION\",\"-de0\"]" ;;
  esac
}

build() {
  local name=$1 sum=$2 r="$work/$1/rootfs" changes=() line
  mkdir -p "$r"
  fill "$name" "$r" >"$work/$name/changes"
  while IFS= read -r line; do changes+=(--change "$line"); done <"$work/$name/changes"
  tar -C "$r" -cf "$work/$name/rootfs.tar" .
  local previous
  previous=$(podman image inspect --format '{{.Id}}' "$PREFIX/$name:$TAG" 2>/dev/null || true)
  podman import --quiet "${changes[@]}" --change "LABEL $LABEL=$sum" "$work/$name/rootfs.tar" "$PREFIX/$name:$TAG" >/dev/null
  rm -rf "$work/$name"
  # The replaced build is left untagged: remove it (unless a container still uses it).
  [ -z "$previous" ] || podman rmi "$previous" >/dev/null 2>&1 || true
}

# One podman call tells which images exist with which recipe.
declare -A have=()
while read -r ref sum; do have[$ref]=$sum; done < <(podman images --filter "reference=$PREFIX/*:$TAG" \
  --format "{{.Repository}}:{{.Tag}} {{index .Labels \"$LABEL\"}}" 2>/dev/null || true)

for name in "${names[@]}"; do
  sum=$(recipe "$name")
  if [ $force = 0 ] && [ "${have[$PREFIX/$name:$TAG]:-}" = "$sum" ]; then continue; fi
  echo "building $PREFIX/$name:$TAG" >&2
  start=$SECONDS
  build "$name" "$sum"
  echo "  $PREFIX/$name:$TAG built in $((SECONDS - start)) s" >&2
done

for name in "${names[@]}"; do
  for ref in $(refs_of "$name"); do echo "$ref=$PREFIX/$name:$TAG"; done
done
