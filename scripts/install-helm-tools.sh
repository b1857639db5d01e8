#!/usr/bin/env bash
# Builds the pinned helm and helm-unittest from their Go modules into .tools/ (once), and registers
# helm-unittest as the helm plugin `helm unittest`. Needs Go and the Go module proxy; nothing else.
#   scripts/install-helm-tools.sh        prints the helm binary to use
set -euo pipefail
cd "$(dirname "$0")/.."

HELM_VERSION=v3.21.4
UNITTEST_VERSION=v1.1.2
# Kubernetes version helm reports to templates when no cluster is reached, as helm's release builds stamp it.
K8S_MAJOR=1
K8S_MINOR=35

tools=$PWD/.tools
helm=$tools/bin/helm
plugins=$tools/helm-plugins
command -v go >/dev/null || export PATH=$PATH:/usr/local/go/bin
export GOFLAGS=-mod=mod GOTOOLCHAIN=local

if ! "$helm" version --short 2>/dev/null | grep -q "^${HELM_VERSION}"; then
  echo "== building helm ${HELM_VERSION} (first time: about 2 minutes)" >&2
  GOBIN=$tools/bin go install -ldflags "\
    -X helm.sh/helm/v3/internal/version.version=${HELM_VERSION} \
    -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=${K8S_MAJOR} -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=${K8S_MINOR} \
    -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=${K8S_MAJOR} -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=${K8S_MINOR}" \
    "helm.sh/helm/v3/cmd/helm@${HELM_VERSION}" >&2
fi

if ! HELM_PLUGINS=$plugins "$helm" plugin list 2>/dev/null | grep -q "^unittest\s*${UNITTEST_VERSION#v}"; then
  echo "== building helm-unittest ${UNITTEST_VERSION} (first time: about 1 minute)" >&2
  # A plugin is a folder in HELM_PLUGINS with its plugin.yaml and the binary that names.
  rm -rf "$plugins/unittest"
  binary=$plugins/unittest/untt-$(go env GOOS)-$(go env GOARCH)
  scripts/go-build-module.sh github.com/helm-unittest/helm-unittest "$UNITTEST_VERSION" ./cmd/helm-unittest "$binary" >&2
  cp "$(go mod download -json "github.com/helm-unittest/helm-unittest@${UNITTEST_VERSION}" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')/plugin.yaml" "$plugins/unittest/"
  HELM_PLUGINS=$plugins "$helm" plugin list | grep -q "^unittest" || { echo "helm-unittest did not register" >&2; exit 1; }
fi
echo "$helm"
