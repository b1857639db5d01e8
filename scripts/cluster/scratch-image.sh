#!/usr/bin/env bash
# Writes a one-layer image holding a single static binary as a docker-archive tarball, the format
# `ctr images import` reads: no registry, no container engine.
# Usage: scripts/cluster/scratch-image.sh OUTPUT.tar NAME:TAG BINARY [ARG...]
#   The binary becomes /bin/NAME-OF-BINARY and the entrypoint; ARGs follow it.
set -euo pipefail
output=$1 reference=$2 binary=$3; shift 3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
name=$(basename "$binary")
mkdir -p "$work/rootfs/tmp" "$work/rootfs/bin"
chmod 1777 "$work/rootfs/tmp"
cp "$binary" "$work/rootfs/bin/$name"
tar -C "$work/rootfs" --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf "$work/layer.tar" .
layer=$(sha256sum "$work/layer.tar" | cut -d' ' -f1)
entrypoint=$(printf '"%s",' "/bin/$name" "$@")
printf '{"architecture":"amd64","os":"linux","config":{"Entrypoint":[%s],"Env":["PATH=/bin"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
  "${entrypoint%,}" "$layer" > "$work/config.json"
config=$(sha256sum "$work/config.json" | cut -d' ' -f1)
mv "$work/config.json" "$work/$config.json"
printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["layer.tar"]}]' "$config" "$reference" > "$work/manifest.json"
mkdir -p "$(dirname "$output")"
tar -C "$work" -cf "$output" "$config.json" layer.tar manifest.json
