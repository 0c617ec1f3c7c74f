/** Stable codes of database failures; the research layer maps them to tool errors one to one. */
export type DbErrorCode =
  | 'DB_UNAVAILABLE'
  | 'QUERY_TIMEOUT'
  | 'QUERY_FAILED'
  | 'BUSY'
  | 'OBJECT_DENIED'
  /** The result has `xml` columns, which SQL Server sends whole (TEXTSIZE does not apply): refused before any row. */
  | 'XML_NOT_BOUNDED';

/**
 * Errors the guard's name-resolution check raises before a query runs (`THROW 51701…51704`, state
 * = the 1-based reference): an object that does not resolve, resolves to another name, resolves
 * where none may, or is a synonym under a deny or allow list. They become `OBJECT_DENIED`, never a generic query failure.
 */
const RESOLUTION_ERROR_NUMBERS = new Set([51701, 51702, 51703, 51704]);

/**
 * A database failure with a stable `code` and a message safe to show a client: never the
 * connection string, the password or a driver stack. The driver's error stays in `cause` for logs
 * (which must not print it verbatim either: tedious messages can name the server and login).
 */
export class DbError extends Error {
  readonly code: DbErrorCode;
  /** SQL Server's error number (e.g. 208 invalid object, 1222 lock timeout), when the server sent one. */
  readonly number: number | undefined;
  /** For `OBJECT_DENIED`: the 1-based index of the reference the check refused. */
  readonly reference: number | undefined;

  constructor(
    code: DbErrorCode,
    message: string,
    options?: { cause?: unknown; number?: number | undefined; reference?: number | undefined },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DbError';
    this.code = code;
    this.number = options?.number;
    this.reference = options?.reference;
  }
}

const CONNECTION_CODES = new Set([
  'ESOCKET',
  'ELOGIN',
  'ETIMEOUT',
  'ECONNCLOSED',
  'ENOTOPEN',
  'ECONNRESET',
  'EINSTLOOKUP',
  'ENOCONN',
  'EABORT',
  'ETRANSACTION',
  'EINVALIDSTATE',
]);

/** Trims a server message for a client: no network addresses, one line, bounded length. */
export function sanitizeServerMessage(message: string): string {
  return message
    .replace(/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, '…')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 500);
}

interface DriverError {
  code?: unknown;
  number?: unknown;
  state?: unknown;
  message?: unknown;
  originalError?: unknown;
}

function serverNumber(err: DriverError): number | undefined {
  if (typeof err.number === 'number') return err.number;
  const inner = err.originalError as DriverError | undefined;
  if (inner && typeof inner.number === 'number') return inner.number;
  return undefined;
}

/**
 * Classifies a driver error. A SQL Server error (it has a number) is `QUERY_FAILED` with the
 * server's message, sanitised; error 1222 (lock request timeout) is `QUERY_TIMEOUT`; socket,
 * login and connection-state failures are `DB_UNAVAILABLE` with a fixed message.
 */
export function toDbError(err: unknown): DbError {
  if (err instanceof DbError) return err;
  const e = (err ?? {}) as DriverError;
  const number = serverNumber(e);
  if (number !== undefined && RESOLUTION_ERROR_NUMBERS.has(number)) {
    const inner = e.originalError as DriverError | undefined;
    const state = Number(e.state ?? (inner as { info?: { state?: unknown } } | undefined)?.info?.state);
    return new DbError('OBJECT_DENIED', 'SQL Server resolved a name in the query to an object other than the one the guard checked.', {
      cause: err,
      number,
      reference: Number.isInteger(state) && state >= 1 ? state : undefined,
    });
  }
  if (number === 1222) {
    return new DbError('QUERY_TIMEOUT', 'The query waited too long for a lock held by another session.', { cause: err, number });
  }
  if (number !== undefined && number !== 18456 && number !== 4060) {
    const text = typeof e.message === 'string' ? sanitizeServerMessage(e.message) : 'The query failed.';
    return new DbError('QUERY_FAILED', `SQL Server error ${number}: ${text}`, { cause: err, number });
  }
  const code = typeof e.code === 'string' ? e.code : '';
  const name = err instanceof Error ? err.name : '';
  if (number !== undefined || CONNECTION_CODES.has(code) || name === 'TimeoutError' || name === 'ConnectionError') {
    return new DbError('DB_UNAVAILABLE', 'The database is not reachable right now; try again shortly.', { cause: err, number });
  }
  return new DbError('QUERY_FAILED', 'The query failed.', { cause: err });
}
