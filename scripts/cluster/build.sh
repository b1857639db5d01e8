#!/usr/bin/env bash
# Builds the local cluster's programs from the pinned Go modules in scripts/cluster/modules into
# .tools/cluster/bin, and its pause image: Kubernetes (API server, controller manager, scheduler, kubelet,
# kube-proxy, kubeadm, kubectl), CoreDNS and kube-state-metrics from modules/kubernetes, metrics-server from
# modules/metrics-server. The first build compiles Kubernetes (about 15 minutes on 2 cores); after that Go's
# build cache makes it a matter of seconds, and a stamp skips it while the modules are unchanged.
set -euo pipefail
. "$(dirname "$0")/env.sh"
command -v go >/dev/null || export PATH=$PATH:/usr/local/go/bin
export GOTOOLCHAIN=local GOFLAGS=-mod=readonly CGO_ENABLED=0

packages=(
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler
  k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-proxy k8s.io/kubernetes/cmd/kubeadm k8s.io/kubernetes/cmd/kubectl
  k8s.io/kube-state-metrics/v2 ./coredns ./pause
)
[ -n "$KUBERNETES_VERSION" ] || { echo "error: no k8s.io/kubernetes version in $MODULE_DIR/go.mod" >&2; exit 1; }
minor=$(echo "$KUBERNETES_VERSION" | cut -d. -f2)
ldflags="-s -w -X k8s.io/component-base/version.gitVersion=v$KUBERNETES_VERSION -X k8s.io/component-base/version.gitMajor=1 \
-X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean"
modules=$PROJECT_DIR/scripts/cluster/modules
stamp=$( (cat "$modules"/*/go.mod "$modules"/*/go.sum "$MODULE_DIR"/coredns/main.go "$MODULE_DIR"/pause/main.go; echo "$ldflags"; go version) | sha256sum | cut -d' ' -f1)

if [ "$(cat "$BIN/.stamp" 2>/dev/null)" != "$stamp" ]; then
  echo "== building Kubernetes v$KUBERNETES_VERSION, CoreDNS, metrics-server and kube-state-metrics into $BIN" >&2
  echo "   (the first time takes about 20 minutes on 2 cores; Go's build cache makes later builds quick)" >&2
  mkdir -p "$BIN"
  started=$SECONDS
  (cd "$MODULE_DIR" && go build -trimpath -ldflags "$ldflags" -o "$BIN/" "${packages[@]}")
  (cd "$modules/metrics-server" && go build -trimpath -ldflags "-s -w" -o "$BIN/" sigs.k8s.io/metrics-server/cmd/metrics-server)
  echo "$stamp" > "$BIN/.stamp"
  echo "   built in $((SECONDS - started)) s" >&2
fi

if [ ! -f "$IMAGES/pause.tar" ] || [ "$BIN/pause" -nt "$IMAGES/pause.tar" ]; then
  "$PROJECT_DIR/scripts/cluster/scratch-image.sh" "$IMAGES/pause.tar" localhost/pause:local "$BIN/pause"
fi
