import type { MiddlewareHandler } from 'hono';
import { AppError } from '../errors.ts';
import type { RateLimiter } from '../state/rate-limiter.ts';
import { jsonRpcMessageCount } from './body-limit.ts';
import type { AppEnv } from './context.ts';
import { orUnavailable as counted } from './state-unavailable.ts';

export type { RateLimiter, RateVerdict } from '../state/rate-limiter.ts';

function tooMany(retryAfterSeconds: number): AppError {
  return new AppError('RATE_LIMITED', `Too many requests; retry after ${retryAfterSeconds} s.`, {
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });
}

/**
 * Placed before authentication: refuses a client address that has used up its allowance, and
 * charges the address for every request that fails authentication (400/401/403), so guessing
 * keys or tokens is throttled per address. Successful callers are charged per principal instead
 * (`principalRateLimit`): many users behind one egress address (ChatGPT, the Responses API) do
 * not starve each other. Preflight and HEAD probes are free.
 */
export function addressRateLimit(limiter: RateLimiter): MiddlewareHandler<AppEnv> {
  return async function addressRateLimitMiddleware(c, next) {
    if (c.req.method === 'OPTIONS' || c.req.method === 'HEAD') return next();
    const key = `ip:${c.get('clientIp')}`;
    const state = await counted(limiter.peek(key));
    if (!state.ok) throw tooMany(state.retryAfterSeconds);
    const charge = async (status: number): Promise<void> => {
      if (status === 400 || status === 401 || status === 403) await counted(limiter.take(key));
    };
    try {
      await next();
    } catch (error) {
      if (error instanceof AppError) await charge(error.status).catch(() => {});
      throw error;
    }
    await charge(c.res.status);
  };
}

/**
 * Placed after authentication: one allowance per principal (anonymous callers share their
 * address's), charged one unit per JSON-RPC message, so a batch costs what its messages would
 * separately (`jsonRpcBodyLimit` counts them) and is refused whole when it does not fit. Over the
 * limit: 429, `Retry-After` in seconds, JSON body.
 */
export function principalRateLimit(limiter: RateLimiter): MiddlewareHandler<AppEnv> {
  return async function principalRateLimitMiddleware(c, next) {
    const principal = c.get('principal');
    const key = principal.kind === 'anonymous' ? `ip:${c.get('clientIp')}` : `principal:${principal.id}`;
    const verdict = await counted(limiter.take(key, jsonRpcMessageCount(c)));
    if (!verdict.ok) throw tooMany(verdict.retryAfterSeconds);
    await next();
  };
}
