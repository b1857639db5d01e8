#!/usr/bin/env bash
# make cluster: brings up a single-node Kubernetes on this machine, or checks that it is up (idempotent).
# Debian's etcd, containerd, runc and CNI plugins; Kubernetes, CoreDNS, metrics-server built by build.sh.
# The whole cluster lives in a network namespace of its own: its node, pod and Service addresses exist
# only in there, and `scripts/cluster/exec` runs commands in it. Needs root.
set -euo pipefail
. "$(dirname "$0")/env.sh"

[ "$(id -u)" -eq 0 ] || { echo "error: the local cluster needs root (network namespace, mounts, cgroups)" >&2; exit 1; }
mkdir -p "$RUN/pids" "$LOGS" "$STATE"

# One cluster per machine: containerd's shim sockets and the kubelet's cgroups are machine-wide.
for daemon in etcd containerd kube-apiserver kubelet; do
  for pid in $(pgrep -x "$daemon" || true); do
    [ "$(cat "$RUN/pids/$daemon.pid" 2>/dev/null)" = "$pid" ] && continue
    echo "error: another $daemon runs on this machine (pid $pid, $(readlink -f "/proc/$pid/cwd" 2>/dev/null || echo '?')): stop that cluster first (make cluster-down in its checkout)" >&2
    exit 1
  done
done

"$PROJECT_DIR/scripts/ensure-apt.sh" etcd-server containerd runc containernetworking-plugins iptables conntrack
"$PROJECT_DIR/scripts/cluster/build.sh"

# Starts a daemon inside the namespace unless it runs already; its log goes to $LOGS/NAME.log. setsid: a
# signal to the caller's process group (a timeout around make, say) must not reach the cluster.
start() {
  local name=$1; shift
  if kill -0 "$(cat "$RUN/pids/$name.pid" 2>/dev/null)" 2>/dev/null; then return; fi
  setsid nohup nsenter --net="$NETNS" "$@" >"$LOGS/$name.log" 2>&1 < /dev/null &
  echo $! > "$RUN/pids/$name.pid"
  ts "started $name (pid $!)"
}
wait_for() { # what seconds command...
  local what=$1 seconds=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then echo "error: waited ${seconds} s until $what, in vain; logs: $LOGS" >&2; exit 1; fi
    sleep 0.2
  done
}

# 1. The network namespace. No "dummy" device in every kernel: a veth pair with both ends inside stands in
#    for the node's network card. Nothing leaves it: the default route is a blackhole.
if [ ! -e "$NETNS" ]; then
  touch "$NETNS"
  unshare --net="$NETNS" true
fi
if ! in_netns ip link show node0 >/dev/null 2>&1; then
  in_netns ip link set lo up
  in_netns ip link add node0 type veth peer name node0p
  in_netns ip addr add "$NODE_IP/24" dev node0
  in_netns ip link set node0 up
  in_netns ip link set node0p up
  in_netns ip route add blackhole default
  # Without a route, connecting to a ClusterIP fails (EINVAL) before kube-proxy's DNAT can apply.
  in_netns ip route add "$SERVICE_CIDR" dev node0
  in_netns sysctl -qw net.ipv4.ip_forward=1
  in_netns sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null || { modprobe br_netfilter 2>/dev/null; in_netns sysctl -qw net.bridge.bridge-nf-call-iptables=1; }
fi

# 2. Certificates and kubeconfigs (kubeadm's phases only), and the components' configuration.
"$PROJECT_DIR/scripts/cluster/config.sh"

# 3. The control plane and the node.
start etcd /usr/bin/etcd --name local --data-dir "$STATE/etcd" \
  --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
  --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
  --initial-cluster local=http://127.0.0.1:2380 --listen-metrics-urls http://127.0.0.1:2381
