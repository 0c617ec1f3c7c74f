import type { MiddlewareHandler } from 'hono';
import { isLoopbackHost } from '../config-values.ts';
import { AppError } from '../errors.ts';
import type { AppEnv } from './context.ts';

/**
 * Headers an MCP client sends (conformance item 36; the SDK's Hono example forgets Authorization):
 * 2026-07-28 adds `Mcp-Method` and `Mcp-Name` on every request (item 42) and W3C trace context.
 */
export const MCP_ALLOW_HEADERS =
  'Authorization, Content-Type, Accept, Mcp-Session-Id, MCP-Protocol-Version, Last-Event-ID, Mcp-Method, Mcp-Name, traceparent, tracestate';
/** Headers a browser MCP client must be able to read (session, challenge, negotiated version). */
export const MCP_EXPOSE_HEADERS = 'Mcp-Session-Id, WWW-Authenticate, MCP-Protocol-Version';

/**
 * CORS for public documents (health, discovery metadata): any origin, no credentials; OPTIONS
 * preflight answers 204 without authentication (item 36).
 */
export function corsPublic(): MiddlewareHandler<AppEnv> {
  return async function corsPublicMiddleware(c, next) {
    if (c.req.method === 'OPTIONS') {
      return c.body(null, 204, {
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Methods': 'GET, HEAD, POST, OPTIONS',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type, MCP-Protocol-Version',
        'Access-Control-Max-Age': '600',
      });
    }
    await next();
    c.header('Access-Control-Allow-Origin', '*');
  };
}

/**
 * CORS for the MCP endpoints (items 30 and 36). With CORS_ALLOWED_ORIGINS set, a request whose
 * `Origin` is not listed gets 403 before anything else runs (DNS-rebinding and cross-site
 * defence); without it any origin may call, since bearer tokens are never sent ambiently by a
 * browser — except when anonymous access is on (ALLOW_UNAUTH_*, development): then only loopback
 * origins may call, or any web page could read the database through the developer's browser.
 * Preflight answers 204 without authentication.
 */
export function corsMcp(allowedOrigins: readonly string[], anonymous = false): MiddlewareHandler<AppEnv> {
  const allowed = new Set(allowedOrigins.map((origin) => origin.replace(/\/+$/, '').toLowerCase()));
  const permitted = (origin: string): boolean => {
    if (allowed.size > 0) return allowed.has(origin.toLowerCase());
    return !anonymous || isLoopbackOrigin(origin);
  };
  return async function corsMcpMiddleware(c, next) {
    const origin = c.req.header('origin');
    if (origin !== undefined && !permitted(origin)) {
      throw new AppError('ORIGIN_NOT_ALLOWED', 'This Origin is not allowed to call the MCP endpoint.');
    }
    const headers: Record<string, string> = {
      'Access-Control-Allow-Origin': origin ?? '*',
      'Access-Control-Expose-Headers': MCP_EXPOSE_HEADERS,
      Vary: 'Origin',
    };
    if (c.req.method === 'OPTIONS') {
      return c.body(null, 204, {
        ...headers,
        'Access-Control-Allow-Methods': 'GET, POST, DELETE, HEAD, OPTIONS',
        'Access-Control-Allow-Headers': MCP_ALLOW_HEADERS,
        'Access-Control-Max-Age': '600',
      });
    }
    await next();
    // Set on the finished response itself: `c.header()` after the handler copies the whole
    // Response once per header (and takes @hono/node-server off its fast path).
    try {
      const target = c.res.headers;
      for (const [name, value] of Object.entries(headers)) target.set(name, value);
    } catch {
      for (const [name, value] of Object.entries(headers)) c.header(name, value);
    }
  };
}

function isLoopbackOrigin(origin: string): boolean {
  try {
    return isLoopbackHost(new URL(origin).hostname);
  } catch {
    return false;
  }
}
