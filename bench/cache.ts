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
}

/** The goal: through Redis, a cached fetch costs at most this much more at p50. */
export const CACHE_GOAL_MS = 1;

/**
 * Benchmark 6: what keeping result sets in Redis (shared by replicas) costs a cached `fetch`,
 * against the in-process cache: one server of each kind, the same result set cached on each,
 * fetched one call at a time in alternating order so drift touches both alike.
 */
export async function benchmarkCachedFetch(options: { inProcess: McpCaller; redis: McpCaller; warmup: number; iterations: number }): Promise<CacheLatencyResult> {
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

export function cacheRows(result: CacheLatencyResult): Row[] {
  return [
    { metric: 'fetch(result:…) p50', measured: ms(result.redis.p50), baseline: ms(result.inProcess.p50), ratio: `+${ms(result.addedP50Ms)}`, goal: `<= +${CACHE_GOAL_MS} ms`, verdict: verdict(result.addedP50Ms <= CACHE_GOAL_MS) },
    { metric: 'fetch(result:…) p99', measured: ms(result.redis.p99), baseline: ms(result.inProcess.p99), ratio: `+${ms(result.redis.p99 - result.inProcess.p99)}` },
  ];
}