start containerd /usr/bin/containerd --config "$STATE/containerd.toml"
# The kubelet's built-in cAdvisor looks for containerd at its default socket to name the containers in its
# metrics (container, image, pod labels): point that at this cluster's (no other containerd runs, see above).
mkdir -p /run/containerd
[ -S /run/containerd/containerd.sock ] || ln -sfn "$CONTAINERD_SOCKET" /run/containerd/containerd.sock
wait_for "etcd answered" 30 in_netns curl -sf http://127.0.0.1:2381/health
start kube-apiserver "$BIN/kube-apiserver" --advertise-address="$NODE_IP" --bind-address=0.0.0.0 --secure-port=6443 \
  --etcd-servers=http://127.0.0.1:2379 --service-cluster-ip-range="$SERVICE_CIDR" --allow-privileged=true \
  --client-ca-file="$PKI/ca.crt" --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
  --kubelet-client-certificate="$PKI/apiserver-kubelet-client.crt" --kubelet-client-key="$PKI/apiserver-kubelet-client.key" \
  --kubelet-preferred-address-types=InternalIP \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local --service-account-key-file="$PKI/sa.pub" \
  --service-account-signing-key-file="$PKI/sa.key" --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction \
  --requestheader-client-ca-file="$PKI/front-proxy-ca.crt" --proxy-client-cert-file="$PKI/front-proxy-client.crt" \
  --proxy-client-key-file="$PKI/front-proxy-client.key" --requestheader-allowed-names=front-proxy-client \
  --requestheader-extra-headers-prefix=X-Remote-Extra- --requestheader-group-headers=X-Remote-Group \
  --requestheader-username-headers=X-Remote-User --enable-aggregator-routing=true
wait_for "containerd listened" 30 test -S "$CONTAINERD_SOCKET"
for image in "$IMAGES"/*.tar; do
  in_netns ctr --address "$CONTAINERD_SOCKET" -n k8s.io images import "$image" >/dev/null
done
wait_for "the API server was ready" 120 in_netns curl -sfk https://127.0.0.1:6443/readyz
# What `kubeadm init` would bind: admin.conf's group to cluster-admin, and the API server's kubelet client to
# the kubelet API (logs, exec, port-forward).
KUBECONFIG=$KUBECONFIG_DIR/super-admin.conf kubectl_ apply -f "$PROJECT_DIR/scripts/cluster/manifests/bootstrap-rbac.yaml" >/dev/null
start kube-controller-manager "$BIN/kube-controller-manager" --kubeconfig="$KUBECONFIG_DIR/controller-manager.conf" \
  --authentication-kubeconfig="$KUBECONFIG_DIR/controller-manager.conf" --authorization-kubeconfig="$KUBECONFIG_DIR/controller-manager.conf" \
  --bind-address=127.0.0.1 --leader-elect=false --client-ca-file="$PKI/ca.crt" --requestheader-client-ca-file="$PKI/front-proxy-ca.crt" \
  --cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key" --root-ca-file="$PKI/ca.crt" \
  --service-account-private-key-file="$PKI/sa.key" --use-service-account-credentials=true --cluster-name=local
start kube-scheduler "$BIN/kube-scheduler" --kubeconfig="$KUBECONFIG_DIR/scheduler.conf" \
  --authentication-kubeconfig="$KUBECONFIG_DIR/scheduler.conf" --authorization-kubeconfig="$KUBECONFIG_DIR/scheduler.conf" \
  --bind-address=127.0.0.1 --leader-elect=false
start kubelet "$BIN/kubelet" --config="$STATE/kubelet.yaml" --kubeconfig="$KUBECONFIG_DIR/kubelet.conf" \
  --root-dir="$STATE/kubelet" --hostname-override="$NODE_NAME" --node-ip="$NODE_IP"
start kube-proxy "$BIN/kube-proxy" --config="$STATE/kube-proxy.yaml"
node_ready() { kubectl_ get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' | grep -qx True; }
wait_for "the node was Ready" 120 node_ready

# 4. Cluster DNS and metrics-server, as processes on the node that selector-less Services point at.
start coredns "$BIN/coredns" -conf "$STATE/Corefile"
start metrics-server "$BIN/metrics-server" --secure-port=4443 --bind-address="$NODE_IP" --cert-dir="$STATE/metrics-server" \
  --kubeconfig="$KUBECONFIG" --authentication-kubeconfig="$KUBECONFIG" --authorization-kubeconfig="$KUBECONFIG" \
  --requestheader-client-ca-file="$PKI/front-proxy-ca.crt" --kubelet-insecure-tls --kubelet-preferred-address-types=InternalIP \
  --metric-resolution=15s
sed "s/NODE_IP/$NODE_IP/g; s/DNS_IP/$DNS_IP/g" "$PROJECT_DIR/scripts/cluster/manifests/addons.yaml" | kubectl_ apply -f - >/dev/null
wait_for "CoreDNS was ready" 60 in_netns curl -sf http://127.0.0.1:8181/ready
wait_for "the metrics API answered" 90 kubectl_ get --raw /apis/metrics.k8s.io/v1beta1/nodes
ts "cluster up: Kubernetes v$KUBERNETES_VERSION, node $NODE_NAME ($NODE_IP); run commands in it with scripts/cluster/exec"
