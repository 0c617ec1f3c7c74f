import sql from 'mssql';
import { createDb } from '../src/db/index.ts';
import { createGuard } from '../src/sql-guard/index.ts';
import type { McpCaller } from './mcp-client.ts';
import type { Summary } from './stats.ts';
import { summarize } from './stats.ts';

/** Where the raw-driver baseline connects: the same database and login the connector uses. */
export interface RawTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
}

export interface LatencyOptions {
  caller: McpCaller;
  target: RawTarget;
  /** The server's MAX_SEARCH_RESULTS (the guard's row cap, so the db layer runs the connector's SQL). */
  rowCap: number;
  warmup: number;
  iterations: number;
  /** The server process's CPU clock (ms), for the server's CPU per search. */
  serverCpuMs?: () => Promise<number>;
}

export interface LatencyResult {
  query: string;
  iterations: number;
  /** `search` through HTTP + auth + MCP + guard + research + db layer, in the server process. */
  connector: Summary;
  /** The same SQL through the raw `mssql` driver on a pool of its own: the baseline. */
  raw: Summary;
  /** Breakdown (informational): the guard's SQL through the connector's db layer in this process (rolled-back transaction, lock timeout, slots). */
  dbLayer: Summary;
  /** Breakdown (informational): a JSON-RPC `ping` through HTTP + auth + MCP transport, no tool, no database. */
  mcpPing: Summary;
  /** Mean server-process CPU (ms) per `search`, read around each measured call (informational). */
  serverCpuMsPerSearch?: number;
  addedP50Ms: number;
  addedP99Ms: number;
  /** connector p50 / raw p50. */
  ratioP50: number;
}

/** The benchmarked query; `id` varies so neither side answers one memoised statement. */
export function latencyQuery(id: number): string {
  return `SELECT TOP 10 OrderID, Total FROM sales.Orders WHERE OrderID = ${id}`;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

/**
 * Benchmark 1: latency the connector adds to one `search` SQL call. Every path runs one call at
 * a time on the same sandbox, and each iteration runs all of them in a rotating order, so drift
 * (JIT, GC, the sandbox warming its caches, other load on the machine) touches all alike. The raw
 * baseline is a pool of the real `mssql` driver with the connector's own TLS setting.
 */
export async function benchmarkLatency(options: LatencyOptions): Promise<LatencyResult> {
  const { target } = options;
  const pool = new sql.ConnectionPool({
    server: target.host,
    port: target.port,
    database: target.database,
    user: target.user,
    password: target.password,
    options: { encrypt: true, trustServerCertificate: true },
    pool: { min: 1, max: 2 },
  });
  const db = createDb({
    ...target,
    encrypt: true,
    trustServerCertificate: true,
    poolMax: 2,
    connectTimeoutMs: 15_000,
    appName: 'mssql-deep-research-bench',
    maxConcurrent: 1,
    lockTimeoutMs: 5_000,
  });
  const guard = createGuard({ maxLength: 20_000, rowCap: options.rowCap, denySchemas: [], denyTables: [] });
  await pool.connect();
  try {
    const paths = {
      connector: (id: number) => timed(() => options.caller.callTool('search', { query: latencyQuery(id) })),
      raw: (id: number) =>
        timed(async () => {
          const result = await pool.request().query(latencyQuery(id));
          if (result.recordset.length !== 1) throw new Error(`raw driver: expected 1 row for order ${id}`);
        }),
      dbLayer: (id: number) =>
        timed(async () => {
          const verdict = guard.check(latencyQuery(id));
          if (!verdict.ok) throw new Error(`guard refused the benchmark query: ${verdict.reason}`);
          const result = await db.query(verdict.sql, [], { maxRows: options.rowCap, timeoutMs: 15_000 });
          if (result.rows.length !== 1) throw new Error(`db layer: expected 1 row for order ${id}`);
        }),
      mcpPing: () => timed(() => options.caller.ping()),
    };
    const names = Object.keys(paths) as (keyof typeof paths)[];
    const samples = { connector: [] as number[], raw: [] as number[], dbLayer: [] as number[], mcpPing: [] as number[] };
    const total = options.warmup + options.iterations;
    let serverCpu = 0;
    for (let i = 0; i < total; i += 1) {
      const id = 1 + ((i * 7919) % 1000);
      const measured = i >= options.warmup;
      for (let k = 0; k < names.length; k += 1) {
        const name = names[(i + k) % names.length] as keyof typeof paths;
        const cpuBefore = measured && name === 'connector' ? await options.serverCpuMs?.() : undefined;
        const ms = await paths[name](id);
        if (cpuBefore !== undefined) serverCpu += ((await options.serverCpuMs?.()) ?? cpuBefore) - cpuBefore;
        if (measured) samples[name].push(ms);
      }
    }
    const c = summarize(samples.connector);
    const r = summarize(samples.raw);
    return {
      query: latencyQuery(0).replace(/= 0$/, '= <1..1000>'),
      iterations: options.iterations,
      connector: c,
      raw: r,
      dbLayer: summarize(samples.dbLayer),
      mcpPing: summarize(samples.mcpPing),
      ...(options.serverCpuMs ? { serverCpuMsPerSearch: serverCpu / options.iterations } : {}),
      addedP50Ms: c.p50 - r.p50,
      addedP99Ms: c.p99 - r.p99,
      ratioP50: c.p50 / r.p50,
    };
  } finally {
    await pool.close();
    await db.close();
  }
}
