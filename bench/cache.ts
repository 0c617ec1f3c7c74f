import { createCache } from '../src/cache/index.ts';
import { createRedisCache } from '../src/cache/redis.ts';
import { createLogger } from '../src/logger.ts';
import { connectRedis } from '../src/state/redis.ts';
import type { McpCaller } from './mcp-client.ts';
import { resultIdOf } from './mcp-client.ts';
import type { Row } from './report.ts';
import { ms, verdict } from './report.ts';
import type { Summary } from './stats.ts';
import { summarize } from './stats.ts';

/** The result set both servers cache: the row cap's worth of orders (a typical Deep Research table). */
export const CACHED_QUERY = 'SELECT TOP 50 OrderID, CustomerID, OrderDate, Status, Total FROM sales.Orders ORDER BY OrderID';

export interface CacheLatencyResult {
  query: string;
  iterations: number;
  /** `fetch(result:…)` on a server with the in-process cache (the default). */
  inProcess: Summary;
  /** The same on a server whose cache lives in Redis (STATE_STORE_URL). */
  redis: Summary;
  addedP50Ms: number;
  /** Breakdown: `Cache.get` of a value that size (the search's answer) in this process, Redis vs lru-cache (no HTTP, no rate limit). */
  cacheGet?: { inProcess: Summary; redis: Summary };
}

/** The goal: through Redis, a cached fetch costs at most this much more at p50. */
export const CACHE_GOAL_MS = 1;

/**
 * Benchmark 6: what keeping result sets in Redis (shared by replicas) costs a cached `fetch`,
 * against the in-process cache: one server of each kind, the same result set cached on each,
 * fetched one call at a time in alternating order so drift touches both alike.
 */
export async function benchmarkCachedFetch(options: {
  inProcess: McpCaller;
  redis: McpCaller;
  warmup: number;
  iterations: number;
}): Promise<CacheLatencyResult> {
  const ids = {
    inProcess: resultIdOf(await options.inProcess.callTool('search', { query: CACHED_QUERY })),
    redis: resultIdOf(await options.redis.callTool('search', { query: CACHED_QUERY })),
  };
  const samples = { inProcess: [] as number[], redis: [] as number[] };
  const order = ['inProcess', 'redis'] as const;
  for (let i = 0; i < options.warmup + options.iterations; i += 1) {
    for (let k = 0; k < order.length; k += 1) {
      const name = order[(i + k) % order.length] as (typeof order)[number];
      const started = performance.now();
      await options[name].callTool('fetch', { id: ids[name] });
      if (i >= options.warmup) samples[name].push(performance.now() - started);
    }
  }
  const inProcess = summarize(samples.inProcess);
  const redis = summarize(samples.redis);
  return { query: CACHED_QUERY, iterations: options.iterations, inProcess, redis, addedP50Ms: redis.p50 - inProcess.p50 };
}

/**
 * The cache's own share of the difference: `get` of one value as large as the benchmark's result
 * set (the search answer that produced it) through the Redis cache
 * (one script round trip + JSON.parse) and through lru-cache, alternating, in this process.
 */
export async function benchmarkCacheGet(options: {
  redisUrl: string;
  value: unknown;
  warmup: number;
  iterations: number;
}): Promise<{ inProcess: Summary; redis: Summary }> {
  const connection = connectRedis({ url: options.redisUrl, logger: createLogger({ level: 'silent' }) });
  try {
    if (!(await connection.ready(5_000))) throw new Error(`bench redis not ready: ${connection.health().error}`);
    const bounds = { ttlMs: 600_000, maxEntries: 100, maxBytes: 64 * 1024 * 1024 };
    const caches = {
      inProcess: createCache<{}>(bounds),
      redis: createRedisCache<{}>({ ...bounds, redis: connection, prefix: 'bench:cache:' }),
    };
    const bytes = Buffer.byteLength(JSON.stringify(options.value));
    for (const cache of Object.values(caches)) await cache.set('bench', 'k', options.value as {}, bytes);
    const samples = { inProcess: [] as number[], redis: [] as number[] };
    for (let i = 0; i < options.warmup + options.iterations; i += 1) {
      for (const name of i % 2 === 0 ? (['inProcess', 'redis'] as const) : (['redis', 'inProcess'] as const)) {
        const started = performance.now();
        if ((await caches[name].get('bench', 'k')) === undefined) throw new Error(`${name} cache lost the value`);
        if (i >= options.warmup) samples[name].push(performance.now() - started);
      }
    }
    return { inProcess: summarize(samples.inProcess), redis: summarize(samples.redis) };
  } finally {
    await connection.close();
  }
}

export function cacheRows(result: CacheLatencyResult): Row[] {
  const breakdown: Row[] = result.cacheGet
    ? [
        {
          metric: 'Cache.get only, p50 (breakdown)',
          measured: ms(result.cacheGet.redis.p50),
          baseline: ms(result.cacheGet.inProcess.p50),
          ratio: `+${ms(result.cacheGet.redis.p50 - result.cacheGet.inProcess.p50)}`,
        },
      ]
    : [];
  return [
    {
      metric: 'fetch(result:…) p50',
      measured: ms(result.redis.p50),
      baseline: ms(result.inProcess.p50),
      ratio: `+${ms(result.addedP50Ms)}`,
      goal: `<= +${CACHE_GOAL_MS} ms`,
      verdict: verdict(result.addedP50Ms <= CACHE_GOAL_MS),
    },
    {
      metric: 'fetch(result:…) p99',
      measured: ms(result.redis.p99),
      baseline: ms(result.inProcess.p99),
      ratio: `+${ms(result.redis.p99 - result.inProcess.p99)}`,
    },
    ...breakdown,
  ];
}
