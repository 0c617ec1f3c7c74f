import type { TokenVerifier, VerifyResult } from './verifier.ts';
import { personOf, type Identities } from '../oauth/core/identity/person.ts';
import type { KeyRing } from '../oauth/core/keys.ts';
import { isJwtShaped, verifyAccessToken } from '../oauth/core/tokens.ts';
import type { Clock, GrantStore, OAuthLogger } from '../oauth/core/types.ts';
import { baseOfResource, resourcesFor } from '../oauth/core/urls.ts';

export interface VerifierDeps {
  keys: KeyRing;
  store: Pick<GrantStore, 'getFamily'>;
  clock: Clock;
  logger: OAuthLogger;
  /** Every one of these must be in the token's `scope`, else 403 insufficient_scope. */
  requiredScopes: readonly string[];
  /** May the person behind the grant still connect? (an account removed, a group no longer allowed) */
  identities: Identities;
}

/**
 * The OAuth `TokenVerifier` for the resource server. `request.resource` is the absolute URL of the
 * protected endpoint being called (`<publicBase>/mcp`, `/sse` or `/messages`): its public base is
 * the only accepted issuer, and the token's audience must be one of that server's resource names.
 * Tokens that are not JWT-shaped return null so the static API-key verifier can be tried; a JWT
 * whose grant was revoked (RFC 7009, code replay, refresh reuse) or whose person may no longer
 * connect (identity seam) is refused. The principal carries the person's e-mail and groups.
 */
export function createOAuthVerifier(deps: VerifierDeps): TokenVerifier {
  return {
    async verify(token, request): Promise<VerifyResult | null> {
      if (!isJwtShaped(token)) return null;
      const base = baseOfResource(request.resource);
      const result = await verifyAccessToken(deps.keys, deps.clock, token, {
        issuer: base,
        audiences: resourcesFor(base),
      });
      if (!result.ok) {
        deps.logger.info('oauth.token_rejected', { reason: result.reason });
        const description = result.reason === 'expired' ? 'The access token expired' : 'The access token is not valid here';
        return { ok: false, error: 'invalid_token', description };
      }
      const claims = result.token;
      const family = await deps.store.getFamily(claims.familyId);
      const admission = family && !family.revoked ? deps.identities.admit(personOf(family)) : undefined;
      if (!family || !admission?.ok || family.subject !== claims.subject) {
        deps.logger.info('oauth.token_rejected', { reason: 'revoked', client_id: claims.clientId, operator: claims.subject });
        return { ok: false, error: 'invalid_token', description: 'The access token was revoked' };
      }
      const missing = deps.requiredScopes.filter((scope) => !claims.scopes.includes(scope));
      if (missing.length > 0) {
        return { ok: false, error: 'insufficient_scope', description: `Requires scope ${deps.requiredScopes.join(' ')}` };
      }
      return {
        ok: true,
        principal: {
          id: `oauth:${claims.clientId}:${claims.subject}`,
          kind: 'oauth',
          clientId: claims.clientId,
          subject: claims.subject,
          scopes: claims.scopes,
          ...(family.person?.email ? { email: family.person.email } : {}),
          groups: family.person?.groups ?? [],
          admin: admission.admin,
        },
      };
    },
  };
}
