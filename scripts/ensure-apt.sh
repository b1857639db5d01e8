#!/usr/bin/env bash
# Installs Debian packages when a command they provide is missing.
# Usage: scripts/ensure-apt.sh COMMAND PACKAGE [PACKAGE...]
set -euo pipefail
command=$1; shift
if command -v "$command" >/dev/null 2>&1; then exit 0; fi
echo "== $command is missing: apt-get install $*"
if [ "$(id -u)" -ne 0 ]; then echo "error: installing $* needs root (or install them yourself)" >&2; exit 1; fi
apt_get() { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@"; }
apt_get update -qq
apt_get install -y -qq --no-install-recommends "$@"
