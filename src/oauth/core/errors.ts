import type { z } from 'zod';

/** RFC 6749 §5.2 / RFC 7591 §3.2.2 / RFC 8707 §2 error codes this server returns. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'access_denied'
  | 'unsupported_response_type'
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata'
  | 'temporarily_unavailable'
  | 'server_error';

/**
 * The HTTP status of each OAuth error code (RFC 6749 §5.2: 400, except `invalid_client` 401;
 * RFC 6749 §4.1.2.1's `server_error`/`temporarily_unavailable` as 500/503 when answered directly).
 */
export const OAUTH_ERROR_STATUS: Readonly<Record<OAuthErrorCode, 400 | 401 | 500 | 503>> = {
  invalid_request: 400,
  invalid_client: 401,
  invalid_grant: 400,
  unauthorized_client: 400,
  unsupported_grant_type: 400,
  invalid_scope: 400,
  invalid_target: 400,
  access_denied: 400,
  unsupported_response_type: 400,
  invalid_redirect_uri: 400,
  invalid_client_metadata: 400,
  temporarily_unavailable: 503,
  server_error: 500,
};

/**
 * An OAuth protocol error with its stable `code` and HTTP status. Thrown inside endpoint handlers
 * and turned into the JSON body `{error, error_description}` in one place per endpoint.
 */
export class OAuthError extends Error {
  readonly code: OAuthErrorCode;
  readonly status: 400 | 401 | 429 | 500 | 503;
  /** Set when the client authenticated with HTTP Basic (RFC 6749 §5.2: answer with WWW-Authenticate). */
  readonly basicChallenge: boolean;

  constructor(
    code: OAuthErrorCode,
    description: string,
    options: { status?: 400 | 401 | 429 | 500 | 503; basicChallenge?: boolean; cause?: unknown } = {},
  ) {
    super(description, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'OAuthError';
    this.code = code;
    // `status` only for a throttle (429), which RFC 6749 has no code of its own for.
    this.status = options.status ?? OAUTH_ERROR_STATUS[code];
    this.basicChallenge = options.basicChallenge ?? false;
  }

  toResponseObject(): { error: OAuthErrorCode; error_description: string } {
    return { error: this.code, error_description: this.message };
  }
}

/**
 * Validates request parameters (a form or query, already single-valued) against a zod schema; a
 * failure is `invalid_request` naming the first offending field, e.g. `token: is required`.
 */
export function parseParams<T>(schema: z.ZodType<T>, params: Record<string, string>): T {
  const parsed = schema.safeParse(params);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') || 'request';
  const problem = issue && !Object.hasOwn(params, field) ? 'is required' : (issue?.message ?? 'is invalid');
  throw new OAuthError('invalid_request', `${field}: ${problem}`);
}
