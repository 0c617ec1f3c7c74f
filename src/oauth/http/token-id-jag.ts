import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { OAuthError } from '../core/errors.ts';
import type { OAuthContext } from './context.ts';
import { personFromClaims } from '../core/identity/idp-policy.ts';
import type { IdentityAssertionParams } from '../core/token-params.ts';
import type { TokenResponse } from './token.ts';
import type { ClientRecord, RefreshFamily, RefreshTokenRecord } from '../core/types.ts';
import { canonicalResource, matchResource } from '../core/urls.ts';

type IssuePair = (c: Context, family: RefreshFamily, scopes: string[]) => Promise<{ response: TokenResponse; next: RefreshTokenRecord }>;

/**
 * Enterprise-managed authorization (MCP EMA extension; draft-ietf-oauth-identity-assertion-authz-
 * grant §4.3): the client presents an ID-JAG its company IdP issued for this server and gets an
 * access token without a consent page, because the IdP's policy already approved the client for
 * this person. Only confidential clients (a secret or `private_key_jwt`, §7.1). The person is
 * judged by the same rules as a company sign-in (OIDC_ALLOWED_*). The grant is recorded as a family
 * (so revocation, `clients revoke` and the resource server's checks work), but no refresh token
 * is returned (§4.2.2: the client asks its IdP for a new ID-JAG instead).
 */
export async function identityAssertionGrant(
  ctx: OAuthContext,
  c: Context,
  form: IdentityAssertionParams,
  client: ClientRecord,
  issuePair: IssuePair,
): Promise<TokenResponse> {
  if (!ctx.idJag) throw new OAuthError('unsupported_grant_type', 'Identity assertions are not accepted here');
  if (!client.secretHash && !form.client_assertion) {
    throw new OAuthError('unauthorized_client', 'Identity assertion grants need a confidential client (a secret or private_key_jwt)');
  }
  const assertion = form.assertion;
  const base = ctx.publicBase(c);
  const jag = await ctx.idJag.verify(assertion, { audience: base, clientId: client.clientId });

  // The resource the IdP approved, and the one the client asks for (RFC 8707), must agree and be ours.
  const named = jag.resource ?? form.resource;
  const resource = named === undefined ? canonicalResource(base) : matchResource(base, named);
  if (!resource) throw new OAuthError('invalid_target', 'resource does not name this server');
  if (form.resource !== undefined && matchResource(base, form.resource) !== resource) {
    throw new OAuthError('invalid_target', 'resource differs from the one in the assertion');
  }
  // RFC 6749 §3.3: issue what is both approved by the IdP and known here; nothing known is an error.
  const wanted = jag.scopes ?? ctx.config.defaultScopes;
  const scopes = wanted.filter((scope) => ctx.config.scopes.includes(scope));
  if (scopes.length === 0) throw new OAuthError('invalid_scope', 'The assertion grants no scope this server knows');

  const now = ctx.clock.now();
  const person = personFromClaims(jag.issuer, jag.claims, ctx.config.identity.policy.groupsClaim, now);
  const admission = ctx.identities.admit(person);
  const audit = { client_id: client.clientId, operator: person.subject, issuer: jag.issuer };
  if (!admission.ok) {
    ctx.logger.warn('oauth.id_jag_not_approved', { ...audit, code: admission.code });
    throw new OAuthError('invalid_grant', admission.message);
  }
  const family: RefreshFamily = {
    familyId: randomUUID(),
    clientId: client.clientId,
    subject: person.subject,
    scopes,
    resource,
    createdAt: now,
    revoked: false,
    person,
  };
  const { response, next } = await issuePair(c, family, scopes);
  // The family's refresh token is never handed out: it only anchors revocation.
  await ctx.store.createFamily(family, next);
  ctx.logger.info('oauth.token_issued', { grant: 'id_jag', ...audit, scope: scopes.join(' ') });
  const { refresh_token: _unused, ...withoutRefresh } = response;
  return withoutRefresh;
}
