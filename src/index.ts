import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import { createApp } from './app.ts';
import { createCache } from './cache/index.ts';
import { createRedisCache } from './cache/redis.ts';
import type { Config } from './config.ts';
import { loadConfig } from './config.ts';
import { createDb } from './db/index.ts';
import { sessionIdentity } from './mcp/call-context.ts';
import type { Db } from './db/types.ts';
import { ConfigError } from './errors.ts';
import type { OAuthIntegration } from './http/auth/oauth-integration.ts';
import type { AppEnv } from './http/context.ts';
import { SseSessionRegistry } from './http/sse-sessions.ts';
import type { Logger } from './logger.ts';
import { loadLogDigestKey } from './log-digest.ts';
import { createLogger } from './logger.ts';
import { createOAuth, type OAuthDeps } from './oauth/http/index.ts';
import type { RenderRecord } from './oauth/http/records.ts';
import { createRedisDocumentCache } from './oauth/core/document-cache-redis.ts';
import { createRedisOAuthStore } from './oauth/core/store-redis.ts';
import { readStateStoreCa } from './state/ca.ts';
import { createSqliteStore } from './oauth/core/store-sqlite.ts';
import type { ClientRecord, JsonWebKeySet, OAuthStore } from './oauth/core/types.ts';
import { NL_SCAN_CONCURRENCY } from './research/budget.ts';
import { createResearch } from './research/index.ts';
import { loadThesaurus, type Thesaurus } from './research/nl/thesaurus.ts';
import type { CachedResult } from './research/index.ts';
import type { Research } from './research/types.ts';
import { createGuard } from './sql-guard/index.ts';
import { createDbGate, refuseWritableAtStart } from './db-gate.ts';
import { TOOL_NAMES } from './mcp/server.ts';
import { createRedisCounters } from './state/counters-redis.ts';
import { createRateLimiter } from './state/rate-limiter.ts';
import { connectRedis } from './state/redis.ts';
import { createLocalSseRoutes } from './state/sse-routes.ts';
import { createRedisSseRoutes } from './state/sse-routes-redis.ts';
import { createTelemetry, type Telemetry } from './telemetry/index.ts';
import { countingOAuthEvents, instrumentCache, instrumentDb, instrumentGuard } from './telemetry/instrument.ts';

/** Replace real services in tests and the demo (e.g. a Db on a stopped sandbox). */
export interface ServerOverrides {
  db?: Db;
  research?: Research;
  logger?: Logger;
  oauth?: OAuthIntegration;
  /** Test seams of the OAuth server's outbound fetch (a test CA, a resolver). */
  oauthOutbound?: OAuthDeps['outbound'];
  version?: string;
  /** How long startup waits for the privilege check before serving without the database (default 5 s). */
  startupWaitMs?: number;
  /** How long shutdown waits for in-flight requests before cutting connections (default 10 s). */
  shutdownGraceMs?: number;
  sseKeepAliveMs?: number;
  /** How long startup waits for the first connection to STATE_STORE_URL before serving anyway (default 5 s). */
  stateStoreWaitMs?: number;
  /** Metrics, tracing and activity already built (default: from `config.telemetry`). */
  telemetry?: Telemetry;
  /** At most one /health database probe per this many ms (default 5 s; 0 = every call, for outage tests). */
  healthProbeIntervalMs?: number;
}

export interface RunningServer {
  /** Where the server listens, e.g. `http://127.0.0.1:8008` (no trailing slash). */
  url: string;
  /** PUBLIC_BASE_URL + ENVIRONMENT_PATH: what clients are told to call. */
  publicBase: string;
  db: Db;
  /** Where Prometheus scrapes (`http://127.0.0.1:9464/metrics`), when METRICS_PORT is set. */
  metricsUrl: string | undefined;
  /** Graceful: stop accepting, finish in-flight requests, end SSE streams, close the pool. Idempotent. */
  close(): Promise<void>;
}

/**
 * `/records/<id>` pages (behind the operator's browser sign-in) show what `fetch` returns. The
 * operator is trusted with the whole database, so cached result ids open whichever client or API
 * key produced them (`operatorView`); clients' own fetches stay confined to their principal.
 */
function recordRenderer(research: Research): RenderRecord {
  return async (id, context) => {
    const outcome = await research.fetch(id, {
      principal: context.principal.id,
      publicBase: context.publicBase,
      operatorView: context.principal.admin === true,
      identity: sessionIdentity(context.principal, `records:${randomUUID()}`),
    });
    if (outcome.ok) return { title: outcome.value.title, text: outcome.value.text };
    if (outcome.code === 'NOT_FOUND' || outcome.code === 'INVALID_INPUT') return null;
    throw new Error(`record unavailable: ${outcome.code}`);
  };
}

/** STATE_STORE_CA_FILE's PEM, read once at startup; an unreadable file stops the start, naming the variable. */
function packageVersion(): string {
  for (const path of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'mssql-deep-research' && pkg.version) return pkg.version;
    } catch {
      // try the next candidate (source tree vs dist/)
    }
  }
  return '0.0.0';
}

