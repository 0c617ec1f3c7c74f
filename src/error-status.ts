import type { AppErrorCode } from './errors.ts';
import type { ResearchErrorCode } from './research/types.ts';

/** Every stable code a JSON error body of the HTTP edge may carry: the edge's own and the research codes. */
export type EdgeErrorCode = AppErrorCode | ResearchErrorCode;

/**
 * The HTTP status of each stable error code, in one table: a route names the code, never the
 * status, so the same failure is answered the same way everywhere (`/records`, `/mcp`, `/sse`).
 * Research codes reach HTTP on `/records` (as tool errors they travel inside a 200 MCP answer).
 */
export const ERROR_STATUS: Readonly<Record<EdgeErrorCode, number>> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  INVALID_TOKEN: 401,
  TOKEN_IN_QUERY: 400,
  INSUFFICIENT_SCOPE: 403,
  ORIGIN_NOT_ALLOWED: 403,
  NOT_FOUND: 404,
  SESSION_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  NOT_ACCEPTABLE: 406,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  SHUTTING_DOWN: 503,
  INTERNAL: 500,
  STATE_UNAVAILABLE: 503,
  // The caller's query or id was refused or is wrong: the caller can fix it.
  READ_ONLY_VIOLATION: 400,
  SQL_PARSE_ERROR: 400,
  SQL_TOO_LONG: 400,
  INVALID_INPUT: 400,
  OBJECT_NOT_ALLOWED: 403,
  // The query ran and the database failed it or its answer cannot be delivered.
  QUERY_FAILED: 502,
  RESULT_TOO_LARGE: 422,
  XML_NOT_BOUNDED: 422,
  // The server is overloaded or cut off from the database: retry later.
  QUERY_TIMEOUT: 504,
  BUSY: 503,
  DB_UNAVAILABLE: 503,
};

/** The status a code is answered with (the table above). */
export function statusOf(code: EdgeErrorCode): number {
  return ERROR_STATUS[code];
}
