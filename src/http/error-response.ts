import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type EdgeErrorCode, statusOf } from '../error-status.ts';
import { AppError } from '../errors.ts';
import type { AppEnv } from './context.ts';

/** Hono's own 4xx exceptions (malformed input the framework refused) by the code of their status. */
const FRAMEWORK_CODES: readonly EdgeErrorCode[] = [
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'NOT_ACCEPTABLE',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
];

/**
 * The one renderer of the edge's JSON errors: `{ error: { code, message }, request_id }` with the
 * status the code maps to (error-status.ts) and the error's headers. Never a stack or driver text.
 */
export function edgeErrorResponse(
  c: Context<AppEnv>,
  code: EdgeErrorCode,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return c.json({ error: { code, message }, request_id: c.get('requestId') }, statusOf(code) as ContentfulStatusCode, headers);
}

/** What a thrown error becomes: an AppError as itself, a framework 4xx as its code, anything else INTERNAL (logged). */
export function renderThrown(c: Context<AppEnv>, error: Error, log: (event: string, fields: Record<string, unknown>) => void): Response {
  if (error instanceof AppError) {
    if (error.status >= 500) log('request_failed', { code: error.code, status: error.status, error });
    return edgeErrorResponse(c, error.code, error.message, error.headers);
  }
  if (error instanceof HTTPException && error.status < 500) {
    const code = FRAMEWORK_CODES.find((candidate) => statusOf(candidate) === error.status) ?? 'BAD_REQUEST';
    return edgeErrorResponse(c, code, 'The request could not be processed.');
  }
  log('unhandled_error', { path: c.req.path, error });
  return edgeErrorResponse(c, 'INTERNAL', 'Internal server error.');
}
