#!/usr/bin/env bash
# Builds prometheus and promtool of the Prometheus the chart bundles (2.55.1 = Go module v0.55.1) into
# .tools/prometheus-v0.55.1 (once, static binaries) and prints that folder. The tests run this Prometheus
# against the server, and the cluster test packs it into the bundled stack's image.
set -euo pipefail
cd "$(dirname "$0")/.."
version=v0.55.1
dir=$PWD/.tools/prometheus-$version
if [ ! -x "$dir/prometheus" ] || [ ! -x "$dir/promtool" ]; then
  echo "== building prometheus and promtool $version into $dir (first time: a few minutes)" >&2
  CGO_ENABLED=0 scripts/go-build-module.sh github.com/prometheus/prometheus "$version" "./cmd/prometheus ./cmd/promtool" "$dir/" >&2
fi
echo "$dir"
