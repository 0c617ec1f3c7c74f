import type { ClientDirectory } from './client-directory.ts';
import type { OAuthConfig } from './env.ts';
import { z } from 'zod';
import { checkParams, paramText, type OAuthErrorCode } from './errors.ts';
import { redirectMatches } from './redirect-policy.ts';
import type { ClientRecord } from './types.ts';
import { canonicalResource, matchResource } from './urls.ts';

/** A validated authorization request: everything the code will be bound to. */
export interface AuthorizationRequest {
  client: ClientRecord;
  redirectUri: string;
  redirectUriExplicit: boolean;
  codeChallenge: string;
  scopes: string[];
  resource: string;
  state?: string;
  /** The parameters as received, carried through the sign-in and consent forms unchanged. */
  params: Record<string, string>;
}

export type AuthorizationCheck =
  | { kind: 'ok'; request: AuthorizationRequest }
  /** Client or redirect URI cannot be trusted: show an error page, never redirect (RFC 6749 §4.1.2.1). */
  | { kind: 'page'; message: string; code: string }
  /** The redirect URI is trusted: send the error back to the client. */
  | { kind: 'redirect'; redirectUri: string; error: OAuthErrorCode; description: string; state?: string };

const VERIFIER_CHARS = /^[A-Za-z0-9._~-]{43,128}$/;

/** Phase one: what decides whether errors may be redirected (a failure is an error page). */
const clientParams = z.object({ client_id: paramText(2000).optional(), redirect_uri: paramText(2000).optional() });
/** Phase two: bounded before their meaning is checked (a failure is redirected as `invalid_request`). */
const requestParams = z.object({
  response_type: paramText(100).optional(),
  code_challenge: paramText(128).optional(),
  code_challenge_method: paramText(20).optional(),
  state: paramText(2000).optional(),
  scope: paramText(1000).optional(),
  resource: paramText(2000).optional(),
});
/** The parameters an authorization request is made of; anything else is dropped. */
export const AUTHORIZE_PARAMS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'code_challenge',
  'code_challenge_method',
  'state',
  'scope',
  'resource',
] as const;

/**
 * Validates an authorization request in the two phases of RFC 6749 §4.1.2.1, each first against
 * its zod schema (lengths). Phase one (client, redirect URI) fails to an error page; phase two
 * fails by redirect: `response_type` must be
 * `code`, PKCE with S256 is required (OAuth 2.1 §4.1.1; `plain` is refused), `resource` must name
 * this server (RFC 8707, missing → the canonical MCP URL), and a missing `scope` gets the default
 * scopes (ChatGPT's reconnect omits it). Requested scopes the server does not know are dropped
 * (the token response says what was granted); if none remain, the defaults apply.
 */
export async function checkAuthorizationRequest(
  input: Record<string, string>,
  deps: { clients: ClientDirectory; config: OAuthConfig; publicBase: string; requester?: string },
): Promise<AuthorizationCheck> {
  const params: Record<string, string> = {};
  for (const name of AUTHORIZE_PARAMS) if (input[name] !== undefined) params[name] = input[name];
  const shape = checkParams(clientParams, params);
  if (!shape.ok) return { kind: 'page', message: `The authorization request is malformed: ${shape.description}.`, code: 'invalid_request' };
  const found = await deps.clients.find(params.client_id ?? '', deps.requester);
  if (!found.ok) {
    const message =
      found.code === 'unknown_client'
        ? 'This application is not registered with this server.'
        : `The application's metadata document cannot be used: ${found.reason}.`;
    return { kind: 'page', message, code: found.code };
  }
  const client = found.client;

  let redirectUri: string | undefined;
  if (params.redirect_uri !== undefined) {
    const requested = params.redirect_uri;
    redirectUri = client.redirectUris.some((registered) => redirectMatches(registered, requested)) ? requested : undefined;
  } else if (client.redirectUris.length === 1) {
    redirectUri = client.redirectUris[0];
  }
  if (!redirectUri) {
    return { kind: 'page', message: 'The redirect address is not registered for this application.', code: 'unregistered_redirect_uri' };
  }

  const state = params.state;
  const fail = (error: OAuthErrorCode, description: string): AuthorizationCheck => ({
    kind: 'redirect',
    redirectUri: redirectUri,
    error,
    description,
    ...(state !== undefined ? { state } : {}),
  });
  const bounded = checkParams(requestParams, params);
  if (!bounded.ok) return fail('invalid_request', bounded.description);
  if (params.response_type !== 'code') return fail('unsupported_response_type', 'response_type must be code');
  if (!params.code_challenge) return fail('invalid_request', 'code_challenge is required (PKCE)');
  if (params.code_challenge_method !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256');
  if (!VERIFIER_CHARS.test(params.code_challenge)) return fail('invalid_request', 'code_challenge is malformed');

  const resource = params.resource === undefined ? canonicalResource(deps.publicBase) : matchResource(deps.publicBase, params.resource);
  if (!resource) return fail('invalid_target', 'resource does not name this server');

  const requested = (params.scope ?? '').split(' ').filter(Boolean);
  const known = requested.filter((scope, index) => deps.config.scopes.includes(scope) && requested.indexOf(scope) === index);
  const scopes = known.length > 0 ? known : [...deps.config.defaultScopes];

  return {
    kind: 'ok',
    request: {
      client,
      redirectUri,
      redirectUriExplicit: params.redirect_uri !== undefined,
      codeChallenge: params.code_challenge,
      scopes,
      resource,
      ...(state !== undefined ? { state } : {}),
      params,
    },
  };
}

/**
 * Appends authorization response parameters to the client's redirect URI, keeping its own query,
 * and always adds `iss` (RFC 9207 §2, mix-up defence; advertised in the metadata).
 */
export function redirectWith(redirectUri: string, issuer: string, values: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(values)) if (value !== undefined) url.searchParams.append(name, value);
  url.searchParams.append('iss', issuer);
  return url.href;
}
