import type { Config } from './config.ts';
import { DbError } from './db/errors.ts';
import type { Db, PrivilegeReport } from './db/types.ts';
import { StartupError } from './errors.ts';
import type { Logger } from './logger.ts';
import { readerLoginAdvice } from './startup-check.ts';

/** Where the database stands for this process: queries run only once `ready`. */
export type DbGateState =
  | { ready: true; report: PrivilegeReport }
  | { ready: false; code: 'DB_UNAVAILABLE' | 'WRITABLE_LOGIN'; reason: string; login?: string };

export interface DbGateOptions {
  db: Db;
  config: Pick<Config, 'mssql'>;
  logger: Logger;
  /** First and longest pause between privilege checks (default 500 ms → 15 s, doubling). */
  minDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * The database readiness gate: the startup privilege check, run in the background until it
 * passes, so the connector serves `/health` (503 with the reason), discovery and sign-in while SQL
 * Server is away, and turns healthy by itself when it answers. A login that can write (without
 * ALLOW_WRITABLE_LOGIN) never serves a query: it keeps the gate closed and is checked again at the
 * longest interval, so fixing its grants is enough. `db` is the gated Db research must use.
 */
export interface DbGate {
  state(): DbGateState;
  /** The Db with `query` and `catalog` refused (`DB_UNAVAILABLE`) until the gate is open, and `ping` reporting the gate. */
  db: Db;
  /** Resolves once the check has an answer (open, or a writable login), or after `timeoutMs` regardless. */
  settled(timeoutMs: number): Promise<DbGateState>;
  /** Stops checking (shutdown). */
  close(): void;
}

const UNREACHABLE = 'database unreachable: the privilege check has not run yet';

export function createDbGate(options: DbGateOptions): DbGate {
  const { db, config, logger } = options;
  const minDelay = options.minDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 15_000;
  let state: DbGateState = { ready: false, code: 'DB_UNAVAILABLE', reason: UNREACHABLE };
  let logged = false;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  const waiters: Array<() => void> = [];

  const check = async (): Promise<void> => {
    try {
      const report = await db.checkPrivileges();
      if (report.canWrite && !config.mssql.allowWritableLogin) {
        if (state.ready || state.code !== 'WRITABLE_LOGIN')
          logger.error('writable_login_refused', { login: report.login, findings: report.findings });
        state = {
          ready: false,
          code: 'WRITABLE_LOGIN',
          reason: `login can write (${report.findings.join('; ')}); queries are refused`,
          login: report.login || config.mssql.user,
        };
      } else {
        if (report.canWrite) logger.warn('writable_login_allowed', { login: report.login, findings: report.findings });
        if (!state.ready) logger.info('database_ready', { login: report.login });
        state = { ready: true, report };
      }
    } catch (error) {
      if (!logged) logger.warn('database_not_ready', { host: config.mssql.host, port: config.mssql.port, error });
      logged = true;
      if (!state.ready && state.code === 'DB_UNAVAILABLE') state = { ready: false, code: 'DB_UNAVAILABLE', reason: 'database unreachable' };
      return;
    }
    for (const done of waiters.splice(0)) done();
  };

  const loop = async (): Promise<void> => {
    for (let delay = minDelay; !closed && !state.ready; delay = Math.min(delay * 2, maxDelay)) {
      await check();
      if (closed || state.ready) break;
      const pause = state.code === 'WRITABLE_LOGIN' ? maxDelay : delay;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, pause);
      });
      wake = undefined;
    }
  };
  void loop();

  const refusal = (): DbError =>
    new DbError(
      'DB_UNAVAILABLE',
      !state.ready && state.code === 'WRITABLE_LOGIN'
        ? 'The connector refuses to run queries: its database login can write. An operator must give it a read-only login.'
        : 'The database is not reachable right now; try again shortly.',
    );

  const gated: Db = {
    query: (sql, params, queryOptions) => (state.ready ? db.query(sql, params, queryOptions) : Promise.reject(refusal())),
    catalog: (catalogOptions) => (state.ready ? db.catalog(catalogOptions) : Promise.reject(refusal())),
    async ping() {
      const health = await db.ping();
      if (state.ready || !health.ok) return health;
      // The server answers again: check the login now rather than at the end of the backoff.
      if (state.code === 'DB_UNAVAILABLE') wake?.();
      return { ...health, ok: false, error: state.reason };
    },
    checkPrivileges: () => db.checkPrivileges(),
    // Counters only, no round trip: what is running is worth seeing whatever the gate says.
    ...(db.usage ? { usage: db.usage.bind(db) } : {}),
    close: () => db.close(),
  };

  return {
    state: () => state,
    db: gated,
    settled(timeoutMs) {
      if (state.ready || state.code === 'WRITABLE_LOGIN') return Promise.resolve(state);
      return new Promise((resolve) => {
        const timeout = setTimeout(() => resolve(state), timeoutMs);
        waiters.push(() => {
          clearTimeout(timeout);
          resolve(state);
        });
      });
    },
    close() {
      closed = true;
      clearTimeout(timer);
      wake?.();
    },
  };
}

/**
 * A writable login found while starting stops the start (exit 1 with the T-SQL to create a
 * reader login), as before; found later — the database was away at start — it keeps the gate shut.
 */
export function refuseWritableAtStart(state: DbGateState, config: Pick<Config, 'mssql'>): void {
  if (state.ready || state.code !== 'WRITABLE_LOGIN') return;
  const findings = state.reason.replace(/^login can write \((.*)\); queries are refused$/, '$1');
  throw new StartupError(
    'WRITABLE_LOGIN',
    `The login ${state.login ?? config.mssql.user} can write (${findings}). Refusing to start.\n${readerLoginAdvice(config.mssql.database)}`,
  );
}
