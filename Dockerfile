# mssql-deep-research: the connector image (and, with another command, the T-SQL sandbox).
# Plain Dockerfile syntax (no BuildKit features), so the legacy builder and docker-compose 1.29 build it.

# ── build: all dependencies, TypeScript → dist/ ────────────────────────────────────────────────────
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY sandbox ./sandbox
COPY scripts ./scripts
RUN npm run build

# ── runtime: production dependencies and dist/ only, non-root, read-only root filesystem ──────────
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8008 \
    DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
# Then drop what never runs on a server: source maps, node-sql-parser's browser bundles (umd/) and
# its other dialects (the guard loads build/transactsql.js only). About 100 MB.
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force \
 && find node_modules -name '*.map' -type f -delete \
 && rm -rf node_modules/node-sql-parser/umd \
 && find node_modules/node-sql-parser/build -type f ! -name 'transactsql.*' -delete \
 && rm -rf /root/.npm /tmp/* \
 && mkdir -p /data /app/.cache \
 && chown node:node /data /app/.cache
COPY --from=build /app/dist ./dist
COPY scripts/require-node.cjs ./scripts/require-node.cjs
# The only writable places: DATA_DIR (OAuth clients and signing keys) and, for the sandbox, its
# snapshot cache. Everything else can be mounted read-only (compose: read_only + tmpfs /tmp).
VOLUME ["/data"]
USER node
EXPOSE 8008
# node:*-slim has no curl: ask /healthz with node itself.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8008) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# index.ts drains connections and closes the pool on SIGTERM (docker stop, compose down).
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/index.js"]
