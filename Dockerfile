# syntax=docker/dockerfile:1
# ml-api image. The model is the committed artifact (models/iris-rf.json), not retrained here: training is
# deterministic and a test checks that the committed file is exactly what `npm run train` writes, so
# copying it gives the same bytes without build-time dev tooling, and the image's model sha256 is known
# before it is built.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS deps
# Only for npm behind a TLS-inspecting proxy: a CA bundle mounted into the build (a build argument, so
# it stays out of the image).
ARG NODE_EXTRA_CA_CERTS
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts

FROM deps AS build
COPY tsconfig.json tsconfig.server.json ./
COPY src ./src
COPY train ./train
COPY scripts/bundle.ts ./scripts/
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ARG VERSION=1.0.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="ml-api" \
      org.opencontainers.image.description="A random-forest model server (Iris) in TypeScript" \
      org.opencontainers.image.source="https://github.com/ml-api/ml-api" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.licenses="MIT"
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 MODEL_PATH=/app/models/iris-rf.json
WORKDIR /app
# The server is one bundled module with Swagger UI's files beside it: no node_modules in the image.
COPY --from=build --chown=0:0 /app/dist/bundle ./dist
COPY --chown=0:0 models/iris-rf.json ./models/
# Files belong to root and are read-only to the server's user: it writes nothing but /tmp.
USER 10001:10001
EXPOSE 8080
# node is PID 1 and handles SIGTERM itself (close-with-grace); the check needs no curl in the image.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# A 4 MiB young generation (V8's default is 16 MiB) keeps the resident set lower under load (make bench measures it).
CMD ["node", "--max-semi-space-size=4", "dist/server.cjs"]
