#!/usr/bin/env bash
# Writes the local cluster's certificates and kubeconfigs (kubeadm's phases, once) and the configuration of
# containerd, the CNI plugins, the kubelet, kube-proxy and CoreDNS (each time: they follow this script).
set -euo pipefail
. "$(dirname "$0")/env.sh"
mkdir -p "$KUBECONFIG_DIR" "$PKI" "$STATE/cni/net.d" "$STATE/cni/ipam"

# Replaces FILE with stdin only when that differs: kube-proxy exits when its configuration file changes,
# so a second `make cluster` must leave the files of running components untouched.
write_if_changed() {
  local file=$1 new
  new=$(cat)
  [ -f "$file" ] && [ "$(cat "$file")" = "$new" ] && return
  printf '%s\n' "$new" > "$file"
}

if [ ! -f "$PKI/ca.crt" ]; then
  cat > "$STATE/kubeadm.yaml" <<EOT
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint: {advertiseAddress: $NODE_IP, bindPort: 6443}
nodeRegistration: {name: $NODE_NAME, criSocket: unix://$CONTAINERD_SOCKET}
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v$KUBERNETES_VERSION
certificatesDir: $PKI
clusterName: local
controlPlaneEndpoint: $NODE_IP:6443
networking: {serviceSubnet: $SERVICE_CIDR, podSubnet: $POD_CIDR, dnsDomain: cluster.local}
apiServer: {certSANs: [127.0.0.1, localhost, $NODE_IP]}
EOT
  # Inside the namespace, so that nothing kubeadm looks up can leave the machine.
  in_netns "$BIN/kubeadm" init phase certs all --config "$STATE/kubeadm.yaml" >/dev/null
  in_netns "$BIN/kubeadm" init phase kubeconfig all --config "$STATE/kubeadm.yaml" --kubeconfig-dir "$KUBECONFIG_DIR" >/dev/null
fi

write_if_changed "$STATE/containerd.toml" <<EOT
version = 2
root = "$STATE/containerd"
state = "$RUN/containerd"
[grpc]
  address = "$CONTAINERD_SOCKET"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "localhost/pause:local"
  netns_mounts_under_state_dir = true
  # Some virtual machines forbid lowering oom_score_adj; runc then fails to start any container.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        BinaryName = "/usr/sbin/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$STATE/cni/net.d"
EOT

write_if_changed "$STATE/cni/net.d/10-local.conflist" <<EOT
{"cniVersion": "0.4.0", "name": "local", "plugins": [
  {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
   "ipam": {"type": "host-local", "dataDir": "$STATE/cni/ipam", "ranges": [[{"subnet": "$POD_CIDR"}]], "routes": [{"dst": "0.0.0.0/0"}]}},
  {"type": "portmap", "capabilities": {"portMappings": true}}
]}
EOT

# The kubelet's own resolv.conf is empty: there is no DNS upstream of the cluster's.
[ -f "$STATE/resolv.conf" ] || : > "$STATE/resolv.conf"
write_if_changed "$STATE/kubelet.yaml" <<EOT
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization: {mode: Webhook}
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
clusterDNS: [$DNS_IP]
clusterDomain: cluster.local
containerRuntimeEndpoint: unix://$CONTAINERD_SOCKET
podLogsDir: $STATE/pod-logs
resolvConf: $STATE/resolv.conf
readOnlyPort: 0
serializeImagePulls: false
# Images are imported, never pulled: garbage-collecting one would leave its pods unable to start.
imageGCHighThresholdPercent: 100
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1%}
EOT

write_if_changed "$STATE/kube-proxy.yaml" <<EOT
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $KUBECONFIG_DIR/admin.conf}
mode: iptables
clusterCIDR: $POD_CIDR
hostnameOverride: $NODE_NAME
bindAddress: $NODE_IP
conntrack: {maxPerCore: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
nodePortAddresses: [$NODE_IP/32]
EOT

write_if_changed "$STATE/Corefile" <<EOT
.:53 {
    errors
    health 127.0.0.1:8180
    ready 127.0.0.1:8181
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        kubeconfig $KUBECONFIG_DIR/admin.conf
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
    }
    cache 30
    loadbalance
}
EOT
