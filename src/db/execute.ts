import sql from 'mssql';
import { lockTimeoutSql } from './catalog-queries.ts';
import { DbError, toDbError } from './errors.ts';
import { pinConnection, type PinnedConnection } from './pinned.ts';
import { sessionContextSql } from './session-context.ts';
import type { DbParam, DbParamType, QueryOptions, QueryResult, ResultColumn } from './types.ts';
import { boundCell, cellBytes, textSizeFor } from './cell-bounds.ts';
import { CHUNKED_OUTPUT_MESSAGE, isChunkedOutput, xmlColumnsMessage } from './unbounded-output.ts';
import { baseTypeName, columnTypeName, toJsonValue, type DriverColumn } from './values.ts';

type StopReason = 'timeout' | 'abort' | 'rows';

/** mssql types for the connector's own parameters; values are never spliced into SQL text. */
function driverType(type: DbParamType, value: DbParam['value']): sql.ISqlType | (() => sql.ISqlType) {
  switch (type) {
    case 'int':
      return sql.Int;
    case 'bigint':
      return sql.BigInt;
    case 'bit':
      return sql.Bit;
    case 'float':
      return sql.Float;
    case 'date':
      return sql.Date;
    case 'datetime2':
      return sql.DateTime2(7);
    case 'uniqueidentifier':
      return sql.UniqueIdentifier;
    case 'decimal': {
      const text = String(value ?? '');
      const dot = text.indexOf('.');
      return sql.Decimal(38, dot < 0 ? 0 : Math.min(text.length - dot - 1, 38));
    }
    case 'nvarchar':
      return typeof value === 'string' && value.length > 4000 ? sql.NVarChar(sql.MAX) : sql.NVarChar(4000);
  }
}

const isCancel = (err: unknown): boolean => (err as { code?: unknown } | null)?.code === 'ECANCEL';

/** How long the after-the-fact `@@TRANCOUNT` check may take before the connection is discarded instead. */
const CLEANUP_TIMEOUT_MS = 5_000;

/**
 * The batch that runs `text` read-only in one round trip: `SET XACT_ABORT ON` (a run-time error or
 * an attention rolls the transaction back on the server), the lock timeout, `BEGIN TRAN`, the
 * statement, `ROLLBACK TRAN`. With parameters mssql sends it through `sp_executesql`, where the
 * transaction still begins and ends inside the one execution. Only the connector's own statements
 * and guard-approved SQL reach here; `text` starts on its own line and `ROLLBACK` on the next, so a
 * trailing `--` comment cannot swallow it. `check` (the guard's name resolution) runs inside the
 * transaction before the statement; a `THROW` there ends the batch before the statement starts.
 */
export function readOnlyBatch(text: string, lockTimeoutMs: number, check?: string, maxCellBytes?: number, prelude?: string): string {
  const first = check === undefined || check === '' ? '' : `${check}\n`;
  const textSize = maxCellBytes === undefined ? '' : ` SET TEXTSIZE ${textSizeFor(maxCellBytes)};`;
  const before = prelude === undefined || prelude === '' ? '' : `${prelude}\n`;
  return `${before}SET XACT_ABORT ON; ${lockTimeoutSql(lockTimeoutMs)};${textSize} BEGIN TRAN;\n${first}${text}\nROLLBACK TRAN;`;
}

/**
 * Runs one statement read-only: inside a READ COMMITTED transaction that is always rolled back
 * (defence in depth behind the guard — even a write that slipped through leaves no trace), after
 * `SET LOCK_TIMEOUT`, streaming rows and stopping at `maxRows` with an ATTENTION (request.cancel),
 * and cancelling on the server when `timeoutMs` elapses or `signal` aborts.
 *
 * One round trip (`readOnlyBatch`) instead of mssql's `Transaction` (transaction-manager begin,
 * query, rollback: three). Whenever the batch did not run to its own `ROLLBACK` — cancelled,
 * truncated, failed — the same connection is asked for `@@TRANCOUNT` before it goes back to the
 * pool, any open transaction is rolled back, and a connection whose state cannot be confirmed is
 * discarded (closing it makes the server roll back), so no transaction outlives the call.
 *
 * With `sessionContext`, the borrowed connection is reset on the server first (the TDS
 * RESETCONNECTION bit rides on this very request, as `sp_reset_connection`: no extra round trip),
 * the driver's session options are set again, and `identity` is put into `SESSION_CONTEXT`
 * read-only before the transaction begins: one person's context never reaches another's query.
 */
