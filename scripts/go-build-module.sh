#!/usr/bin/env bash
# Builds a command from a Go module at a pinned version, inside the module: `go install module@version`
# refuses modules whose go.mod has replace directives (helm-unittest, prometheus).
# Usage: scripts/go-build-module.sh MODULE VERSION "PACKAGE..." OUTPUT   (OUTPUT ending in / is a folder)
set -euo pipefail
module=$1 version=$2 package=$3 output=$4
command -v go >/dev/null || export PATH=$PATH:/usr/local/go/bin
export GOFLAGS=-mod=mod GOTOOLCHAIN=local
src=$(go mod download -json "${module}@${version}" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
cp -r "$src/." "$build/"
chmod -R u+w "$build"
mkdir -p "$(dirname "$output")"
# shellcheck disable=SC2086 # PACKAGE is a list
(cd "$build" && go build -trimpath -o "$output" $package)
