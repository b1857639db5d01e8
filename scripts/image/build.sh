#!/usr/bin/env bash
# make image: builds the Dockerfile with podman as ml-api:<appVersion> (the chart's default image) and saves
# it to .tools/images/ml-api.tar, which `make cluster-image` imports into the local cluster.
# Usage: scripts/image/build.sh [TAG]   (default docker.io/library/ml-api:<appVersion>)
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/image/podman.sh
tag=${1:-$APP_IMAGE}
ensure_base_image

ca_mount=()
# The CA bundle that node trusts here (NODE_EXTRA_CA_CERTS) is lent to npm in the build.
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ]; then
  ca_mount=(--volume "$NODE_EXTRA_CA_CERTS:/etc/ssl/extra-ca.crt:ro" --build-arg NODE_EXTRA_CA_CERTS=/etc/ssl/extra-ca.crt)
fi
echo "== podman build -t $tag" >&2
started=$SECONDS
log=$(mktemp)
podman_ build --pull=never --format docker --network host "${ca_mount[@]}" \
  --build-arg VERSION="${APP_IMAGE##*:}" --build-arg REVISION="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  -t "$tag" . >"$log" 2>&1 || { tail -30 "$log" >&2; rm -f "$log"; echo "error: podman build failed" >&2; exit 1; }
rm -f "$log"
mkdir -p .tools/images
rm -f .tools/images/ml-api.tar
podman_ save --format docker-archive -o .tools/images/ml-api.tar "$tag" >/dev/null
echo "   built $tag in $((SECONDS - started)) s: .tools/images/ml-api.tar" >&2
