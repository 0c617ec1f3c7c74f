import { LRUCache } from 'lru-cache';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { StateStoreError } from './errors.ts';
import type { RedisConnection } from './redis.ts';

export type RateVerdict = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * Decides whether `cost` more units under `key` fit the window (`perMinute` per fixed minute).
 * Asynchronous so the counts can live in Redis and hold across replicas. A store that cannot
 * answer rejects with `StateStoreError` (the caller refuses the request: no per-process fallback).
 */
export interface RateLimiter {
  /** Spends `cost` (default 1) when it fits; a refused request spends nothing. */
  take(key: string, cost?: number): Promise<RateVerdict>;
  /** Is one more unit left under `key`? Spends nothing. */
  peek(key: string): Promise<RateVerdict>;
}

export interface RateLimiterOptions {
  perMinute: number;
  /** Names this limiter's counters apart from other limiters' (e.g. `edge`, `signin`). */
  name: string;
  /** Counters in Redis, shared by every replica; absent = in this process. */
  redis?: Pick<RedisConnection, 'client' | 'cachedGet'>;
  /** Window length (default 60 s); tests shorten it. */
  windowSeconds?: number;
}

/**
 * A `rate-limiter-flexible` limiter (fixed windows; `RateLimiterRedis` counts with one atomic
 * INCR-and-expire script, so replicas share one count) behind the small seam above.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const windowSeconds = options.windowSeconds ?? 60;
  const common = { points: options.perMinute, duration: windowSeconds, keyPrefix: `mdr:rl:${options.name}` };
  const limiter: RateLimiterAbstract = options.redis
    ? new RateLimiterRedis({ ...common, storeClient: options.redis.client, useRedisPackage: true, rejectIfRedisNotReady: true })
    : new RateLimiterMemory(common);
  const refused = (msBeforeNext: number): RateVerdict => ({ ok: false, retryAfterSeconds: Math.max(1, Math.ceil(msBeforeNext / 1000)) });
  const wrap = (error: unknown): never => {
    throw error instanceof StateStoreError ? error : new StateStoreError(undefined, { cause: error });
  };
  const { redis } = options;
  /** Counter keys this process changed within the last seconds (bounded; see peekRedis). */
  const written = new LRUCache<string, true>({ max: 10_000, ttl: 2_000 });
  /**
   * A peek runs before every request and the library's `get` is MULTI GET PTTL EXEC each time; here
   * it is one GET through the client-side cache (no round trip while the count is unchanged, which
   * for an address means: no failed authentication since), and the window's remaining time is
   * asked only to refuse.
   */
  const peekRedis = async (counterKey: string): Promise<RateVerdict> => {
    if (!redis) return { ok: true };
    // A count this process has just changed is read from Redis itself: the cache learns of the
    // change by an invalidation message that may still be on its way (other replicas' changes
    // reach it that way within milliseconds).
    const count = written.has(counterKey) ? await redis.client.get(counterKey).catch(wrap) : await redis.cachedGet(counterKey);
    if (Number(count ?? 0) < options.perMinute) return { ok: true };
    const ttl = await redis.client.pTTL(counterKey).catch(wrap);
    // -2: the window ended (Redis drops the key, and with it the cached count).
    if (ttl === -2) return { ok: true };
    return refused(ttl > 0 ? ttl : windowSeconds * 1000);
  };
  return {
    async take(key, cost = 1) {
      // Never fits: refuse without counting, and tell the caller to wait a whole window.
      if (cost > options.perMinute) return refused(windowSeconds * 1000);
      if (redis) written.set(limiter.getKey(key), true);
      try {
        await limiter.consume(key, cost);
        return { ok: true };
      } catch (outcome) {
        if (!(outcome instanceof RateLimiterRes)) return wrap(outcome);
        // Refused whole: give back what the refused request added, so it spends nothing.
        await limiter.reward(key, cost).catch(wrap);
        return refused(outcome.msBeforeNext);
      }
    },
    async peek(key) {
      if (redis) return peekRedis(limiter.getKey(key));
      const state = await limiter.get(key).catch(wrap);
      if (!state || state.consumedPoints < options.perMinute) return { ok: true };
      return refused(state.msBeforeNext);
    },
  };
}
