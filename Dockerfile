# Allhands server image: the API, websockets, SMTP listener and job worker in one, its role chosen by ALLHANDS_ROLE.
# Used by docker-compose.yml (docs/SCALING.md); works alone too: docker run -p 3000:3000 -v allhands:/data <image>.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary matches the platform.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
# Manifests first: the dependency layer is rebuilt only when they change.
COPY package.json package-lock.json ./
COPY packages/contract/package.json packages/contract/
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
COPY apps/widget/package.json apps/widget/
RUN npm ci --no-audit --no-fund
COPY . .
# The web app, the chat widget and the server bundle (apps/server/dist/main.mjs, cli.mjs, mail-digest.worker.mjs); then drop build-only packages.
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
  MALLOC_MMAP_THRESHOLD_=131072 \
  DATA_DIR=/data \
  PORT=3000 \
  HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app /app
# DATA_DIR holds the SQLite database (single node) and blobs/ (attachments, raw email): a volume, owned by the app user
# so a fresh named volume mounted on /data or /data/blobs is writable.
RUN mkdir -p /data/blobs && chown -R node:node /data
USER node
VOLUME /data
EXPOSE 3000 2525
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/v1/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The Node flags and environment of `npm start` (scripts/server-process.mjs). Operator commands: node apps/server/dist/cli.mjs <command>.
CMD ["node", "--enable-source-maps", "--max-semi-space-size=8", "--expose-gc", "apps/server/dist/main.mjs"]
