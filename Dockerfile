# The bot itself. Build: docker build -t resonite-headless-bot .
# Run it behind the socket proxy of deploy/ (see docs), or, plainly, with the Docker socket mounted
# and the socket's group given to the bot's user:
#   docker run -d --env-file .env -v /var/run/docker.sock:/var/run/docker.sock \
#     --group-add "$(stat -c %g /var/run/docker.sock)" -v bot-data:/data resonite-headless-bot
# BASE_IMAGE is the official Node image; CI, which reaches no registry, builds on a stand-in of it
# (.ci/node-base-standin.sh).
ARG BASE_IMAGE=node:20-bookworm-slim

FROM ${BASE_IMAGE} AS build
WORKDIR /app
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY commands ./commands
# better-sqlite3 keeps its SQLite sources and object files after compiling (26 MB): only the
# compiled module is needed at run time.
RUN npm run build && npm prune --omit=dev \
  && cd node_modules/better-sqlite3 \
  && mv build/Release/better_sqlite3.node . && rm -rf build deps src \
  && mkdir -p build/Release && mv better_sqlite3.node build/Release/

FROM ${BASE_IMAGE}
WORKDIR /app
# /graph draws its text with the system's fonts (@napi-rs/canvas ships none).
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin
ENV NODE_ENV=production DATA_DIR=/data HEALTH_FILE=/tmp/bot-health.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# A non-root user; reaching the socket is granted at run time with --group-add (the socket's group id).
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
# Healthy once logged in to Discord; unhealthy when cut off from Discord or Docker for longer than
# HEALTH_GRACE_SECONDS (60), read from the report the bot keeps in HEALTH_FILE.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=2 CMD ["node", "dist/src/healthcheck.js"]
# A small young generation and one V8 worker thread: the bot allocates little, and idle memory drops
# by ~25 MB (see bench/bot-memory.bench.ts).
CMD ["node", "--max-semi-space-size=1", "--v8-pool-size=1", "dist/src/main.js"]
