#!/usr/bin/env bash
# make cluster-image: imports image archives (docker-archive tar files) into the local cluster's containerd,
# where pods find them by name with imagePullPolicy IfNotPresent.
# Usage: scripts/cluster/import-image.sh FILE.tar...
set -euo pipefail
. "$(dirname "$0")/env.sh"
[ $# -gt 0 ] || { echo "usage: scripts/cluster/import-image.sh FILE.tar..." >&2; exit 2; }
[ -S "$CONTAINERD_SOCKET" ] || { echo "error: the local cluster is not up (make cluster)" >&2; exit 1; }
for archive in "$@"; do
  in_netns ctr --address "$CONTAINERD_SOCKET" -n k8s.io images import "$archive" | sed 's/^/   /' >&2
done