/**
 * Composition root: builds the real services from the configuration, checks the login, serves
 * the app. Used by the CLI entry below, the demo and the end-to-end tests (port 0 = any free port;
 * without PUBLIC_BASE_URL the listening address is the public origin, development only).
 */
export async function startServer(config: Config, overrides: ServerOverrides = {}): Promise<RunningServer> {
  const logger =
    overrides.logger ??
    createLogger({ level: config.logLevel, digestKey: loadLogDigestKey({ secret: config.logHashSecret, dataDir: config.dataDir }) });
  const version = overrides.version ?? packageVersion();
  const stateStoreCa = readStateStoreCa(config.stateStore?.caFile);
  const telemetry = overrides.telemetry ?? (await createTelemetry(config.telemetry, { version, knownTools: TOOL_NAMES }));
  const { metrics } = telemetry;
  const observed = config.telemetry.metrics !== undefined || config.telemetry.tracing !== undefined;
  const rawDb =
    overrides.db ??
    createDb({
      ...config.mssql,
      poolMax: config.limits.maxConcurrentQueries + 2,
      connectTimeoutMs: 15_000,
      appName: 'mssql-deep-research',
      maxConcurrent: config.limits.maxConcurrentQueries,
      lockTimeoutMs: Math.min(5_000, config.limits.queryTimeoutMs),
      maxCellBytes: config.limits.maxCellBytes,
      maxResultBytes: config.limits.maxResultBytes,
      onError: (error) => logger.warn('db_background_error', { code: error.code, error }),
    });
  // Serve without the database rather than exit: /health answers 503 with the reason, discovery
  // and sign-in work, tools answer DB_UNAVAILABLE, and the gate opens by itself once the login
  // passes the read-only check (a writable one found now still stops the start).
  const gate = createDbGate({
    db: observed ? instrumentDb(rawDb, metrics, telemetry.tracing, config.mssql.database) : rawDb,
    config,
    logger,
  });
  const settled = await gate.settled(overrides.startupWaitMs ?? 5_000);
  try {
    refuseWritableAtStart(settled, config);
  } catch (error) {
    gate.close();
    await rawDb.close().catch(() => {});
    await telemetry.close();
    throw error;
  }
  if (!settled.ready) logger.warn('serving_without_database', { reason: settled.reason });
  const db = gate.db;
  const stateStore = config.stateStore ? connectRedis({ url: config.stateStore.url, logger, ...stateStoreCa }) : undefined;
  if (stateStore && config.stateStore && !(await stateStore.ready(overrides.stateStoreWaitMs ?? 5_000))) {
    // Serve anyway: /health says 503 with the reason, calls needing shared state fail clearly, and
    // the connection keeps retrying — never a silent fall back to this process's own state.
    logger.warn('state_store_not_ready', { url: config.stateStore.display, health: stateStore.health() });
  }
  const cacheBounds = { ttlMs: config.cache.ttlSeconds * 1000, maxEntries: config.cache.maxEntries, maxBytes: config.cache.maxBytes };
  const cache = stateStore ? createRedisCache<CachedResult>({ ...cacheBounds, redis: stateStore }) : createCache<CachedResult>(cacheBounds);
  const guard = createGuard({
    maxLength: config.limits.maxSqlLength,
    rowCap: config.limits.maxSearchResults,
    maxGrantPercent: config.limits.maxQueryMemoryPercent,
    denySchemas: config.policy.denySchemas,
    denyTables: config.policy.denyTables,
    allowTables: config.policy.allowTables,
  });
  const research =
    overrides.research ??
    createResearch({
      db,
      guard: observed ? instrumentGuard(guard, metrics) : guard,
      cache: observed ? instrumentCache(cache, metrics) : cache,
      limits: {
        maxResults: config.limits.maxSearchResults,
        maxResultBytes: config.limits.maxResultBytes,
        queryTimeoutMs: config.limits.queryTimeoutMs,
        // Table scans of one search share the pool: never all of MAX_CONCURRENT_QUERIES.
        scanConcurrency: Math.max(1, Math.min(NL_SCAN_CONCURRENCY, config.limits.maxConcurrentQueries - 1)),
      },
      thesaurus: searchThesaurus(config.search.thesaurusPath),
    });
  let store: OAuthStore | undefined;
  let oauth = overrides.oauth;
  if (!oauth && config.oauth) {
    const clock = { now: Date.now };
    // With STATE_STORE_URL every replica shares the OAuth state and its counters (sign-in
    // failures, lockouts, registration and client-document budgets); otherwise sqlite in DATA_DIR.
    const state = stateStore
      ? {
          store: createRedisOAuthStore(stateStore, clock),
          counters: createRedisCounters(stateStore),
          documentCaches: {
            clients: createRedisDocumentCache<ClientRecord>(stateStore, 'mdr:oauth:cimd:'),
            keySets: createRedisDocumentCache<JsonWebKeySet>(stateStore, 'mdr:oauth:jwks:'),
          },
        }
      : { store: createSqliteStore(config.dataDir) };
    store = state.store;
    const created = createOAuth({
      ...state,
      clock,
      config: config.oauth,
      logger: observed ? countingOAuthEvents(logger, metrics) : logger,
      renderRecord: recordRenderer(research),
      admin: {
        activity: telemetry.activity,
        pingDatabase: () => db.ping(),
        certFile: config.telemetry.tlsCertFile,
      },
      ...(overrides.oauthOutbound ? { outbound: overrides.oauthOutbound } : {}),
    });
    await created.ready;
    oauth = created;
  }

  const sessions = new SseSessionRegistry();
  // Legacy SSE: with the shared store, a POST on any replica reaches the one holding the stream.
  const sseRoutes = stateStore ? createRedisSseRoutes({ redis: stateStore, logger }) : createLocalSseRoutes();
  metrics.observe({
    db: () => rawDb.usage?.() ?? { inUse: 0, waiting: 0, poolSize: 0, poolBorrowed: 0 },
    cache: () => cache.stats(),
    sseStreams: () => sessions.size,
  });
  let shuttingDown = false;
  let app: Hono<AppEnv> | undefined;
  const server = createAdaptorServer({ fetch: (request, env) => (app as Hono<AppEnv>).fetch(request, env) }) as HttpServer;
  // Idle keep-alive sockets must outlive the proxy's and the clients' own idle timers (nginx 60 s,
  // undici 4 s), or a request sent as the server drops the socket fails with ECONNRESET.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.server.port, config.server.host, () => resolve());
  });
  // Responses still being written (streamed tool results included): shutdown waits for these.
  let active = 0;
  server.on('request', (_request, response) => {
    active += 1;
    response.once('close', () => (active -= 1));
  });
  const address = server.address() as AddressInfo;
  const host = address.address === '0.0.0.0' || address.address === '::' ? '127.0.0.1' : address.address;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  const publicOrigin = config.server.publicBaseUrl ?? url;
  app = createApp({
    config,
    research,
    db,
    logger,
    version,
    publicOrigin,
    oauth,
    sessions,
    sseRoutes,
    isShuttingDown: () => shuttingDown,
    ...(stateStore ? { stateStoreHealth: () => stateStore.health() } : {}),
    // Shared across replicas when STATE_STORE_URL is set: N per minute holds for the deployment.
    ...(stateStore && config.server.rateLimitPerMinute > 0
      ? { rateLimiter: createRateLimiter({ perMinute: config.server.rateLimitPerMinute, name: 'edge', redis: stateStore }) }
      : {}),
    telemetry,
    ...(overrides.sseKeepAliveMs ? { sseKeepAliveMs: overrides.sseKeepAliveMs } : {}),
    ...(overrides.healthProbeIntervalMs === undefined ? {} : { healthProbeIntervalMs: overrides.healthProbeIntervalMs }),
  });
  logger.info('listening', {
    url,
    public_base: publicOrigin + config.server.environmentPath,
    version,
    oauth: oauth !== undefined,
    state_store: config.stateStore?.display ?? 'in-process',
  });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      shuttingDown = true;
      logger.info('shutting_down', { sse_sessions: sessions.size });
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      await sessions.closeAll();
      // Finish in-flight responses (bounded by the grace period), then drop idle keep-alive sockets.
      const deadline = Date.now() + (overrides.shutdownGraceMs ?? 10_000);
      while (active > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      server.closeAllConnections();
      await stopped;
      gate.close();
      await db.close().catch((error: unknown) => logger.warn('db_close_failed', { error }));
      await store?.close();
      await sseRoutes.close();
      await stateStore?.close();
      await telemetry.close();
      logger.info('stopped');
    })());
  return { url, publicBase: publicOrigin + config.server.environmentPath, db, metricsUrl: telemetry.metricsUrl, close };
}

/** CLI: `node src/index.ts` / `npm start`. Exits 1 with a readable message on a bad start. */
async function main(): Promise<void> {
  let running: RunningServer;
  try {
    running = await startServer(loadConfig());
  } catch (error) {
    const prefix = error instanceof ConfigError ? 'Configuration error' : 'Startup failed';
    process.stderr.write(`${prefix}: ${(error as Error).message}\n`);
    process.exit(1);
  }
  const stop = (signal: string): void => {
    process.stderr.write(`${signal} received, shutting down\n`);
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

if (import.meta.main) await main();

/** The search thesaurus: built-in vocabulary plus the operator's file; a bad file stops startup naming the variable. */
function searchThesaurus(path: string | undefined): Thesaurus {
  try {
    return loadThesaurus(path);
  } catch (err) {
    throw new ConfigError('SEARCH_THESAURUS', err instanceof Error ? err.message : 'cannot be read', { cause: err });
  }
}
