import sql from 'mssql';
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
  warmup: number;
  iterations: number;
}

export interface LatencyResult {
  query: string;
  iterations: number;
  /** `search` through HTTP + MCP + guard + research + db layer. */
  connector: Summary;
  /** The same SQL through the raw `mssql` driver on a pool of its own. */
  raw: Summary;
  addedP50Ms: number;
  addedP99Ms: number;
  /** connector p50 / raw p50. */
  ratioP50: number;
}

/** The benchmarked query; `id` varies so neither side answers one memoised statement. */
export function latencyQuery(id: number): string {
  return `SELECT TOP 10 OrderID, Total FROM sales.Orders WHERE OrderID = ${id}`;
}

/**
 * Benchmark 1: latency the connector adds to one `search` SQL call. Both sides run the same SQL
 * on the same sandbox, one call at a time, interleaved pairwise with alternating order (ABBA), so
 * drift (JIT, GC, the sandbox warming its caches) touches both alike. The raw baseline is a pool
 * of the real `mssql` driver with the connector's own TLS setting.
 */
export async function benchmarkLatency(options: LatencyOptions): Promise<LatencyResult> {
  const pool = new sql.ConnectionPool({
    server: options.target.host,
    port: options.target.port,
    database: options.target.database,
    user: options.target.user,
    password: options.target.password,
    options: { encrypt: true, trustServerCertificate: true },
    pool: { min: 1, max: 2 },
  });
  await pool.connect();
  try {
    const viaConnector = async (id: number): Promise<number> => {
      const start = performance.now();
      await options.caller.callTool('search', { query: latencyQuery(id) });
      return performance.now() - start;
    };
    const viaDriver = async (id: number): Promise<number> => {
      const start = performance.now();
      const result = await pool.request().query(latencyQuery(id));
      if (result.recordset.length !== 1) throw new Error(`raw driver: expected 1 row for order ${id}`);
      return performance.now() - start;
    };
    const connector: number[] = [];
    const raw: number[] = [];
    const total = options.warmup + options.iterations;
    for (let i = 0; i < total; i += 1) {
      const id = 1 + ((i * 7919) % 1000);
      const measured = i >= options.warmup;
      let a: number;
      let b: number;
      if (i % 2 === 0) {
        a = await viaConnector(id);
        b = await viaDriver(id);
      } else {
        b = await viaDriver(id);
        a = await viaConnector(id);
      }
      if (measured) {
        connector.push(a);
        raw.push(b);
      }
    }
    const c = summarize(connector);
    const r = summarize(raw);
    return {
      query: latencyQuery(0).replace(/= 0$/, '= <1..1000>'),
      iterations: options.iterations,
      connector: c,
      raw: r,
      addedP50Ms: c.p50 - r.p50,
      addedP99Ms: c.p99 - r.p99,
      ratioP50: c.p50 / r.p50,
    };
  } finally {
    await pool.close();
  }
}
