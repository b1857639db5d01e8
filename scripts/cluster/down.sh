#!/usr/bin/env bash
# make cluster-down: stops everything the local cluster started and unmounts what it mounted, the network
# namespace included. Its state (certificates, etcd, images) stays for the next `make cluster` unless
# called with --wipe. Safe to run when nothing is up.
set -uo pipefail
. "$(dirname "$0")/env.sh"

stop() {
  local file=$RUN/pids/$1.pid pid
  pid=$(cat "$file" 2>/dev/null) || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null
    ts "stopped $1 ($pid)"
  fi
  rm -f "$file"
}

# The node first, so that nothing restarts the containers; then the containers' processes and shims, by the
# PIDs containerd recorded; then the rest of the control plane.
for name in kubelet kube-proxy coredns metrics-server kube-scheduler kube-controller-manager; do stop "$name"; done
for task in "$RUN"/containerd/io.containerd.runtime.v2.task/*/*/; do
  [ -d "$task" ] || continue
  for file in init.pid shim.pid; do [ -f "$task$file" ] && kill -9 "$(cat "$task$file")" 2>/dev/null; done
done
sleep 0.5
for name in containerd kube-apiserver etcd; do stop "$name"; done
# A shim that outlived containerd still holds its container's mounts.
for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $CONTAINERD_SOCKET" || true); do kill -9 "$pid" 2>/dev/null; done

# Deepest first; the namespace's own mount goes with them, and with it cni0 and every iptables rule.
for _ in 1 2 3; do
  findmnt -rn -o TARGET | grep "^$CLUSTER_DIR/" | sort -r | while read -r mount; do umount "$mount" 2>/dev/null || umount -l "$mount"; done
done
rm -f "$NETNS"
[ "$(readlink /run/containerd/containerd.sock 2>/dev/null)" = "$CONTAINERD_SOCKET" ] && rm -f /run/containerd/containerd.sock
rm -rf /run/containerd/s /run/containerd/fifo /run/containerd/runc /var/lib/cni/results 2>/dev/null
rmdir /run/containerd 2>/dev/null
# containerd bind-mounts /run/netns onto itself for the pods' network namespaces: undone once none is left.
if mountpoint -q /run/netns && [ -z "$(ls -A /run/netns)" ]; then umount /run/netns && rmdir /run/netns; fi
# The pods' cgroups (cgroup v1 keeps a tree per controller; v2 one tree).
for hierarchy in /sys/fs/cgroup/*/ /sys/fs/cgroup/; do
  [ -d "${hierarchy}kubepods" ] && find "${hierarchy}kubepods" -depth -type d -exec rmdir {} \; 2>/dev/null
done

if [ "${1:-}" = --wipe ]; then rm -rf "$STATE" "$RUN" "$LOGS"; ts "state wiped"; fi
left=$(findmnt -rn -o TARGET | grep -c "^$CLUSTER_DIR/")
running=$(for name in etcd containerd kube-apiserver kubelet; do pgrep -x "$name"; done | wc -l)
if [ "$left" -gt 0 ] || [ "$running" -gt 0 ]; then
  echo "error: $left mounts under $CLUSTER_DIR and $running cluster processes are left" >&2
  exit 1
fi
ts "cluster down"
