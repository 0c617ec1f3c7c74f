import type { McpCaller } from './mcp-client.ts';
import { resultIdOf } from './mcp-client.ts';
import type { MemorySample } from './server-protocol.ts';
import { runConcurrent } from './stats.ts';

export interface MemoryOptions {
  caller: McpCaller;
  /** Full-GC memory of the server process. */
  sample: () => Promise<MemorySample>;
  /** Tool calls in all (a quarter searches, the rest fetches from their cached results). */
  calls: number;
  /** A sample is taken after every `every` calls; the first one is the baseline. */
  every: number;
  /** Rows each search returns: the server's MAX_SEARCH_RESULTS. */
  rows: number;
  concurrency: number;
  /** Largest growth (last ÷ baseline) still called flat: heap used is the leak signal; RSS also moves with the allocator and V8's heap reservation. */
  flat: { heapUsed: number; rss: number };
}

export interface MemoryPoint extends MemorySample {
  calls: number;
}

export interface MemoryResult {
  calls: number;
  query: string;
  /** Memory before this benchmark's first call (informational; earlier benchmarks may have run). */
  initial: MemorySample;
  series: MemoryPoint[];
  rssGrowth: number;
  heapGrowth: number;
  flat: boolean;
  seconds: number;
}

/** One search and three fetches from its result. */
const CALLS_PER_UNIT = 4;

/** A wide search: every column of the support tickets (free-text bodies), `rows` of them, from a varying start. */
export function wideQuery(rows: number, after: number): string {
  return `SELECT TOP ${rows} * FROM dbo.SupportTickets WHERE TicketID > ${after} ORDER BY TicketID`;
}

/**
 * Benchmark 4: server memory across many tool calls with large results. Each unit of work is a
 * wide `search` (MAX_SEARCH_RESULTS rows, every column, a different window each time, so each
 * result is new and cached) followed by `fetch`es of its `result:` id (the whole result as one
 * document) and of its first and last `resultrow:` ids, as Deep Research reads what it found;
 * the fetches are served from the cache, which keeps the run short. After every `every` calls
 * the server process runs a full GC and reports RSS and heap; growth is the last sample over the
 * first (taken after `every` calls, when pools, JIT and the bounded result cache have filled).
 */
export async function benchmarkMemory(options: MemoryOptions): Promise<MemoryResult> {
  const started = performance.now();
  const initial = await options.sample();
  const series: MemoryPoint[] = [];
  const unitsPerStep = Math.max(1, Math.floor(options.every / CALLS_PER_UNIT));
  let done = 0;
  let unit = 0;
  while (done < options.calls) {
    const first = unit;
    await runConcurrent(unitsPerStep, options.concurrency, async (index) => {
      const after = ((first + index) * 37) % 2900;
      const content = await options.caller.callTool('search', { query: wideQuery(options.rows, after) });
      const results = content.results as unknown[];
      if (results.length < options.rows) throw new Error(`wide search returned ${results.length} results, expected ≥ ${options.rows}`);
      const id = resultIdOf(content);
      const uuid = id.slice('result:'.length);
      for (const fetchId of [id, `resultrow:${uuid}:1`, `resultrow:${uuid}:${options.rows}`]) {
        const document = await options.caller.callTool('fetch', { id: fetchId });
        if (document.id !== fetchId) throw new Error(`fetch ${fetchId} answered ${String(document.id)}`);
      }
    });
    unit += unitsPerStep;
    done += unitsPerStep * CALLS_PER_UNIT;
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
    flat: rssGrowth <= options.flat.rss && heapGrowth <= options.flat.heapUsed,
    seconds: (performance.now() - started) / 1000,
  };
}
