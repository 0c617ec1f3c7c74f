import assert from 'node:assert/strict';
import { createCache } from '../../src/cache/index.ts';
import { createDb, type DbOptions } from '../../src/db/index.ts';
import type { Db } from '../../src/db/types.ts';
import { createResearch, type CachedResult, type ResearchLimits } from '../../src/research/index.ts';
import type { Outcome, Research, ResearchContext } from '../../src/research/types.ts';
import { createGuard } from '../../src/sql-guard/index.ts';
import type { GuardPolicy } from '../../src/sql-guard/types.ts';
import type { Credentials, TestDatabase } from '../helpers/database.ts';

/** A `Db` on the test database for one login, with small, test-friendly limits. */
export function dbFor(database: TestDatabase, login: Credentials, overrides: Partial<DbOptions> = {}): Db {
  return createDb({
    host: database.host,
    port: database.port,
    database: database.database,
    user: login.user,
    password: login.password,
    encrypt: false,
    trustServerCertificate: true,
    poolMax: 10,
    maxConcurrent: 8,
    lockTimeoutMs: 2_000,
    connectTimeoutMs: 5_000,
    appName: 'mssql-deep-research-tests',
    ...overrides,
  });
}

export interface Stack {
  db: Db;
  research: Research;
  ctx: ResearchContext;
}

/** The research layer over a real `Db`, the real guard and the real cache. */
export function researchFor(
  db: Db,
  options: { limits?: Partial<ResearchLimits>; policy?: Partial<GuardPolicy>; principal?: string } = {},
): Stack {
  const limits: ResearchLimits = { maxResults: 20, maxResultBytes: 200_000, queryTimeoutMs: 10_000, ...options.limits };
  const guard = createGuard({ maxLength: 20_000, rowCap: limits.maxResults, denySchemas: [], denyTables: [], ...options.policy });
  const cache = createCache<CachedResult>({ ttlMs: 60_000, maxEntries: 1_000, maxBytes: 50_000_000 });
  const research = createResearch({ db, guard, cache, limits });
  return { db, research, ctx: { principal: options.principal ?? 'test-principal', publicBase: 'https://data.example.test/chatgpt' } };
}

/** The value of a successful outcome; fails the test with the code and message otherwise. */
export function expectOk<T>(outcome: Outcome<T>): T {
  assert.ok(outcome.ok, outcome.ok ? '' : `${outcome.code}: ${outcome.message}`);
  return outcome.value;
}
