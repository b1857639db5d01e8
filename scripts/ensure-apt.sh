#!/usr/bin/env bash
# Installs the Debian packages that are not installed yet (one apt-get update, only when needed).
# Usage: scripts/ensure-apt.sh PACKAGE...
set -euo pipefail
missing=()
for package in "$@"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "== apt-get install ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then echo "error: installing ${missing[*]} needs root (or install them yourself)" >&2; exit 1; fi
apt_get() { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@"; }
apt_get update -qq >&2
apt_get install -y -qq --no-install-recommends "${missing[@]}" >&2
