import { Hono } from 'hono';
import type { Config } from './config.ts';
import type { Db } from './db/types.ts';
import { AppError } from './errors.ts';
import { accessLog } from './http/access-log.ts';
import { edgeErrorResponse, renderThrown } from './http/error-response.ts';
import { createApiKeyVerifier } from './auth/api-keys.ts';
import type { OAuthIntegration } from './http/auth/oauth-integration.ts';
import type { TokenVerifier } from './auth/verifier.ts';
import { createAddressMatcher } from './http/cidr.ts';
import type { AppEnv } from './http/context.ts';
import type { HealthDeps } from './http/health.ts';
import { healthRoutes } from './http/health.ts';
import { mcpRoutes } from './http/mcp-routes.ts';
import type { PeerAddressGetter } from './http/public-url.ts';
import { publicUrl } from './http/public-url.ts';
import type { RateLimiter } from './state/rate-limiter.ts';
import { createRateLimiter } from './state/rate-limiter.ts';
import { recordRoutes } from './http/records.ts';
import { requestContext } from './http/request-id.ts';
import { SseSessionRegistry } from './http/sse-sessions.ts';
import type { SseRoutes } from './state/sse-routes.ts';
import { createLocalSseRoutes } from './state/sse-routes.ts';
import type { Logger } from './logger.ts';
import { createInstructionsSource } from './mcp/instructions.ts';
import { createMcpServerFactory } from './mcp/server.ts';
import type { Research } from './research/types.ts';
import type { Telemetry } from './telemetry/index.ts';
import { NO_METRICS } from './telemetry/metrics.ts';
import { countRefusedToolCalls } from './http/tool-call-refusals.ts';

/** The configuration the HTTP edge reads. */
export type AppConfig = Pick<Config, 'server' | 'auth'>;

export interface AppDeps {
  config: AppConfig;
  research: Research;
  db: Pick<Db, 'ping'>;
  logger: Logger;
  /** Package version, shown in /health and the MCP server info. */
  version: string;
  /** The public origin (PUBLIC_BASE_URL, or the listening address in development). */
  publicOrigin: string;
  /** The OAuth authorization server, when configured (issue 4). */
  oauth?: OAuthIntegration | undefined;
  /** Open legacy SSE sessions; pass one in to close them on shutdown. */
  sessions?: SseSessionRegistry;
  /** How a legacy SSE POST reaches the stream's replica; default: this process only (no STATE_STORE_URL). */
  sseRoutes?: SseRoutes;
  /** TCP peer address; defaults to @hono/node-server's socket. Tests may supply their own. */
  peerAddress?: PeerAddressGetter;
  /**
   * The RATE_LIMIT_PER_MINUTE counters: the composition root passes Redis-backed ones when
   * STATE_STORE_URL is set; default: this process's own (tests pass one with a short window).
   */
  rateLimiter?: RateLimiter;
  /** True once shutdown began: new requests get 503 while in-flight ones finish. */
  isShuttingDown?: () => boolean;
  sseKeepAliveMs?: number;
  /** Longest `/health` waits for the database (default 5 s). */
  healthTimeoutMs?: number;
  /** Metrics, traces and the console's activity around tool calls (issue 14). */
  telemetry?: Pick<Telemetry, 'metrics' | 'observeTool'>;
  /** At most one `/health` database probe per this many ms (default 5 s). */
  healthProbeIntervalMs?: number;
  /** The shared state store's connection health (STATE_STORE_URL), reported by `/health`. */
  stateStoreHealth?: HealthDeps['stateStore'];
}

