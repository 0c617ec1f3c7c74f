import { randomBytes } from 'node:crypto';
import { createCache } from '../../src/cache/index.ts';
import { loadConfig } from '../../src/config.ts';
import { createDb } from '../../src/db/index.ts';
import type { Db } from '../../src/db/types.ts';
import { createResearch, type CachedResult } from '../../src/research/index.ts';
import type { Research, ResearchContext } from '../../src/research/types.ts';
import { createGuard } from '../../src/sql-guard/index.ts';
import { databaseEnv, type TestDatabase } from '../../tests/helpers/database.ts';

/** One search as the evaluation sees it: the ranked ids, or the error code, and the wall time. */
export interface SearchRun {
  ids: string[];
  ms: number;
  error?: string | undefined;
  truncated?: boolean | undefined;
}

export interface Connector {
  db: Db;
  search(query: string): Promise<SearchRun>;
  close(): Promise<void>;
}

/**
 * The connector's research layer built the way `startServer` (src/index.ts) builds it, from a
 * `Config` parsed by the real `loadConfig` — the process environment (so SEARCH_* or limit
 * variables can be tried) over the database settings of the reader login — and searched the
 * way the MCP `search` tool calls it: `research.search(query, { principal, publicBase })`.
 */
export function createConnector(database: TestDatabase): Connector {
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: 'error',
    ...databaseEnv(database, database.reader),
    MCP_API_KEY: randomBytes(18).toString('base64url'),
  });
  const db = createDb({
    ...config.mssql,
    poolMax: config.limits.maxConcurrentQueries + 2,
    connectTimeoutMs: 15_000,
    appName: 'mssql-deep-research-eval',
    maxConcurrent: config.limits.maxConcurrentQueries,
    lockTimeoutMs: Math.min(5_000, config.limits.queryTimeoutMs),
  });
  const research: Research = createResearch({
    db,
    guard: createGuard({
      maxLength: config.limits.maxSqlLength,
      rowCap: config.limits.maxSearchResults,
      denySchemas: config.policy.denySchemas,
      denyTables: config.policy.denyTables,
      allowTables: config.policy.allowTables,
    }),
    cache: createCache<CachedResult>({
      ttlMs: config.cache.ttlSeconds * 1000,
      maxEntries: config.cache.maxEntries,
      maxBytes: config.cache.maxBytes,
    }),
    limits: {
      maxResults: config.limits.maxSearchResults,
      maxResultBytes: config.limits.maxResultBytes,
      queryTimeoutMs: config.limits.queryTimeoutMs,
    },
  });
  const ctx: ResearchContext = { principal: 'search-eval', publicBase: 'http://127.0.0.1/eval' };
  return {
    db,
    async search(query) {
      const started = performance.now();
      const outcome = await research.search(query, ctx);
      const ms = performance.now() - started;
      if (!outcome.ok) return { ids: [], ms, error: outcome.code };
      return { ids: outcome.value.results.map((r) => r.id), ms, truncated: outcome.value.truncated };
    },
    close: () => db.close(),
  };
}
