# Settings of the local single-node cluster, sourced by the scripts beside this file.
# Everything the cluster writes lives under CLUSTER_DIR (binaries, state, logs); its addresses exist only
# inside its own network namespace, which `scripts/cluster/exec` enters.

PROJECT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CLUSTER_DIR=${CLUSTER_DIR:-$PROJECT_DIR/.tools/cluster}
MODULE_DIR=$PROJECT_DIR/scripts/cluster/modules/kubernetes
BIN=$CLUSTER_DIR/bin
IMAGES=$CLUSTER_DIR/images
STATE=$CLUSTER_DIR/state
RUN=$CLUSTER_DIR/run
LOGS=$CLUSTER_DIR/logs
PKI=$STATE/pki
KUBECONFIG_DIR=$STATE/kubeconfig
NETNS=$RUN/netns
CONTAINERD_SOCKET=$RUN/containerd/containerd.sock

KUBERNETES_VERSION=$(sed -n 's/^\s*k8s.io\/kubernetes v\([0-9.]*\)$/\1/p' "$MODULE_DIR/go.mod")
NODE_NAME=ml-api-local
NODE_IP=10.88.0.2
POD_CIDR=10.244.0.0/24
SERVICE_CIDR=10.96.0.0/16
DNS_IP=10.96.0.10

export KUBECONFIG=$KUBECONFIG_DIR/admin.conf

# Runs a command inside the cluster's network namespace. nsenter, not `ip netns exec`: the latter gives
# the command a mount namespace of its own, which would hide the kubelet's volume mounts from containerd.
in_netns() { nsenter --net="$NETNS" "$@"; }
kubectl_() { in_netns "$BIN/kubectl" "$@"; }

ts() { printf '[%3ds] %s\n' "$SECONDS" "$*"; }
