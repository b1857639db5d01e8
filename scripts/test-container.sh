#!/usr/bin/env bash
# make test-container: builds the Dockerfile with podman and runs the image with a read-only root
# filesystem on a free loopback port. It pulls nothing from a registry: the Dockerfile's base is made
# locally, a minimal Debian bookworm (debootstrap) with the host's node and npm, tagged as the
# Dockerfile's base image. Everything it creates (images, containers, folders) is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/ensure-apt.sh podman podman buildah runc fuse-overlayfs slirp4netns uidmap debootstrap
base_image=$(sed -n 's/^ARG NODE_IMAGE=//p' Dockerfile)
work=$(mktemp -d /tmp/ml-api-container.XXXXXX)
export CONTAINERS_CONF=$work/containers.conf
cat > "$CONTAINERS_CONF" <<'CONF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
podman=(podman --root "$work/storage" --runroot "$work/run")
cleanup() {
  "${podman[@]}" rm --all --force >/dev/null 2>&1 || true
  "${podman[@]}" rmi --all --force >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

echo "== base image ${base_image}: debootstrap bookworm + node $(node --version) and npm from this machine"
debootstrap --variant=minbase bookworm "$work/rootfs" >/dev/null
tar -C "$work/rootfs" -c . | "${podman[@]}" import - localhost/debian-minbase:bookworm >/dev/null
mkdir -p "$work/base"
cp "$(command -v node)" "$work/base/node"
cp -r "$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")" "$work/base/npm"
cat > "$work/base/Containerfile" <<'BASE'
FROM localhost/debian-minbase:bookworm
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm && node --version && npm --version
BASE
"${podman[@]}" build --pull=never --quiet -t "docker.io/library/${base_image}" "$work/base" >/dev/null

echo "== build"
started=$(date +%s)
# npm in the build reaches the registry through this machine's TLS proxy: lend it the host's CA bundle.
# (podman build --env also stays in the image, so the run below clears it.)
"${podman[@]}" build --pull=never --format docker --network host \
  --volume /etc/ssl/certs:/etc/ssl/certs:ro --env NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
  --build-arg REVISION="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  -t localhost/ml-api:test . >"$work/build.log" 2>&1 || { tail -30 "$work/build.log"; fail "podman build"; }
echo "   built in $(( $(date +%s) - started )) s"
size=$("${podman[@]}" image inspect localhost/ml-api:test --format '{{.Size}}')
base_size=$("${podman[@]}" image inspect "docker.io/library/${base_image}" --format '{{.Size}}')
echo "   image $((size / 1000000)) MB, of which the app's own layers $(((size - base_size) / 1000000)) MB (base: $((base_size / 1000000)) MB)"
"${podman[@]}" image inspect localhost/ml-api:test --format '{{json .Config.Labels}}' | grep -q '"org.opencontainers.image.revision"' || fail "OCI labels"
"${podman[@]}" image inspect localhost/ml-api:test --format '{{.Config.User}}' | grep -qx '10001:10001' || fail "image user is not 10001"

port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
echo "== run (read-only root, /tmp on tmpfs) on 127.0.0.1:${port}"
"${podman[@]}" run -d --name ml-api-test --read-only --tmpfs /tmp -e NODE_EXTRA_CA_CERTS= -e DRAIN_DELAY_MS=1000 -e GRACE_PERIOD_MS=10000 \
  -p "127.0.0.1:${port}:8080" localhost/ml-api:test 2> >(grep -v "systemd connection" >&2) >/dev/null
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:${port}/ready" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -sf "http://127.0.0.1:${port}/health" | grep -q '"status":"healthy"' || fail "/health"
curl -sf "http://127.0.0.1:${port}/ready" | grep -q '"status":"ready"' || fail "/ready"
prediction=$(curl -sf "http://127.0.0.1:${port}/predict" -H 'content-type: application/json' -d '{"features":[6.7,3.0,5.2,2.3]}')
echo "$prediction" | grep -q '"class":"virginica"' || fail "/predict answered $prediction"
echo "   /health, /ready and /predict answer ($prediction)"
curl -sf "http://127.0.0.1:${port}/openapi.json" | grep -q '"openapi":"3.1.0"' || fail "/openapi.json"
curl -sfL "http://127.0.0.1:${port}/docs" | grep -q 'swagger-ui' || fail "/docs"
curl -sf -o /dev/null "http://127.0.0.1:${port}/docs/static/swagger-ui-bundle.js" || fail "Swagger UI's files are missing from the bundle"
echo "   /openapi.json, /docs and Swagger UI's files answer"
uid=$("${podman[@]}" top ml-api-test huser user | tail -n +2 | awk '{print $2}' | sort -u)
[ "$uid" = "10001" ] || fail "the server runs as '$uid', not 10001"
echo "   runs as UID 10001"
"${podman[@]}" healthcheck run ml-api-test >/dev/null 2> >(grep -v "systemd connection" >&2) || fail "podman healthcheck run"
echo "   podman healthcheck run: healthy"
logs=$("${podman[@]}" logs ml-api-test 2> >(grep -v "systemd connection" >&2))
echo "$logs" | grep -q '"codeCache"' && fail "the image starts without its code cache: $(echo "$logs" | grep '"codeCache"')"
echo "$logs" | grep -q 'model loaded, serving' || fail "no start-up line in the logs"
echo "   starts from the code cache built in the image (no codeCache warning in the logs)"
stop_started=$(date +%s%N)
"${podman[@]}" stop --time 20 ml-api-test 2> >(grep -v "systemd connection" >&2) >/dev/null
stop_ms=$(( ($(date +%s%N) - stop_started) / 1000000 ))
code=$("${podman[@]}" inspect ml-api-test --format '{{.State.ExitCode}}')
[ "$code" = "0" ] || fail "exit code $code after SIGTERM"
[ "$stop_ms" -lt 20000 ] || fail "took ${stop_ms} ms to stop"
echo "   SIGTERM: exit code 0 after ${stop_ms} ms (1 s drain delay, 20 s grace)"
echo "PASS: container test"
