#!/usr/bin/env bash
# Builds promtool of the Prometheus the chart bundles (2.55.1 = Go module v0.55.1) into .tools/ (once)
# and prints its path. Debian's promtool is built without Kubernetes service discovery, so it cannot
# check the bundled Prometheus's config; this one can.
set -euo pipefail
cd "$(dirname "$0")/.."
version=v0.55.1
# Built without release ldflags it reports no version, so the file name carries it.
promtool=$PWD/.tools/bin/promtool-${version}
if [ ! -x "$promtool" ]; then
  echo "== building promtool ${version} (first time: about 3 minutes)" >&2
  scripts/go-build-module.sh github.com/prometheus/prometheus "$version" ./cmd/promtool "$promtool" >&2
fi
echo "$promtool"
