# syntax=docker/dockerfile:1
# forwarder's image: the self-contained executable (/forwarder, Node's single executable
# application: no node needed where it runs) on Debian slim, with tini as PID 1 and a non-root
# user; and the single-file bundle (/usr/local/lib/forwarder/forwarder.cjs) for images that
# already have Node >= 20.
#
#   docker build -t forwarder .
#   sidecar:     docker run --rm -v logs:/logs forwarder tail --format plain '/logs/*.log'
#   entrypoint:  in the app's image (Debian-based, e.g. python:3.12-slim; no node needed):
#                  COPY --from=forwarder /forwarder /usr/local/bin/forwarder
#                (see README "Deployment: entrypoint and sidecar images")

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
# the WebAssembly JSON scan's source (AssemblyScript), compiled by npm run build
COPY assembly ./assembly
COPY src ./src
# build type-checks the sources; bundle makes the single file and package the executable, each
# with the V8 code caches made by a warm run against a loopback sink (scripts/code-cache.mjs)
RUN npm run build && npm run bundle && npm run package \
 && node dist/forwarder.cjs --version && dist/forwarder --version

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --uid 1000 --create-home --shell /usr/sbin/nologin forwarder \
 && mkdir -p /var/lib/forwarder && chown forwarder:forwarder /var/lib/forwarder
COPY --from=build --chmod=0755 /src/dist/forwarder /forwarder
# the bundle starts with "#!/usr/bin/env node": it runs where node >= 20 is on PATH
COPY --from=build --chmod=0755 /src/dist/forwarder.cjs /usr/local/lib/forwarder/forwarder.cjs
ENV FORWARDER_STATE_DIR=/var/lib/forwarder
# uid 1000, as the Kubernetes examples' runAsUser
USER forwarder
WORKDIR /home/forwarder
ENTRYPOINT ["tini", "--", "/forwarder"]
CMD ["--help"]