export async function executeReadOnly(
  pool: sql.ConnectionPool,
  text: string,
  params: readonly DbParam[],
  options: QueryOptions & { lockTimeoutMs: number; sessionContext?: boolean | undefined },
): Promise<QueryResult> {
  const started = performance.now();
  let stop: StopReason | undefined;
  let current: sql.Request | undefined;
  const halt = (why: StopReason): void => {
    if (stop) return;
    stop = why;
    current?.cancel();
  };
  const timer = setTimeout(() => halt('timeout'), options.timeoutMs);
  const onAbort = (): void => halt('abort');
  if (options.signal?.aborted) stop = 'abort';
  options.signal?.addEventListener('abort', onAbort, { once: true });

  let pinned: PinnedConnection | undefined;
  let clean = false;
  try {
    pinned = await pinConnection(pool, { reset: options.sessionContext === true });
    throwIfStopped(stop);
    const request = pinned.request();
    request.stream = true;
    request.arrayRowMode = true;
    const context = options.sessionContext && options.identity ? sessionContextSql(options.identity) : undefined;
    for (const p of [...(context?.params ?? []), ...params]) request.input(p.name, driverType(p.type, p.value), p.value);
    current = request;
    const prelude = [pinned.initialSql, context?.sql].filter((part) => part !== undefined && part !== '').join('\n');
    const batch = readOnlyBatch(text, options.lockTimeoutMs, options.check, options.maxCellBytes, prelude);
    const held = pinned;
    const result = await stream(
      request,
      batch,
      options,
      () => halt('rows'),
      () => held.abandon(),
    );
    clean = !result.truncated && stop === undefined;
    throwIfStopped(stop === 'rows' ? undefined : stop);
    return { ...result, durationMs: performance.now() - started };
  } catch (err) {
    // A database that cannot be reached is that, even when the timer also ran out meanwhile.
    if (!pinned && toDbError(err).code === 'DB_UNAVAILABLE') throw toDbError(err);
    if (stop === 'timeout')
      throw new DbError('QUERY_TIMEOUT', `The query ran longer than ${options.timeoutMs} ms and was cancelled on the server.`, {
        cause: err,
      });
    if (stop === 'abort') throw new DbError('QUERY_FAILED', 'The query was cancelled by the caller.', { cause: err });
    throw toDbError(err);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    if (pinned) {
      if (!clean && !pinned.abandoned) await endOpenTransaction(pinned);
      pinned.release();
    }
  }
}

function throwIfStopped(stop: StopReason | undefined): void {
  if (stop) throw new Error(`stopped: ${stop}`);
}

/** After an abnormal end: roll back whatever transaction the session still holds, or discard the connection. */
async function endOpenTransaction(pinned: PinnedConnection): Promise<void> {
  try {
    const check = await pinned.request(CLEANUP_TIMEOUT_MS).query<{ n: number }>('SELECT @@TRANCOUNT AS n');
    const open = Number(check.recordset[0]?.n);
    if (open === 0) return;
    if (!(open > 0)) throw new Error('unreadable @@TRANCOUNT');
    await pinned.request(CLEANUP_TIMEOUT_MS).query('ROLLBACK TRAN');
  } catch {
    pinned.discard();
  }
}

/**
 * Reads the first result set row by row. Memory stays bounded while reading, not only after:
 * each cell is cut at `maxCellBytes` (the server already sent at most TEXTSIZE of it), and reading
 * stops — with an ATTENTION, like the row cap — once the kept rows hold `maxBytes`. A result set
 * with `xml` columns, which TEXTSIZE does not bound, is refused at its metadata and the connection
 * closed (`abandon`) before its first row is read.
 */
function stream(
  request: sql.Request,
  text: string,
  limits: Pick<QueryOptions, 'maxRows' | 'maxBytes' | 'maxCellBytes'>,
  onCap: () => void,
  abandon: () => void,
): Promise<Omit<QueryResult, 'durationMs'>> {
  const { maxRows, maxCellBytes } = limits;
  const maxBytes = limits.maxBytes ?? Number.POSITIVE_INFINITY;
  return new Promise((resolve, reject) => {
    let columns: ResultColumn[] | undefined;
    let types: Array<{ base: string; scale?: number | undefined }> = [];
    let recordsets = 0;
    const rows: unknown[][] = [];
    let bytes = 0;
    let truncated = false;
    let cellsCut = 0;
    let failure: unknown;
    request.on('recordset', (cols: DriverColumn[]) => {
      recordsets++;
      const xml = xmlColumnsMessage(cols);
      if (xml !== undefined) {
        // Closed, not cancelled: after an ATTENTION the driver still reads the row in flight whole
        // before the acknowledgement, and an xml value has no size limit on the server.
        // Paused first: tedious parses no further token (not the row) once this handler returns.
        failure = new DbError('XML_NOT_BOUNDED', xml);
        request.pause();
        abandon();
        return;
      }
      if (recordsets !== 1) return;
      if (isChunkedOutput(cols)) {
        // The guard returns FOR JSON/XML as one scalar cell; chunked output would be joined unbounded.
        failure = new DbError('QUERY_FAILED', CHUNKED_OUTPUT_MESSAGE);
        request.cancel();
        return;
      }
      columns = cols.map((c) => ({ name: c.name, type: columnTypeName(c), nullable: c.nullable ?? true }));
      types = columns.map((c, i) => ({ base: baseTypeName(c.type), scale: cols[i]?.scale }));
    });
    request.on('row', (row: unknown) => {
      if (recordsets !== 1 || truncated || failure !== undefined) return;
      if (rows.length >= maxRows) {
        truncated = true;
        onCap();
        return;
      }
      try {
        // arrayRowMode: an array per row (chunked FOR JSON/XML objects were refused at their metadata).
        const values = Array.isArray(row) ? row : Object.values(row as object);
        const json = values.map((v, i) => {
          const value = toJsonValue(v, types[i]?.base ?? '', types[i]?.scale);
          const bounded = maxCellBytes === undefined ? value : boundCell(value, maxCellBytes);
          if (bounded !== value) cellsCut++;
          return bounded;
        });
        bytes += json.reduce((sum: number, value) => sum + cellBytes(value), 2);
        if (bytes > maxBytes && rows.length > 0) {
          truncated = true;
          onCap();
          return;
        }
        rows.push(json);
      } catch (err) {
        // An exception escaping an event handler would crash the process; fail this query instead.
        failure = err;
        request.cancel();
      }
    });
    request.on('error', (err: unknown) => {
      failure ??= err;
    });
    request.query(text, () => {
      if (failure !== undefined && !(truncated && isCancel(failure))) reject(failure);
      else resolve({ columns: columns ?? [], rows, truncated, ...(cellsCut > 0 ? { cellsCut } : {}) });
    });
  });
}
