import sql from 'mssql';

/** The tedious connection mssql lends out, as far as this module touches it. */
interface DriverConnection {
  /** mssql's pool discards a connection with this flag instead of lending it again. */
  hasError?: boolean;
  /** tedious sets the TDS RESETCONNECTION status bit on the next request it sends (`Connection.reset` uses it). */
  resetConnectionOnNextRequest?: boolean;
  /** tedious' session options (`set ansi_nulls on` …), sent after login and by `Connection.reset`. */
  getInitialSql?: () => string;
  /** tedious' `Connection.close`: destroys the socket; a request in flight fails with ECLOSE. */
  close?: () => void;
}

/**
 * The parts of mssql's `ConnectionPool` and of a request's `parent` that mssql 12 uses but
 * `@types/mssql` does not declare: `acquire`/`release` of one connection, and what a `Request`
 * reads from its parent (`config`, `connected`, `collation`, `_aborted`). A `Transaction` is such a
 * parent too; this one pins a connection without the TDS transaction-manager round trips.
 */
interface PoolInternals {
  acquire(requester: object): Promise<DriverConnection>;
  release(connection: DriverConnection): void;
  config: sql.config;
  connected: boolean;
  collation?: unknown;
}

/** mssql 12's `Request(parent, overrides)`; `@types/mssql` declares only the first argument. */
const RequestWithOverrides = sql.Request as unknown as new (parent: object, overrides: { requestTimeout?: number }) => sql.Request;

/** One pooled connection held for several requests in a row (the query, then a cleanup if needed). */
export interface PinnedConnection {
  /** A new request on the pinned connection (one at a time, as on a `Transaction`), optionally with tedious' own timeout. */
  request(requestTimeoutMs?: number): sql.Request;
  /** Makes the pool close this connection instead of lending it again (the server then rolls back whatever it holds). */
  discard(): void;
  /**
   * Closes the connection now, in the middle of a response: nothing more of it is read (the server
   * ends the session and rolls back its transaction), and the pool will not lend it again.
   */
  abandon(): void;
  /** Whether `abandon()` was called: the session is gone, there is nothing to clean up on it. */
  readonly abandoned: boolean;
  /** Returns the connection to the pool. */
  release(): void;
  /** With `reset`: the driver's session options, to be set again in the first batch (a reset clears them). */
  readonly initialSql?: string | undefined;
}

export interface PinOptions {
  /**
   * Reset the session on the server before the first request (TDS RESETCONNECTION, which runs
   * `sp_reset_connection`: session context, temporary tables, SET options, open transaction).
   * mssql's pool does not reset connections it lends again; this does, for each borrowing.
   */
  reset?: boolean;
}

/**
 * Borrows one connection from the pool and keeps it until `release()`, so the connector can send
 * its read-only batch (`BEGIN TRAN … ROLLBACK TRAN` in one round trip) and, only when that batch
 * ended abnormally, check `@@TRANCOUNT` on the very same session before anyone else can use it.
 */
export async function pinConnection(pool: sql.ConnectionPool, options: PinOptions = {}): Promise<PinnedConnection> {
  const internals = pool as unknown as PoolInternals;
  const requester = {};
  const connection = await internals.acquire(requester);
  let initialSql: string | undefined;
  if (options.reset) {
    if (typeof connection.getInitialSql !== 'function') {
      internals.release(connection);
      throw new Error('The database driver cannot reset pooled connections (tedious Connection.resetConnectionOnNextRequest).');
    }
    connection.resetConnectionOnNextRequest = true;
    initialSql = connection.getInitialSql();
  }
  let active = false;
  let released = false;
  let abandoned = false;
  const parent = {
    // mssql finds the pool for its diagnostics by walking `parent` until something has `.pool`.
    parent: pool,
    get config() {
      return internals.config;
    },
    get connected() {
      return internals.connected && !released;
    },
    get collation() {
      return internals.collation;
    },
    _aborted: false,
    acquire(_request: object, callback: (err: Error | null, connection?: DriverConnection, config?: sql.config) => void) {
      if (released || active) {
        setImmediate(
          callback,
          new Error(released ? 'The pinned connection was released.' : 'Another request is in progress on the pinned connection.'),
        );
        return parent;
      }
      active = true;
      setImmediate(callback, null, connection, internals.config);
      return parent;
    },
    release(c: DriverConnection) {
      if (c === connection) active = false;
      return parent;
    },
  };
  return {
    initialSql,
    request: (requestTimeoutMs) =>
      new RequestWithOverrides(parent, requestTimeoutMs === undefined ? {} : { requestTimeout: requestTimeoutMs }),
    discard() {
      connection.hasError = true;
    },
    abandon() {
      if (abandoned) return;
      abandoned = true;
      connection.hasError = true;
      connection.close?.();
    },
    get abandoned() {
      return abandoned;
    },
    release() {
      if (released) return;
      released = true;
      internals.release(connection);
    },
  };
}
