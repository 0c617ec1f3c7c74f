import type { Context } from 'hono';
import { cors } from 'hono/cors';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Counters } from '../../state/counters.ts';
import { StateStoreError } from '../../state/errors.ts';
import type { AssertionVerifier } from '../core/client-assertion.ts';
import type { ClientDirectory } from '../core/client-directory.ts';
import type { OAuthConfig } from '../core/env.ts';
import { OAuthError } from '../core/errors.ts';
import type { IdJagVerifier } from '../core/id-jag.ts';
import type { Identities } from '../core/identity/person.ts';
import type { KeyRing } from '../core/keys.ts';
import type { Clock, OAuthLogger, OAuthStore } from '../core/types.ts';

/** What every OAuth endpoint handler needs; built once by `createOAuth`. */
export interface OAuthContext {
  store: OAuthStore;
  keys: KeyRing;
  clock: Clock;
  config: OAuthConfig;
  logger: OAuthLogger;
  /** Registered and metadata-document clients, by `client_id`. */
  clients: ClientDirectory;
  /** `private_key_jwt` assertion checks. */
  assertions: AssertionVerifier;
  /** Who is this person, and may they connect? (local accounts, the company IdP) */
  identities: Identities;
  /** Enterprise-managed authorization: ID-JAG checks, when OAUTH_EMA_TRUSTED_ISSUERS is set. */
  idJag?: IdJagVerifier;
  /** PUBLIC_BASE_URL plus the trusted environment prefix for this request, no trailing slash. */
  publicBase(c: Context): string;
  /** The peer address (after trusted-proxy resolution), for per-IP limits and lockout. */
  clientIp(c: Context): string;
  /** Windowed counters (sign-in throttle, registration and client-document budgets): the embedded store's, or Redis's. */
  counters: Counters;
}

/**
 * CORS for discovery, registration, token, revocation and JWKS (checklist item 36): any origin,
 * no credentials, preflight answered 204. Browser-based clients (MCP Inspector) need it.
 */
export const corsAnyOrigin = cors({
  origin: '*',
  allowMethods: ['GET', 'HEAD', 'POST', 'OPTIONS'],
  allowHeaders: ['Authorization', 'Content-Type', 'MCP-Protocol-Version'],
  exposeHeaders: ['WWW-Authenticate'],
  maxAge: 86400,
});

/** JSON with `Cache-Control: no-store` (RFC 6749 §5.1: token responses must not be cached). */
export function jsonNoStore(c: Context, body: unknown, status: ContentfulStatusCode = 200): Response {
  c.header('Cache-Control', 'no-store');
  c.header('Pragma', 'no-cache');
  return c.json(body, status);
}

/**
 * Turns a thrown error into the RFC 6749 §5.2 JSON error. Unexpected errors become a bare
 * `server_error` (logged, never echoed); Basic-authenticated `invalid_client` adds the challenge.
 */
export function oauthErrorResponse(c: Context, error: unknown, logger: OAuthLogger): Response {
  if (error instanceof StateStoreError) {
    // The shared state (Redis) is away: say so and when to retry, never decide without it.
    logger.warn('oauth.state_unavailable', { path: c.req.path });
    c.header('Retry-After', '5');
    return jsonNoStore(c, new OAuthError('temporarily_unavailable', error.message, { status: 503 }).toResponseObject(), 503);
  }
  const known = error instanceof OAuthError ? error : new OAuthError('server_error', 'Internal error', { status: 500, cause: error });
  if (!(error instanceof OAuthError)) logger.warn('oauth.internal_error', { path: c.req.path, error: String(error) });
  if (known.basicChallenge) c.header('WWW-Authenticate', 'Basic realm="oauth", charset="UTF-8"');
  return jsonNoStore(c, known.toResponseObject(), known.status);
}

/**
 * Reads an `application/x-www-form-urlencoded` body (RFC 6749 §3.2). Parameters sent more than
 * once are refused (§3.1), so no parser disagreement can pick a different value than we checked.
 */
export async function readForm(c: Context): Promise<Record<string, string>> {
  const type = c.req.header('Content-Type') ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw new OAuthError('invalid_request', 'Send the request as application/x-www-form-urlencoded');
  }
  return singleValued(new URLSearchParams(await c.req.text()));
}

/** Flattens query or form parameters, refusing repeated names (RFC 6749 §3.1). */
export function singleValued(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of params) {
    if (Object.hasOwn(out, name)) throw new OAuthError('invalid_request', `Parameter ${name} is repeated`);
    out[name] = value;
  }
  return out;
}
