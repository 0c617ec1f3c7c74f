import type { Context, MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import { every } from 'hono/combine';
import { AppError } from '../errors.ts';
import { bearerAuth } from './auth/bearer.ts';
import type { TokenVerifier } from '../auth/verifier.ts';
import type { AppEnv } from './context.ts';
import { jsonRpcBodyLimit } from './body-limit.ts';
import { corsMcp } from './cors.ts';
import type { McpHttpDeps } from './mcp-messages.ts';
import { legacySseMessageHandler, legacySseStreamHandler } from './mcp-sse.ts';
import { streamableHttpHandler } from './mcp-streamable.ts';
import type { RateLimiter } from './rate-limit.ts';
import { addressRateLimit, principalRateLimit } from './rate-limit.ts';
import type { SseRoutes } from '../state/sse-routes.ts';
import type { SseSessionRegistry } from './sse-sessions.ts';

export interface McpRoutesDeps extends Omit<McpHttpDeps, 'challenge'> {
  sessions: SseSessionRegistry;
  sseRoutes: SseRoutes;
  verifiers: readonly TokenVerifier[];
  oauth?: { challengeScopes: readonly string[] } | undefined;
  /** ALLOW_UNAUTH_METHODS or ALLOW_UNAUTH_TOOLS_CALL. */
  allowAnonymous: boolean;
  corsAllowedOrigins: readonly string[];
  /** Undefined = no rate limiting (RATE_LIMIT_PER_MINUTE=0). */
  limiter?: RateLimiter | undefined;
}

/** `/sse` and `/messages` protect the SSE resource; everything else the `/mcp` one (RFC 9728 resource paths). */
export function mcpResourcePath(c: Context<AppEnv>): string {
  return /\/(sse|messages)$/.test(c.req.path) ? '/sse' : '/mcp';
}

function methodNotAllowed(allow: string): MiddlewareHandler<AppEnv> {
  return async function methodNotAllowedHandler(c) {
    throw new AppError('METHOD_NOT_ALLOWED', `${c.req.method} is not supported here; allowed: ${allow}.`, {
      headers: { Allow: allow },
    });
  };
}

/**
 * `HEAD /sse` is a capability probe (ChatGPT, the original connector): 200 with the event-stream
 * headers, no body, no authentication. Hono routes HEAD through GET handlers, so this sits first
 * in the GET chain.
 */
const sseHeadProbe: MiddlewareHandler<AppEnv> = async function sseHeadProbe(c, next) {
  if (c.req.method !== 'HEAD') return next();
  return c.body(null, 200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache, no-transform',
    'X-Accel-Buffering': 'no',
  });
};

/**
 * The MCP endpoints and their edge policy, in order: CORS and preflight (no auth) → method
 * probes (405s, HEAD, no auth) → address gate (charged for failed authentication) → bearer auth →
 * body read under its size limit, batch counted → rate limit by principal, per message → transport.
 *
 * - `POST /mcp`, `POST /sse`: stateless Streamable HTTP (ChatGPT is configured with a URL ending in `/sse`).
 * - `GET /sse` + `POST /messages?sessionId=`: legacy HTTP+SSE for older clients.
 * - `GET|HEAD|DELETE /mcp` → 405 with `Allow` (item 30; the SDK client reads 405 as "no standalone stream").
 */
export function mcpRoutes(deps: McpRoutesDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  const challenge = { resourcePath: mcpResourcePath, oauth: deps.oauth };
  const transportDeps = { ...deps, challenge };
  const limitIp: MiddlewareHandler<AppEnv>[] = deps.limiter ? [addressRateLimit(deps.limiter)] : [];
  const limitPrincipal: MiddlewareHandler<AppEnv>[] = deps.limiter ? [principalRateLimit(deps.limiter)] : [];
  const protect = every(
    ...limitIp,
    bearerAuth({ verifiers: deps.verifiers, resourcePath: mcpResourcePath, oauth: deps.oauth, allowAnonymous: deps.allowAnonymous }),
    jsonRpcBodyLimit(),
    ...limitPrincipal,
  ) as MiddlewareHandler<AppEnv>;

  for (const path of ['/mcp', '/sse', '/messages']) routes.use(path, corsMcp(deps.corsAllowedOrigins, deps.allowAnonymous));

  routes.post('/mcp', protect, streamableHttpHandler(transportDeps));
  routes.post('/sse', protect, streamableHttpHandler(transportDeps));
  routes.get('/sse', sseHeadProbe, protect, legacySseStreamHandler({ ...transportDeps, sessions: deps.sessions, routes: deps.sseRoutes }));
  routes.post('/messages', protect, legacySseMessageHandler({ ...transportDeps, sessions: deps.sessions, routes: deps.sseRoutes }));

  routes.all('/mcp', methodNotAllowed('POST, OPTIONS'));
  routes.all('/sse', methodNotAllowed('GET, HEAD, POST, OPTIONS'));
  routes.all('/messages', methodNotAllowed('POST, OPTIONS'));
  return routes;
}
