import type { MiddlewareHandler } from 'hono';
import { AppError } from '../errors.ts';
import type { AppEnv } from './context.ts';

/** Decides whether one more request under `key` fits; `retryAfterSeconds` when it does not. */
export interface RateLimiter {
  take(key: string): { ok: true } | { ok: false; retryAfterSeconds: number };
}

export interface RateLimiterOptions {
  perMinute: number;
  now?: () => number;
  /** Buckets kept at most; idle full buckets are dropped first. */
  maxKeys?: number;
}

/**
 * Token buckets in memory: each key may burst `perMinute` requests and refills at perMinute/60
 * per second. Per process: behind several replicas each enforces its own share, which is the
 * usual trade-off for a limiter without shared state.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const capacity = options.perMinute;
  const refillPerMs = capacity / 60_000;
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? 50_000;
  const buckets = new Map<string, { tokens: number; at: number }>();

  const prune = (time: number): void => {
    for (const [key, bucket] of buckets) {
      if (bucket.tokens + (time - bucket.at) * refillPerMs >= capacity) buckets.delete(key);
    }
    // Still too many active keys: drop the oldest (Map keeps insertion order).
    for (const key of buckets.keys()) {
      if (buckets.size < maxKeys) break;
      buckets.delete(key);
    }
  };

  return {
    take(key) {
      const time = now();
      let bucket = buckets.get(key);
      if (!bucket) {
        if (buckets.size >= maxKeys) prune(time);
        bucket = { tokens: capacity, at: time };
        buckets.set(key, bucket);
      }
      bucket.tokens = Math.min(capacity, bucket.tokens + (time - bucket.at) * refillPerMs);
      bucket.at = time;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { ok: true };
      }
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000)) };
    },
  };
}

/**
 * Rate limits by client address, or by principal once authenticated (`by: 'principal'`;
 * anonymous callers are covered by the address bucket). Preflight and HEAD probes are free.
 * Over the limit: 429, `Retry-After` in seconds, JSON body.
 */
export function rateLimit(limiter: RateLimiter, by: 'ip' | 'principal'): MiddlewareHandler<AppEnv> {
  return async function rateLimitMiddleware(c, next) {
    if (c.req.method === 'OPTIONS' || c.req.method === 'HEAD') return next();
    let key: string | undefined;
    if (by === 'ip') key = `ip:${c.get('clientIp')}`;
    else {
      const principal = c.get('principal');
      if (principal && principal.kind !== 'anonymous') key = `principal:${principal.id}`;
    }
    if (key !== undefined) {
      const verdict = limiter.take(key);
      if (!verdict.ok) {
        throw new AppError('RATE_LIMITED', 429, `Too many requests; retry after ${verdict.retryAfterSeconds} s.`, {
          headers: { 'Retry-After': String(verdict.retryAfterSeconds) },
        });
      }
    }
    await next();
  };
}
