import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './context.ts';

/**
 * One line per HTTP request: method, path (never the query string, which may carry a session id
 * or a misplaced credential), status, duration, client address and principal; on MCP requests also
 * the protocol version the client spoke (2026-07-28 or a 2025 one) and its W3C trace context. Health probes log
 * at debug so a load balancer polling them does not flood the log.
 */
export function accessLog(): MiddlewareHandler<AppEnv> {
  return async function accessLogMiddleware(c, next) {
    const started = performance.now();
    try {
      await next();
    } finally {
      const path = c.req.path;
      const level = /\/healthz?$/.test(path) ? 'debug' : 'info';
      c.get('logger')[level]('http_request', {
        method: c.req.method,
        path,
        status: c.res.status,
        duration_ms: Math.round((performance.now() - started) * 10) / 10,
        client_ip: c.get('clientIp'),
        principal: c.get('principal')?.id,
        mcp_protocol: c.get('mcpProtocol'),
        traceparent: c.get('traceparent'),
      });
    }
  };
}
