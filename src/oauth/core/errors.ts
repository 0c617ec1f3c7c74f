import { z } from 'zod';

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

/** A request parameter: a string of at most `max` characters (forms and queries carry nothing else). */
export const paramText = (max: number) => z.string().max(max, `is too long (at most ${max} characters)`);

export type ParamsCheck<T> = { ok: true; data: T } | { ok: false; description: string };

/**
 * Validates request parameters (a form or query, already single-valued) against a zod schema; a
 * failure describes the first offending field, e.g. `token: is required`.
 */
export function checkParams<T>(schema: z.ZodType<T>, params: Record<string, string>): ParamsCheck<T> {
  const parsed = schema.safeParse(params);
  return parsed.success ? { ok: true, data: parsed.data } : { ok: false, description: describeIssue(parsed.error, params) };
}

/**
 * `field: problem` for the first issue of a failed parse of `input`: `is required` when the field
 * is absent, else zod's message (which names the expected type, never echoes the value).
 */
export function describeIssue(error: z.ZodError, input: unknown): string {
  const issue = error.issues[0];
  const path = issue?.path ?? [];
  let value: unknown = input;
  for (const key of path) {
    value =
      typeof value === 'object' && value !== null && Object.hasOwn(value, key) ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  }
  const problem = path.length > 0 && value === undefined ? 'is required' : (issue?.message ?? 'is invalid');
  return `${path.join('.') || 'request'}: ${problem}`;
}

/** `checkParams`, throwing `invalid_request` (RFC 6749 §5.2) with the description on failure. */
export function parseParams<T>(schema: z.ZodType<T>, params: Record<string, string>): T {
  const checked = checkParams(schema, params);
  if (!checked.ok) throw new OAuthError('invalid_request', checked.description);
  return checked.data;
}
