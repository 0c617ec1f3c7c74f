/**
 * `npm run bench`: the connector's benchmarks, each measured in one run as a ratio to a
 * baseline taken in the same run, on the real parts — the sandbox (or the SQL Server named by
 * MSSQL_TEST_HOST) over real TDS, the real connector in a child process on a free 127.0.0.1
 * port, raw JSON-RPC over HTTP. Results are printed, not asserted, and written to
 * `bench/results/latest.json`.
 *
 * `BENCH_QUICK=1` shrinks every count (a smoke run in well under a minute after the sandbox
 * starts). `BENCH_PROFILE=1` writes the server process's CPU profile to `bench/results/profiles/`.
 * Arguments pick benchmarks: `node bench/run.ts guard memory`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { TestDatabase } from '../tests/helpers/database.ts';
import { databaseEnv, startTestDatabase } from '../tests/helpers/database.ts';
import { startTestRedis } from '../tests/helpers/redis.ts';
import { benchmarkCachedFetch, benchmarkCacheGet, CACHED_QUERY, cacheRows } from './cache.ts';
import { benchmarkGuard } from './guard.ts';
import { benchmarkLatency } from './latency.ts';
import { createMcpCaller, resultIdOf } from './mcp-client.ts';
import { benchmarkMemory } from './memory.ts';
import { formatTable, writeJson } from './report.ts';
import { guardRows, latencyRows, memoryRows, throughputRows } from './rows.ts';
import { startServerProcess } from './server-process.ts';
import { benchmarkSurface, surfaceLines } from './surface.ts';
import { benchmarkThroughput } from './throughput.ts';
import { corpusUrl } from '../tests/helpers/corpus.ts';

const quick = /^(1|true|yes)$/i.test(process.env.BENCH_QUICK ?? '');
const profileDir = /^(1|true|yes)$/i.test(process.env.BENCH_PROFILE ?? '')
  ? new URL('./results/profiles/', import.meta.url).pathname
  : undefined;
const known = ['latency', 'throughput', 'guard', 'memory', 'surface', 'cache'] as const;
type Name = (typeof known)[number];
const asked = process.argv.slice(2).filter((arg): arg is Name => (known as readonly string[]).includes(arg));
const selected = new Set<Name>(asked.length > 0 ? asked : known);

/**
 * Counts for a full run and for BENCH_QUICK=1. `cacheEntries` (the server's CACHE_MAX_ENTRIES) is
 * half the searches of the first memory step, so the bounded cache is full at the baseline.
 */
const COUNTS = quick
  ? {
      latencyWarmup: 50,
      latency: 200,
      roundMs: 1_000,
      warmupMs: 300,
      guardRounds: 6,
      memoryCalls: 2_400,
      memoryEvery: 600,
      cacheEntries: 75,
    }
  : {
      latencyWarmup: 200,
      latency: 1_000,
      roundMs: 3_000,
      warmupMs: 1_000,
      guardRounds: 21,
      memoryCalls: 10_000,
      memoryEvery: 1_000,
      cacheEntries: 125,
    };
const MAX_SEARCH_RESULTS = 50;
const CONCURRENT_CLIENTS = 32;
/** "Memory flat": heap used may grow 10 % after the baseline, RSS 25 % (allocator and V8 reservation noise). */
const FLAT = { heapUsed: 1.1, rss: 1.25 };
/** The corpora the guard and sandbox tests read (tests/helpers/corpus.ts); BENCH_CORPUS_DIR overrides. */
const corpusDir = process.env.BENCH_CORPUS_DIR ?? new URL('.', corpusUrl('tsql-valid.jsonl')).pathname;
const corpus = ['tsql-valid.jsonl', 'tsql-refuse.jsonl'].map((name) => join(corpusDir, name));

const results: Record<string, unknown> = {
  startedAt: new Date().toISOString(),
  loadAverageAtStart: loadavg(),
  node: process.version,
  cpus: { available: availableParallelism(), model: cpus()[0]?.model ?? 'unknown' },
  quick,
  counts: COUNTS,
};
const print = (text: string): void => void process.stdout.write(`${text}\n`);
const load = (): string =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');
print(
  `mssql-deep-research benchmarks — node ${process.version}, ${availableParallelism()} CPUs, load average ${load()}${quick ? ', BENCH_QUICK' : ''}`,
);

if (selected.has('guard') && !corpus.every((file) => existsSync(file))) {
  print(`\n3. Guard: skipped, the corpora are not in ${corpusDir} (set BENCH_CORPUS_DIR)`);
} else if (selected.has('guard')) {
  const guard = benchmarkGuard({ corpusFiles: corpus, rounds: COUNTS.guardRounds });
  results.guard = guard;
  print(
    formatTable(
      `3. Guard per statement (${guard.statements} corpus statements × ${COUNTS.guardRounds - 1} rounds) vs bare node-sql-parser astify`,
      guardRows(guard),
    ),
  );
}

/** The connector's environment for the benchmark servers, on `database`'s reader login. */
function serverEnv(database: TestDatabase, apiKey: string): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    PORT: '0',
    ...databaseEnv(database, database.reader),
    MCP_API_KEY: apiKey,
    // Rate limiting stays in the path, at a ceiling the benchmarks never reach.
    RATE_LIMIT_PER_MINUTE: '1000000',
    MAX_SEARCH_RESULTS: String(MAX_SEARCH_RESULTS),
    // Small enough that the bounded cache is full before the memory baseline (see bench/README.md).
    CACHE_MAX_ENTRIES: String(COUNTS.cacheEntries),
  };
}

