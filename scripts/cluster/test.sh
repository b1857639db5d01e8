#!/usr/bin/env bash
# make test-cluster: proves the chart on the local cluster (test/cluster/kubernetes.cluster.ts) and writes
# docs/kubernetes-results.md. Brings the cluster up if it is down and, in that case, down again at the end,
# also when a step fails. Builds the images the test installs and imports them into the cluster: ml-api
# (the Dockerfile, under the chart's default name), and the bundled stack's Prometheus and
# kube-state-metrics from their Go modules, which stand in for the public images this machine cannot pull.
# HPA_WINDOW=default runs the autoscaling step with the chart's 300 s scale-down window (about 8 minutes more).
set -euo pipefail
. "$(dirname "$0")/env.sh"
cd "$PROJECT_DIR"

started_here=false
if ! kill -0 "$(cat "$RUN/pids/kube-apiserver.pid" 2>/dev/null)" 2>/dev/null; then
  started_here=true
  trap 'scripts/cluster/down.sh' EXIT
fi
scripts/cluster/up.sh
scripts/cluster/exec kubectl delete namespace ml-api-test --ignore-not-found --wait >/dev/null

scripts/image/build.sh
prometheus_bin=$(scripts/install-prometheus.sh)
scripts/cluster/scratch-image.sh "$IMAGES/test-prometheus.tar" localhost/prometheus:v2.55.1 "$prometheus_bin/prometheus"
scripts/cluster/scratch-image.sh "$IMAGES/test-kube-state-metrics.tar" localhost/kube-state-metrics:v2.20.0 "$BIN/kube-state-metrics"
scripts/cluster/import-image.sh "$PROJECT_DIR/.tools/images/ml-api.tar" "$IMAGES/test-prometheus.tar" "$IMAGES/test-kube-state-metrics.tar"

echo "== test/cluster/kubernetes.cluster.ts"
KUBERNETES_VERSION=$KUBERNETES_VERSION CONTAINERD_SOCKET=$CONTAINERD_SOCKET NAMESPACE=ml-api-test HELM=$PROJECT_DIR/.tools/bin/helm HELM_PLUGINS=$PROJECT_DIR/.tools/helm-plugins \
  scripts/cluster/exec npx tap --disable-coverage --allow-empty-coverage --timeout 1800 --reporter tap test/cluster/kubernetes.cluster.ts
