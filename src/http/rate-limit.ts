import type { MiddlewareHandler } from 'hono';
import { AppError } from '../errors.ts';
import { jsonRpcMessageCount } from './body-limit.ts';
import type { AppEnv } from './context.ts';

/** Decides whether one more request under `key` fits; `retryAfterSeconds` when it does not. */
export interface RateLimiter {
  /** Spends `cost` tokens (default 1) when that many are left. */
  take(key: string, cost?: number): RateVerdict;
  /** Like `take` without spending: is there a token left? */
  peek(key: string): RateVerdict;
}

export type RateVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

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

  const refill = (key: string, time: number): { tokens: number; at: number } => {
    let bucket = buckets.get(key);
    if (!bucket) {
      if (buckets.size >= maxKeys) prune(time);
      bucket = { tokens: capacity, at: time };
      buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(capacity, bucket.tokens + (time - bucket.at) * refillPerMs);
    bucket.at = time;
    return bucket;
  };
  // A cost above the capacity can never fit; it waits as long as a full refill.
  const verdict = (tokens: number, cost = 1): RateVerdict => {
    const needed = Math.min(cost, capacity);
    if (cost <= capacity && tokens >= cost) return { ok: true };
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(Math.max(needed - tokens, 1e-9) / refillPerMs / 1000)) };
  };

  return {
    take(key, cost = 1) {
      const bucket = refill(key, now());
      const result = verdict(bucket.tokens, cost);
      if (result.ok) bucket.tokens -= cost;
      return result;
    },
    peek(key) {
      const bucket = buckets.get(key);
      if (!bucket) return { ok: true };
      return verdict(Math.min(capacity, bucket.tokens + (now() - bucket.at) * refillPerMs));
    },
  };
}

function tooMany(retryAfterSeconds: number): AppError {
  return new AppError('RATE_LIMITED', 429, `Too many requests; retry after ${retryAfterSeconds} s.`, {
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });
}

/**
 * Placed before authentication: refuses a client address that has used up its bucket, and
 * charges the address for every request that fails authentication (400/401/403), so guessing
 * keys or tokens is throttled per address. Successful callers are charged per principal instead
 * (`principalRateLimit`): many users behind one egress address (ChatGPT, the Responses API) do
 * not starve each other. Preflight and HEAD probes are free.
 */
export function addressRateLimit(limiter: RateLimiter): MiddlewareHandler<AppEnv> {
  return async function addressRateLimitMiddleware(c, next) {
    if (c.req.method === 'OPTIONS' || c.req.method === 'HEAD') return next();
    const key = `ip:${c.get('clientIp')}`;
    const state = limiter.peek(key);
    if (!state.ok) throw tooMany(state.retryAfterSeconds);
    const charge = (status: number): void => {
      if (status === 400 || status === 401 || status === 403) limiter.take(key);
    };
    try {
      await next();
    } catch (error) {
      if (error instanceof AppError) charge(error.status);
      throw error;
    }
    charge(c.res.status);
  };
}

/**
 * Placed after authentication: one bucket per principal (anonymous callers share their address's
 * bucket), charged one token per JSON-RPC message, so a batch costs what its messages would
 * separately (`jsonRpcBodyLimit` counts them). Over the limit: 429, `Retry-After` in seconds, JSON body.
 */
export function principalRateLimit(limiter: RateLimiter): MiddlewareHandler<AppEnv> {
  return async function principalRateLimitMiddleware(c, next) {
    const principal = c.get('principal');
    const key = principal.kind === 'anonymous' ? `ip:${c.get('clientIp')}` : `principal:${principal.id}`;
    const verdict = limiter.take(key, jsonRpcMessageCount(c));
    if (!verdict.ok) throw tooMany(verdict.retryAfterSeconds);
    await next();
  };
}
