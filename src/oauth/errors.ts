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
    this.status = options.status ?? (code === 'invalid_client' ? 401 : 400);
    this.basicChallenge = options.basicChallenge ?? false;
  }

  toResponseObject(): { error: OAuthErrorCode; error_description: string } {
    return { error: this.code, error_description: this.message };
  }
}
