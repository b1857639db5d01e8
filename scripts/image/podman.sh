# Sourced: a podman with its storage under .tools/podman (images survive between runs), runc and cgroupfs,
# which work on hosts without systemd. Defines APP_IMAGE, `podman_` and `ensure_base_image`.
IMAGE_PROJECT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PODMAN_DIR=$IMAGE_PROJECT_DIR/.tools/podman
# The chart's default image: ml-api:<appVersion>, which containerd and podman spell docker.io/library/...
APP_IMAGE=docker.io/library/ml-api:$(sed -n 's/^appVersion: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$IMAGE_PROJECT_DIR/chart/Chart.yaml")
"$IMAGE_PROJECT_DIR/scripts/ensure-apt.sh" podman buildah runc fuse-overlayfs slirp4netns uidmap debootstrap
mkdir -p "$PODMAN_DIR"
export CONTAINERS_CONF=$PODMAN_DIR/containers.conf
cat > "$CONTAINERS_CONF" <<'CONF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
podman_() { podman --root "$PODMAN_DIR/storage" --runroot "$PODMAN_DIR/run" "$@" 2> >(grep -v "systemd connection" >&2); }

# The Dockerfile's base image (node:24-bookworm-slim), made here instead of pulled: a minimal Debian
# bookworm (debootstrap) with the node that runs this script and the machine's npm. Rebuilt when that
# node's version changes.
ensure_base_image() {
  local base=docker.io/library/$(sed -n 's/^ARG NODE_IMAGE=//p' "$IMAGE_PROJECT_DIR/Dockerfile")
  local node_version; node_version=$(node --version)
  [ "$(podman_ image inspect "$base" --format '{{index .Config.Labels "node-version"}}' 2>/dev/null)" = "$node_version" ] && return
  echo "== base image $base: debootstrap bookworm + node $node_version" >&2
  local work; work=$(mktemp -d /tmp/ml-api-base.XXXXXX)
  debootstrap --variant=minbase bookworm "$work/rootfs" >/dev/null
  tar -C "$work/rootfs" -c . | podman_ import - localhost/debian-minbase:bookworm >/dev/null
  mkdir -p "$work/base"
  cp "$(command -v node)" "$work/base/node"
  cp -r "$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")" "$work/base/npm"
  cat > "$work/base/Containerfile" <<BASE
FROM localhost/debian-minbase:bookworm
LABEL node-version=$node_version
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm && node --version && npm --version
BASE
  podman_ build --pull=never --quiet -t "$base" "$work/base" >/dev/null
  podman_ rmi localhost/debian-minbase:bookworm >/dev/null
  rm -rf "$work"
}
