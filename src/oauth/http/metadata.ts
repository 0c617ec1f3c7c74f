import { Hono, type Context } from 'hono';
import { ASSERTION_ALGORITHMS } from '../core/client-assertion.ts';
import type { OAuthConfig } from '../core/env.ts';
import { corsAnyOrigin, type OAuthContext } from './context.ts';
import { prefixOf } from '../core/urls.ts';

const AS_METADATA = '/.well-known/oauth-authorization-server';
const OPENID = '/.well-known/openid-configuration';
const PRM = '/.well-known/oauth-protected-resource';

/** Client authentication methods accepted at the token and revocation endpoints, exactly. */
const AUTH_METHODS = ['none', 'client_secret_post', 'client_secret_basic', 'private_key_jwt'];

/**
 * RFC 8414 §2 authorization server metadata; every URL absolute (relative URLs break ChatGPT).
 * Lists exactly the client authentication methods and assertion algorithms accepted, RFC 9207
 * `iss`, Client ID Metadata Documents and the ID-JAG grant when they are on.
 */
export function authorizationServerMetadata(issuer: string, config: OAuthConfig): Record<string, unknown> {
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    registration_endpoint: `${issuer}/register`,
    revocation_endpoint: `${issuer}/revoke`,
    jwks_uri: `${issuer}/jwks.json`,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    // Enterprise-managed authorization: ID-JAGs from OAUTH_EMA_TRUSTED_ISSUERS (RFC 7523 JWT bearer).
    grant_types_supported: [
      'authorization_code',
      'refresh_token',
      ...(config.identity.emaTrustedIssuers.length > 0 ? ['urn:ietf:params:oauth:grant-type:jwt-bearer'] : []),
    ],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: AUTH_METHODS,
    token_endpoint_auth_signing_alg_values_supported: [...ASSERTION_ALGORITHMS],
    revocation_endpoint_auth_methods_supported: AUTH_METHODS,
    revocation_endpoint_auth_signing_alg_values_supported: [...ASSERTION_ALGORITHMS],
    scopes_supported: config.scopes,
    authorization_response_iss_parameter_supported: true,
    ...(config.cimd.enabled ? { client_id_metadata_document_supported: true } : {}),
  };
}

/**
 * A complete OpenID Provider discovery document (checklist item 5: a partial one broke ChatGPT).
 * The server issues no ID tokens; the OIDC-required fields describe the access-token keys.
 */
export function openIdConfiguration(issuer: string, config: OAuthConfig): Record<string, unknown> {
  return {
    ...authorizationServerMetadata(issuer, config),
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['ES256'],
    claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat'],
  };
}

/** RFC 9728 §2 protected resource metadata for one resource URL. */
export function protectedResourceMetadata(issuer: string, resource: string, config: OAuthConfig): Record<string, unknown> {
  return {
    resource,
    authorization_servers: [issuer],
    scopes_supported: config.scopes,
    bearer_methods_supported: ['header'],
    resource_name: 'SQL Server (read-only)',
  };
}

/**
 * Which document a `/.well-known/…` path names, relative to this deployment. The app sees paths
 * after nginx strips the prefix, but root well-known paths arrive unchanged, so the path-inserted
 * forms (`/.well-known/oauth-authorization-server/chatgpt`, ChatGPT's `…/chatgpt/mcp` and
 * `…/chatgpt/sse` variants) and the plain root form are all recognised.
 */
export function resolveWellKnown(
  requestPath: string,
  publicBase: string,
): { kind: 'as' | 'openid' } | { kind: 'prm'; resource: string } | undefined {
  let path = requestPath;
  const prefix = prefixOf(publicBase);
  // Mounted under the prefix too (`/chatgpt/.well-known/…` without nginx): that is the root document.
  if (prefix !== '' && path.startsWith(`${prefix}/.well-known/`)) path = path.slice(prefix.length);
  const suffixes = new Map<string, string>([['', publicBase]]);
  for (const tail of ['', '/mcp', '/sse']) suffixes.set(`${prefix}${tail}`, `${publicBase}${tail}`);
  for (const [base, kind] of [
    [AS_METADATA, 'as'],
    [OPENID, 'openid'],
    [PRM, 'prm'],
  ] as const) {
    if (path !== base && !path.startsWith(`${base}/`)) continue;
    const resource = suffixes.get(path.slice(base.length));
    if (resource === undefined) return undefined;
    return kind === 'prm' ? { kind, resource } : { kind };
  }
  return undefined;
}

function notFound(c: Context): Response {
  return c.json({ error: 'not_found', error_description: 'No such metadata document' }, 404);
}

/**
 * Discovery routes: GET (and HEAD, which Hono serves from GET) plus CORS preflight for every
 * `/.well-known/*` path, and a fast JSON 404 for any `…/.well-known/…` path that is not ours
 * (checklist item 6: never 401, HTML or 5xx, which would abort an SDK's discovery).
 */
export function metadataRoutes(ctx: OAuthContext): Hono {
  const app = new Hono();
  const serve = (c: Context) => {
    const base = ctx.publicBase(c);
    const found = resolveWellKnown(c.req.path, base);
    if (!found) return notFound(c);
    c.header('Cache-Control', 'no-cache');
    if (found.kind === 'prm') return c.json(protectedResourceMetadata(base, found.resource, ctx.config));
    if (found.kind === 'openid') return c.json(openIdConfiguration(base, ctx.config));
    return c.json(authorizationServerMetadata(base, ctx.config));
  };
  // The nested pattern also catches `/chatgpt/.well-known/…` when the app itself mounts the prefix.
  for (const pattern of ['/.well-known/*', '/:segment{.+}/.well-known/*']) {
    app.use(pattern, corsAnyOrigin);
    app.get(pattern, serve);
    app.all(pattern, notFound);
  }
  app.get('/jwks.json', corsAnyOrigin, async (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(await ctx.keys.jwks());
  });
  return app;
}
