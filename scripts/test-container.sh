#!/usr/bin/env bash
# make test-container: builds the image (scripts/image/build.sh: podman, a locally made base, nothing pulled
# from a registry) and runs it with a read-only root filesystem on a free loopback port.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/image/podman.sh
image=$APP_IMAGE
base_image=docker.io/library/$(sed -n 's/^ARG NODE_IMAGE=//p' Dockerfile)
cleanup() { podman_ rm --force ml-api-test >/dev/null 2>&1 || true; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

echo "== build"
started=$SECONDS
scripts/image/build.sh "$image"
echo "   built in $((SECONDS - started)) s"
size=$(podman_ image inspect "$image" --format '{{.Size}}')
base_size=$(podman_ image inspect "$base_image" --format '{{.Size}}')
echo "   image $((size / 1000000)) MB, of which the app's own layers $(((size - base_size) / 1000000)) MB (base: $((base_size / 1000000)) MB)"
podman_ image inspect "$image" --format '{{json .Config.Labels}}' | grep -q '"org.opencontainers.image.revision"' || fail "OCI labels"
podman_ image inspect "$image" --format '{{.Config.User}}' | grep -qx '10001:10001' || fail "image user is not 10001"

port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
echo "== run (read-only root, /tmp on tmpfs) on 127.0.0.1:${port}"
podman_ run -d --name ml-api-test --read-only --tmpfs /tmp -e DRAIN_DELAY_MS=1000 -e GRACE_PERIOD_MS=10000 \
  -p "127.0.0.1:${port}:8080" "$image" >/dev/null
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
uid=$(podman_ top ml-api-test huser user | tail -n +2 | awk '{print $2}' | sort -u)
[ "$uid" = "10001" ] || fail "the server runs as '$uid', not 10001"
echo "   runs as UID 10001"
podman_ healthcheck run ml-api-test >/dev/null || fail "podman healthcheck run"
echo "   podman healthcheck run: healthy"
logs=$(podman_ logs ml-api-test)
echo "$logs" | grep -q 'model loaded, serving' || fail "no start-up line in the logs"
stop_started=$(date +%s%N)
podman_ stop --time 20 ml-api-test >/dev/null
stop_ms=$(( ($(date +%s%N) - stop_started) / 1000000 ))
code=$(podman_ inspect ml-api-test --format '{{.State.ExitCode}}')
[ "$code" = "0" ] || fail "exit code $code after SIGTERM"
[ "$stop_ms" -lt 20000 ] || fail "took ${stop_ms} ms to stop"
echo "   SIGTERM: exit code 0 after ${stop_ms} ms (1 s drain delay, 20 s grace)"
echo "PASS: container test"
