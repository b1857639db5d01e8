#!/usr/bin/env bash
# make cluster-status: which of the local cluster's processes run, and what the cluster says of itself.
set -uo pipefail
. "$(dirname "$0")/env.sh"
up=0
for name in etcd containerd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy coredns metrics-server; do
  pid=$(cat "$RUN/pids/$name.pid" 2>/dev/null)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    printf '  %-24s running (pid %s)\n' "$name" "$pid"
    up=$((up + 1))
  else
    printf '  %-24s stopped\n' "$name"
  fi
done
if [ "$up" -eq 0 ]; then echo "the local cluster is down (make cluster brings it up)"; exit 3; fi
if [ "$up" -lt 9 ]; then echo "the local cluster is partly up: make cluster completes it, make cluster-down stops it"; exit 1; fi
kubectl_ get nodes -o wide && kubectl_ top nodes 2>/dev/null
kubectl_ get pods --all-namespaces -o wide
