import { type EdgeErrorCode, statusOf } from './error-status.ts';

/**
 * Stable error codes of the HTTP edge. Clients may switch on them; they appear in every JSON error
 * body as `error.code`. Tool errors use the research codes instead (`src/research/types.ts`).
 */
export type AppErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'INVALID_TOKEN'
  | 'TOKEN_IN_QUERY'
  | 'INSUFFICIENT_SCOPE'
  | 'ORIGIN_NOT_ALLOWED'
  | 'NOT_FOUND'
  | 'SESSION_NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'NOT_ACCEPTABLE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'SHUTTING_DOWN'
  | 'INTERNAL'
  /** The shared state store (STATE_STORE_URL) did not answer: 503, try again. */
  | 'STATE_UNAVAILABLE';

export interface AppErrorOptions {
  cause?: unknown;
  /** Response headers the error needs (`WWW-Authenticate`, `Retry-After`, `Allow`). */
  headers?: Record<string, string>;
}

/**
 * An expected failure at the HTTP edge. Thrown by middleware and routes, turned into a JSON
 * response in exactly one place (`app.onError`). The HTTP status follows from the code
 * (`ERROR_STATUS` in error-status.ts). `message` is shown to the client, so it must never hold
 * driver text, secrets or stack traces; the underlying error stays in `cause` for logs.
 */
export class AppError extends Error {
  readonly code: EdgeErrorCode;
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(code: EdgeErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = statusOf(code);
    this.headers = options.headers ?? {};
  }
}

/**
 * Startup configuration is unusable. `variable` names the environment variable at fault so the
 * operator can fix it without reading code; the message never repeats a secret value.
 */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  readonly variable: string;

  constructor(variable: string, problem: string, options: { cause?: unknown } = {}) {
    super(`${variable}: ${problem}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

/** The startup privilege check found a login that can write (see `ALLOW_WRITABLE_LOGIN`). */
export class StartupError extends Error {
  readonly code: 'WRITABLE_LOGIN' | 'STARTUP_FAILED';

  constructor(code: 'WRITABLE_LOGIN' | 'STARTUP_FAILED', message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StartupError';
    this.code = code;
  }
}