/** Benchmark 6: one server with the in-process cache, one with the cache in a local redis-server. */
async function runCacheBenchmark(database: TestDatabase): Promise<void> {
  const apiKey = randomBytes(24).toString('base64url');
  const redis = await startTestRedis({ password: randomBytes(12).toString('hex') });
  const inProcess = await startServerProcess(serverEnv(database, apiKey));
  const shared = await startServerProcess({ ...serverEnv(database, apiKey), STATE_STORE_URL: redis.url }).catch(async (error: unknown) => {
    await inProcess.close();
    throw error;
  });
  try {
    const cache = await benchmarkCachedFetch({
      inProcess: createMcpCaller(`${inProcess.url}/mcp`, apiKey),
      redis: createMcpCaller(`${shared.url}/mcp`, apiKey),
      warmup: COUNTS.latencyWarmup,
      iterations: COUNTS.latency,
    });
    const cached = await createMcpCaller(`${inProcess.url}/mcp`, apiKey).callTool('search', { query: CACHED_QUERY });
    cache.cacheGet = await benchmarkCacheGet({
      redisUrl: redis.url,
      value: cached,
      warmup: COUNTS.latencyWarmup,
      iterations: COUNTS.latency,
    });
    results.cache = cache;
    print(
      formatTable(
        `6. cached fetch latency (${cache.iterations} interleaved rounds, 50-row result): cache in Redis (STATE_STORE_URL) vs in-process`,
        cacheRows(cache),
      ),
    );
  } finally {
    await shared.close();
    await inProcess.close();
    await redis.close();
  }
}

/** Benchmarks 1, 2 and 4: the connector in a child process, on `database`'s reader login. */
async function runServerBenchmarks(database: TestDatabase): Promise<void> {
  const apiKey = randomBytes(24).toString('base64url');
  const env = serverEnv(database, apiKey);
  const server = await startServerProcess(env, profileDir === undefined ? {} : { profileDir });
  try {
    results.server = {
      pid: server.pid,
      maxSearchResults: MAX_SEARCH_RESULTS,
      cacheMaxEntries: COUNTS.cacheEntries,
      database: database.kind,
    };
    const caller = createMcpCaller(`${server.url}/mcp`, apiKey);
    const serverCpuMs = (): Promise<number> => server.cpuMs();

    if (selected.has('surface')) {
      const surface = await benchmarkSurface(`${server.url}/mcp`, apiKey);
      results.surface = surface;
      print(
        `\n5. tool surface (bytes a model reads in every conversation)\n${surfaceLines(surface)
          .map((line) => `  ${line}`)
          .join('\n')}`,
      );
    }

    if (selected.has('latency')) {
      const latency = await benchmarkLatency({
        caller,
        target: { host: database.host, port: database.port, database: database.database, ...database.reader },
        rowCap: MAX_SEARCH_RESULTS,
        serverCpuMs,
        warmup: COUNTS.latencyWarmup,
        iterations: COUNTS.latency,
      });
      results.latency = latency;
      print(
        formatTable(
          `1. search SQL latency (${latency.iterations} interleaved rounds): connector over HTTP+MCP vs raw mssql driver`,
          latencyRows(latency),
        ),
      );
    }

    if (selected.has('throughput')) {
      const search = await caller.callTool('search', {
        query: 'SELECT TOP 10 OrderID, CustomerID, OrderDate, Status, Total FROM sales.Orders ORDER BY OrderID',
      });
      const throughput = await benchmarkThroughput({
        caller,
        healthzUrl: `${server.url}/healthz`,
        resultId: resultIdOf(search),
        concurrency: CONCURRENT_CLIENTS,
        serverCpuMs,
        roundMs: COUNTS.roundMs,
        warmupMs: COUNTS.warmupMs,
      });
      results.throughput = throughput;
      print(
        formatTable(
          `2. cached fetch throughput, ${CONCURRENT_CLIENTS} concurrent clients, vs /healthz on the same server`,
          throughputRows(throughput),
        ),
      );
    }

    if (selected.has('memory')) {
      const memory = await benchmarkMemory({
        caller,
        sample: () => server.memory(),
        calls: COUNTS.memoryCalls,
        every: COUNTS.memoryEvery,
        rows: MAX_SEARCH_RESULTS,
        concurrency: 4,
        flat: FLAT,
      });
      results.memory = memory;
      print(
        formatTable(
          `4. server memory after full GC over ${memory.calls} tool calls (1 wide search : 3 cached fetches), vs after the first ${COUNTS.memoryEvery}`,
          memoryRows(memory, FLAT),
        ),
      );
    }
  } finally {
    await server.close();
  }
}

if (selected.has('latency') || selected.has('throughput') || selected.has('memory') || selected.has('surface') || selected.has('cache')) {
  const startedDb = performance.now();
  const database = await startTestDatabase();
  print(`\n${database.kind} ready on ${database.host}:${database.port} in ${((performance.now() - startedDb) / 1000).toFixed(1)} s`);
  try {
    if (selected.has('latency') || selected.has('throughput') || selected.has('memory') || selected.has('surface'))
      await runServerBenchmarks(database);
    if (selected.has('cache')) await runCacheBenchmark(database);
  } finally {
    await database.close();
  }
}

results.finishedAt = new Date().toISOString();
results.loadAverageAtEnd = loadavg();
print(`\nload average at the end: ${load()} (on ${availableParallelism()} CPUs; above that, other processes competed for the CPUs)`);
const file = new URL('./results/latest.json', import.meta.url);
writeJson(file, results);
print(`\nresults written to ${file.pathname}`);
