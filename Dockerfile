# The bot itself. Build: docker build -t resonite-headless-bot .
# Run with the Docker socket mounted and the socket's group given to the bot user:
#   docker run -d --env-file .env -v /var/run/docker.sock:/var/run/docker.sock \
#     --group-add "$(stat -c %g /var/run/docker.sock)" -v bot-data:/data resonite-headless-bot
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY commands ./commands
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production DATA_DIR=/data
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# A non-root user; reaching the socket is granted at run time with --group-add (the socket's group id).
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
# A small young generation and one V8 worker thread: the bot allocates little, and idle memory drops
# by ~25 MB (see bench/bot-memory.bench.ts).
CMD ["node", "--max-semi-space-size=1", "--v8-pool-size=1", "dist/src/main.js"]
