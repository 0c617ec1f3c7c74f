import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../logger.ts';
import type { AppEnv } from './context.ts';

/**
 * Gives every request an id (`X-Request-Id` on the response, `request_id` on every log line and
 * error body) and a child logger carrying it. Client-sent ids are not trusted: they would let a
 * caller forge or collide audit lines.
 */
export function requestContext(logger: Logger, newId: () => string = randomUUID): MiddlewareHandler<AppEnv> {
  return async function requestContextMiddleware(c, next) {
    const id = newId();
    c.set('requestId', id);
    c.set('logger', logger.child({ request_id: id }));
    c.header('X-Request-Id', id);
    await next();
  };
}
