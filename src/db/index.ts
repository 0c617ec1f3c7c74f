import type sql from 'mssql';
import { assembleCatalog } from './catalog.ts';
import {
  COLUMNS_SQL,
  DATABASE_NAME_SQL,
  DESCRIPTIONS_SQL,
  FOREIGN_KEYS_SQL,
  INDEXES_SQL,
  OBJECTS_SQL,
  PING_SQL,
  PRIVILEGES_SQL,
  ROW_COUNTS_SQL,
} from './catalog-queries.ts';
import { DbError, toDbError } from './errors.ts';
import { executeReadOnly } from './execute.ts';
import { createPoolHolder, type PoolOptions } from './pool.ts';
import { privilegeReport } from './privileges.ts';
import { createSlots } from './slots.ts';
import type { Catalog, Db } from './types.ts';

export { DbError } from './errors.ts';
export { SESSION_CONTEXT_KEYS } from './session-context.ts';
export type { SessionIdentity } from './session-context.ts';
export { withIdentity } from './with-identity.ts';
export type { DbErrorCode } from './errors.ts';

export interface DbOptions extends PoolOptions {
  /** Queries in flight at most; more wait up to `busyWaitMs`, then fail with `BUSY`. */
  maxConcurrent: number;
  /** `SET LOCK_TIMEOUT` for every query: a reader never waits long behind a writer's locks. */
  lockTimeoutMs: number;
  /** How long a query waits for a free slot before `BUSY` (default 2000). */
  busyWaitMs?: number | undefined;
  /** How long the catalog is reused before it is read again (default 5 minutes). */
  catalogTtlMs?: number | undefined;
  /** Timeout of catalog, ping and privilege statements (default 15000). */
  metaTimeoutMs?: number | undefined;
  now?: (() => number) | undefined;
  /** Longest cell a research query keeps, in UTF-8 bytes (MAX_CELL_BYTES); unset = unbounded. */
  maxCellBytes?: number | undefined;
  /** Bytes of rows a research query keeps before it stops reading (MAX_RESULT_BYTES); unset = unbounded. */
  maxResultBytes?: number | undefined;
  /**
   * MSSQL_SESSION_CONTEXT: every borrowed connection is reset, and a query's `identity` is set as
   * read-only `SESSION_CONTEXT` keys in its batch (src/db/session-context.ts).
   */
  sessionContext?: boolean | undefined;
}

/**
 * The connector's database: one lazily connected `mssql` pool. `query` is read-only by
 * construction (rolled-back transaction, lock timeout, row cap, server-side cancel); the catalog is
 * cached for `catalogTtlMs`; nothing here ever throws anything but `DbError`.
 */
export function createDb(options: DbOptions): Db {
  const holder = createPoolHolder(options);
  const slots = createSlots(options.maxConcurrent);
  const busyWaitMs = options.busyWaitMs ?? 2_000;
  const catalogTtlMs = options.catalogTtlMs ?? 300_000;
  const metaTimeoutMs = options.metaTimeoutMs ?? 15_000;
  const now = options.now ?? Date.now;
  let cached: Catalog | undefined;
  let loading: Promise<Catalog> | undefined;

  const withSlot = async <T>(work: (pool: sql.ConnectionPool) => Promise<T>, signal?: AbortSignal): Promise<T> => {
    const release = await slots.acquire(busyWaitMs, signal);
    try {
      return await work(await holder.get());
    } catch (err) {
      throw toDbError(err);
    } finally {
      release();
    }
  };

  const rowsOf = async (pool: sql.ConnectionPool, text: string): Promise<Record<string, unknown>[]> => {
    const result = await executeReadOnly(pool, text, [], {
      maxRows: 1_000_000,
      timeoutMs: metaTimeoutMs,
      lockTimeoutMs: options.lockTimeoutMs,
      sessionContext: options.sessionContext,
    });
    return result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c.name, row[i]])));
  };

  const loadCatalog = (): Promise<Catalog> =>
    withSlot(async (pool) => {
      const database = (await rowsOf(pool, DATABASE_NAME_SQL))[0]?.database_name;
      return assembleCatalog(
        {
          database: typeof database === 'string' ? database : options.database,
          objects: await rowsOf(pool, OBJECTS_SQL),
          columns: await rowsOf(pool, COLUMNS_SQL),
          indexes: await rowsOf(pool, INDEXES_SQL),
          foreignKeys: await rowsOf(pool, FOREIGN_KEYS_SQL),
          descriptions: await rowsOf(pool, DESCRIPTIONS_SQL),
          rowCounts: await rowsOf(pool, ROW_COUNTS_SQL),
        },
        now(),
      );
    });

  return {
    query(text, params, queryOptions) {
      const bounds = {
        ...(options.maxCellBytes === undefined ? {} : { maxCellBytes: options.maxCellBytes }),
        ...(options.maxResultBytes === undefined ? {} : { maxBytes: options.maxResultBytes }),
      };
      return withSlot(
        (pool) =>
          executeReadOnly(pool, text, params, {
            ...bounds,
            ...queryOptions,
            lockTimeoutMs: options.lockTimeoutMs,
            sessionContext: options.sessionContext,
          }),
        queryOptions.signal,
      );
    },
    async catalog(catalogOptions) {
      if (!catalogOptions?.refresh && cached && now() - cached.loadedAt < catalogTtlMs) return cached;
      loading ??= loadCatalog()
        .then((c) => (cached = c))
        .finally(() => (loading = undefined));
      return loading;
    },
    async ping() {
      const started = performance.now();
      const limitMs = Math.min(metaTimeoutMs, 5_000);
      let timer: NodeJS.Timeout | undefined;
      try {
        // Bounded as a whole: a health check must answer even while a connect attempt hangs.
        const deadline = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new DbError('DB_UNAVAILABLE', `The database did not answer within ${limitMs} ms.`)), limitMs);
        });
        const probe = holder.get().then((pool) =>
          executeReadOnly(pool, PING_SQL, [], {
            maxRows: 1,
            timeoutMs: limitMs,
            lockTimeoutMs: options.lockTimeoutMs,
            sessionContext: options.sessionContext,
          }),
        );
        probe.catch(() => {});
        await Promise.race([probe, deadline]);
        return { ok: true, latencyMs: performance.now() - started, pool: holder.stats() };
      } catch (err) {
        const e = toDbError(err);
        return { ok: false, latencyMs: performance.now() - started, pool: holder.stats(), error: `${e.code}: ${e.message}` };
      } finally {
        clearTimeout(timer);
      }
    },
    async checkPrivileges() {
      const rows = await withSlot((pool) => rowsOf(pool, PRIVILEGES_SQL));
      return privilegeReport(rows);
    },
    usage() {
      const pool = holder.stats();
      return { inUse: slots.inUse, waiting: slots.waiting, poolSize: pool.size, poolBorrowed: pool.borrowed };
    },
    close: () => holder.close(),
  };
}

/** True when `err` is a `DbError` with one of `codes`. */
export function isDbError(err: unknown, ...codes: DbError['code'][]): err is DbError {
  return err instanceof DbError && (codes.length === 0 || codes.includes(err.code));
}