/**
 * Builds the HTTP application. Every route is reachable both with and without the
 * ENVIRONMENT_PATH prefix (`/chatgpt/mcp` and `/mcp`), so it works behind nginx (which strips the
 * prefix and announces it in `X-Environment-Path`) and without it. Errors become JSON with a
 * stable `error.code` in exactly one place (`onError`/`notFound`); stack traces and driver
 * messages never reach the client.
 */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const { config, logger } = deps;
  const app = new Hono<AppEnv>();
  const verifiers: TokenVerifier[] = [];
  if (config.auth.apiKeys.length > 0) verifiers.push(createApiKeyVerifier(config.auth.apiKeys));
  if (deps.oauth) verifiers.push(deps.oauth.verifier);
  const perMinute = config.server.rateLimitPerMinute;

  app.use(requestContext(logger));
  app.use(
    publicUrl({
      origin: deps.publicOrigin,
      environmentPath: config.server.environmentPath,
      trustedProxies: createAddressMatcher(config.server.trustedProxies),
      ...(deps.peerAddress ? { peerAddress: deps.peerAddress } : {}),
    }),
  );
  app.use(accessLog());
  if (deps.isShuttingDown) {
    const shuttingDown = deps.isShuttingDown;
    app.use(async function drain(c, next) {
      if (!shuttingDown()) return next();
      c.header('Connection', 'close');
      throw new AppError('SHUTTING_DOWN', 'The server is restarting; retry shortly.', { headers: { 'Retry-After': '2' } });
    });
  }

  const routes = new Hono<AppEnv>();
  if (deps.telemetry) {
    const { observeTool, metrics } = deps.telemetry;
    routes.use('*', async function observeToolCalls(c, next) {
      c.set('observeTool', observeTool);
      await next();
    });
    // Refused calls are counted by peeking at their body: only worth it when metrics are on.
    if (metrics !== NO_METRICS) for (const path of ['/mcp', '/sse', '/messages']) routes.use(path, countRefusedToolCalls(metrics));
  }
  if (deps.oauth) routes.route('/', deps.oauth.routes);
  routes.route(
    '/',
    healthRoutes({
      db: deps.db,
      version: deps.version,
      oauth: deps.oauth !== undefined,
      ...(deps.healthTimeoutMs ? { pingTimeoutMs: deps.healthTimeoutMs } : {}),
      ...(deps.healthProbeIntervalMs === undefined ? {} : { probeIntervalMs: deps.healthProbeIntervalMs }),
      ...(deps.stateStoreHealth ? { stateStore: deps.stateStoreHealth } : {}),
    }),
  );
  const oauthChallenge = deps.oauth ? { challengeScopes: deps.oauth.challengeScopes } : undefined;
  const allowAnonymous = config.auth.allowUnauthMethods || config.auth.allowUnauthToolsCall;
  routes.route(
    '/',
    mcpRoutes({
      newServer: createMcpServerFactory({ research: deps.research, version: deps.version }),
      instructions: createInstructionsSource(deps.research),
      allowAnonymousToolsCall: config.auth.allowUnauthToolsCall,
      sessions: deps.sessions ?? new SseSessionRegistry(),
      sseRoutes: deps.sseRoutes ?? createLocalSseRoutes(),
      verifiers,
      oauth: oauthChallenge,
      allowAnonymous,
      corsAllowedOrigins: config.server.corsAllowedOrigins,
      limiter: perMinute > 0 ? (deps.rateLimiter ?? createRateLimiter({ perMinute, name: 'edge' })) : undefined,
      ...(deps.sseKeepAliveMs ? { keepAliveMs: deps.sseKeepAliveMs } : {}),
    }),
  );
  if (!deps.oauth) routes.route('/', recordRoutes({ research: deps.research, verifiers, allowAnonymous }));

  app.route('/', routes);
  if (config.server.environmentPath !== '') app.route(config.server.environmentPath, routes);

  app.notFound((c) => edgeErrorResponse(c, 'NOT_FOUND', `No route for ${c.req.method} ${c.req.path}.`));
  app.onError((error, c) =>
    renderThrown(c, error, (event, fields) => {
      const log = c.get('logger') ?? logger;
      if (event === 'unhandled_error') log.error(event, fields);
      else log.warn(event, fields);
    }),
  );
  return app;
}
