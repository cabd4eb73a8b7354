# syntax=docker/dockerfile:1
# forwarder: one self-contained file (dist/forwarder.cjs, CLI + pipeline) on a small Node 20
# runtime, with tini as PID 1 and a non-root user. No node_modules at run time.
#
#   docker build -t forwarder .
#   sidecar:     docker run --rm -v logs:/logs forwarder tail --format plain '/logs/*.log'
#   entrypoint:  COPY --from=forwarder /usr/local/lib/forwarder/forwarder.cjs into the app's image
#                (see README "Deployment: entrypoint and sidecar images")

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# build type-checks the sources; bundle makes the single file the image ships
RUN npm run build && npm run bundle && node dist/forwarder.cjs --version

FROM node:20-bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/* \
 # the runtime needs node alone: drop npm, npx, corepack and yarn (size and CVE surface)
 && rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /opt/yarn-* /usr/local/bin/yarn /usr/local/bin/yarnpkg
COPY --from=build --chmod=0755 /src/dist/forwarder.cjs /usr/local/lib/forwarder/forwarder.cjs
# the bundle starts with "#!/usr/bin/env node"
RUN ln -s /usr/local/lib/forwarder/forwarder.cjs /usr/local/bin/forwarder \
 && mkdir -p /var/lib/forwarder && chown node:node /var/lib/forwarder
ENV NODE_ENV=production \
    FORWARDER_STATE_DIR=/var/lib/forwarder
# the "node" user (uid 1000) of the official image
USER node
WORKDIR /home/node
ENTRYPOINT ["tini", "--", "forwarder"]
CMD ["--help"]
