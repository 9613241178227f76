# syntax=docker/dockerfile:1
# The chat server image: web app, API and WebSocket on port 8080.
#   docker build -t chat .
#   docker run -p 8080:8080 -e JWT_SECRET="$(openssl rand -base64 48)" -v chat-data:/data chat
# Without DATABASE_URL it runs the embedded PostgreSQL in /data; docker-compose.yml runs a separate one.

# Node LTS on Debian 12, pinned to a release so rebuilds are reproducible; bump deliberately.
ARG NODE_IMAGE=node:22.20.0-bookworm-slim

FROM ${NODE_IMAGE} AS build
# argon2 is compiled from source (.npmrc build-from-source=true): node-gyp needs these.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# The pnpm release the lockfile was written with (package.json "packageManager").
RUN npm install --global --no-audit --no-fund pnpm@10.34.8
WORKDIR /src
# Dependencies first, from the lockfile alone, so a source change does not refetch them.
COPY pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
RUN pnpm fetch --frozen-lockfile
COPY . .
RUN pnpm install --frozen-lockfile --offline \
 && pnpm build \
 # A pruned production install of the server alone: its bundle (dist/) and its npm dependencies.
 && pnpm --filter @chat/server deploy --prod --legacy /out \
 && cp -r apps/web/dist /out/web

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/data \
    WEB_DIST_DIR=/app/web
WORKDIR /app
# Owned by root and read-only to the app user; only /data is writable.
COPY --from=build /out /app
# /data/files exists in the image so a volume mounted there (the scale profile) starts owned by the app user.
RUN mkdir -p /data/files && chown -R node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
# Alive = the process serves and its database answers (/readyz adds Redis and is for load balancers).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# main.ts handles SIGTERM: clients are told to reconnect, requests drain, the database closes.
STOPSIGNAL SIGTERM
CMD ["node", "--enable-source-maps", "dist/main.js"]
