import type { McpCaller } from './mcp-client.ts';
import { resultIdOf } from './mcp-client.ts';
import type { MemorySample } from './server-protocol.ts';
import { runConcurrent } from './stats.ts';

export interface MemoryOptions {
  caller: McpCaller;
  /** Full-GC memory of the server process. */
  sample: () => Promise<MemorySample>;
  /** Tool calls in all (half searches, half fetches of their result ids). */
  calls: number;
  /** A sample is taken after every `every` calls; the first one is the baseline. */
  every: number;
  /** Rows each search returns: the server's MAX_SEARCH_RESULTS. */
  rows: number;
  concurrency: number;
  /** Above this growth (last ÷ baseline) the series is not called flat. */
  flatRatio: number;
}

export interface MemoryPoint extends MemorySample {
  calls: number;
}

export interface MemoryResult {
  calls: number;
  query: string;
  /** Memory right after startup, before any call (informational). */
  initial: MemorySample;
  series: MemoryPoint[];
  rssGrowth: number;
  heapGrowth: number;
  flat: boolean;
  seconds: number;
}

/** A wide search: every column of the support tickets (free-text bodies), `rows` of them, from a varying start. */
export function wideQuery(rows: number, after: number): string {
  return `SELECT TOP ${rows} * FROM dbo.SupportTickets WHERE TicketID > ${after} ORDER BY TicketID`;
}

/**
 * Benchmark 4: server memory across many tool calls with large results. Each unit of work is a
 * wide `search` (MAX_SEARCH_RESULTS rows, every column, a different window each time, so each
 * result is new and cached) followed by a `fetch` of its `result:` id. After every `every` calls
 * the server process runs a full GC and reports RSS and heap; growth is the last sample over the
 * first (taken after `every` calls, when pools, JIT and the bounded result cache have filled).
 */
export async function benchmarkMemory(options: MemoryOptions): Promise<MemoryResult> {
  const started = performance.now();
  const initial = await options.sample();
  const series: MemoryPoint[] = [];
  const pairsPerStep = Math.max(1, Math.floor(options.every / 2));
  let done = 0;
  let pair = 0;
  while (done < options.calls) {
    const first = pair;
    await runConcurrent(pairsPerStep, options.concurrency, async (index) => {
      const after = ((first + index) * 37) % 2900;
      const content = await options.caller.callTool('search', { query: wideQuery(options.rows, after) });
      const results = content.results as unknown[];
      if (results.length < options.rows) throw new Error(`wide search returned ${results.length} results, expected ≥ ${options.rows}`);
      await options.caller.callTool('fetch', { id: resultIdOf(content) });
    });
    pair += pairsPerStep;
    done += pairsPerStep * 2;
    series.push({ calls: done, ...(await options.sample()) });
  }
  const baseline = series[0] as MemoryPoint;
  const last = series.at(-1) as MemoryPoint;
  const rssGrowth = last.rss / baseline.rss;
  const heapGrowth = last.heapUsed / baseline.heapUsed;
  return {
    calls: done,
    query: wideQuery(options.rows, 0).replace('> 0', '> <window>'),
    initial,
    series,
    rssGrowth,
    heapGrowth,
    flat: rssGrowth <= options.flatRatio && heapGrowth <= options.flatRatio,
    seconds: (performance.now() - started) / 1000,
  };
}
