import sql from 'mssql';
import { driverAuthentication, type MssqlAuth } from './auth.ts';
import { toDbError, type DbError } from './errors.ts';

/** Connection settings; the password stays inside the driver config and is never logged or echoed. */
export interface PoolOptions {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  encrypt: boolean;
  trustServerCertificate: boolean;
  poolMax: number;
  connectTimeoutMs: number;
  appName: string;
  /** How the connector logs in (MSSQL_AUTH); default SQL authentication with user and password. */
  auth?: MssqlAuth | undefined;
  /** ApplicationIntent=ReadOnly (MSSQL_READ_ONLY_INTENT): routed to a readable secondary of an availability group. */
  readOnlyIntent?: boolean | undefined;
  /** A named instance (MSSQL_INSTANCE): its port is asked from SQL Browser (UDP 1434); `port` is then ignored. */
  instanceName?: string | undefined;
  /** Background failures of idle connections (already classified, secret-free message). */
  onError?: ((err: DbError) => void) | undefined;
}

/** A lazily connected pool that tries again on the next call after a failed connect. */
export interface PoolHolder {
  get(): Promise<sql.ConnectionPool>;
  stats(): { size: number; available: number; borrowed: number; pending: number };
  close(): Promise<void>;
}

/**
 * Creates the pool holder. Nothing connects until the first `get()`; concurrent callers share one
 * connect attempt; a failure is reported to each of them and forgotten, so a database that comes
 * back is picked up by the next call. Dead pooled connections (socket ended, server restarted)
 * are dropped by mssql's socket-level validation on acquire, not by an extra `SELECT 1`.
 */
export function createPoolHolder(options: PoolOptions): PoolHolder {
  const config = driverConfig(options);
  let pool: sql.ConnectionPool | undefined;
  let connecting: Promise<sql.ConnectionPool> | undefined;
  let closed = false;

  const fresh = (): sql.ConnectionPool => {
    const p = new sql.ConnectionPool(config);
    // An unhandled 'error' event would crash the process; idle-connection failures are expected.
    p.on('error', (err: unknown) => options.onError?.(toDbError(err)));
    return p;
  };

  return {
    async get() {
      if (closed) throw toDbError(Object.assign(new Error('pool closed'), { code: 'ENOTOPEN' }));
      if (pool?.connected) return pool;
      connecting ??= (async () => {
        pool ??= fresh();
        try {
          await pool.connect();
          return pool;
        } catch (err) {
          const failed = pool;
          pool = undefined;
          void failed.close().catch(() => {});
          throw toDbError(err);
        } finally {
          connecting = undefined;
        }
      })();
      return connecting;
    },
    stats() {
      if (!pool?.connected) return { size: 0, available: 0, borrowed: 0, pending: 0 };
      return { size: pool.size, available: pool.available, borrowed: pool.borrowed, pending: pool.pending };
    },
    async close() {
      closed = true;
      const p = pool;
      pool = undefined;
      if (connecting) await connecting.catch(() => {});
      await (p ?? pool)?.close().catch(() => {});
    },
  };
}

/**
 * The driver configuration for `options`: the login (MSSQL_AUTH, src/db/auth.ts), TLS, read-only
 * intent, named instance, the pool bounds. Built once per pool; exported for configuration tests
 * of the modes that cannot run here (real Entra ID, NTLM against a domain).
 */
export function driverConfig(options: PoolOptions): sql.config {
  const config: sql.config = {
    server: options.host,
    port: options.port,
    database: options.database,
    connectionTimeout: options.connectTimeoutMs,
    // The connector cancels queries itself (execute.ts); 0 disables tedious' own timer.
    requestTimeout: 0,
    pool: { max: options.poolMax, min: 0, idleTimeoutMillis: 30_000, acquireTimeoutMillis: options.connectTimeoutMs + 5_000 },
    authentication: driverAuthentication(options.auth ?? { kind: 'sql' }, {
      user: options.user,
      password: options.password,
    }) as sql.config['authentication'],
    options: {
      encrypt: options.encrypt,
      trustServerCertificate: options.trustServerCertificate,
      appName: options.appName,
      cancelTimeout: 5_000,
      useUTC: true,
      ...(options.readOnlyIntent ? { readOnlyIntent: true } : {}),
      ...(options.instanceName ? { instanceName: options.instanceName } : {}),
    },
  };
  (config as { validateConnection?: string }).validateConnection = 'socket';
  return config;
}
