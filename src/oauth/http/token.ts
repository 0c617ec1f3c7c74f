import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { authenticateClient } from './client-auth.ts';
import { OAuthError } from '../core/errors.ts';
import { corsAnyOrigin, jsonNoStore, oauthErrorResponse, readForm, type OAuthContext } from './context.ts';
import { personOf } from '../core/identity/person.ts';
import { identityAssertionGrant } from './token-id-jag.ts';
import { hashSecret, openWith, randomToken, s256, safeEqual, sealWith } from '../core/secrets.ts';
import { signAccessToken } from '../core/tokens.ts';
import {
  ID_JAG_GRANT,
  parseTokenParams,
  type AuthorizationCodeParams,
  type GrantType,
  type RefreshTokenParams,
} from '../core/token-params.ts';
import type { ClientRecord, RefreshFamily } from '../core/types.ts';
import { matchResource } from '../core/urls.ts';

/** RFC 6749 §5.1 successful token response. */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token?: string;
  scope: string;
}

const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
/** Consumed codes are remembered this long, so a late replay still revokes what the code issued. */
const CONSUMED_CODE_RETENTION_MS = 24 * 3_600_000;

/** Log fields that tell which registration path (RFC 7591 or CIMD) and client authentication a client used. */
export function howAuthenticated(client: ClientRecord, form: { client_assertion?: string | undefined }): Record<string, string> {
  const method = form.client_assertion ? 'private_key_jwt' : client.secretHash ? 'client_secret' : 'none';
  return { registration: client.registration ?? 'dcr', auth_method: method };
}

/**
 * `POST /token` (RFC 6749 §3.2, OAuth 2.1 §4.1.3 and §4.3). `authorization_code`: the code is single
 * use and must come from the same client with the same redirect URI, a PKCE verifier matching the
 * S256 challenge and (if sent) the same resource; a replayed code revokes the grant it issued
 * (§4.1.2). `refresh_token`: rotated on every use for every client; a rotated token presented again
 * within the grace window returns the same new pair (concurrent refreshes from several egress IPs),
 * after it the whole family is revoked (reuse means theft). Errors are §5.2 JSON, never cached.
 */
export function tokenRoutes(ctx: OAuthContext): Hono {
  const app = new Hono();
  const refreshTtlMs = ctx.config.refreshTokenTtlDays * 86_400_000;
  const maxGrantMs = ctx.config.identity.maxGrantDays * 86_400_000;
  /** When the grant needs a new sign-in (OAUTH_MAX_GRANT_DAYS after the person proved who they are). */
  const grantEnd = (family: RefreshFamily) => (family.person?.signedInAt ?? family.createdAt) + maxGrantMs;
  const emaOn = ctx.config.identity.emaTrustedIssuers.length > 0;
  const grants: GrantType[] = emaOn ? ['authorization_code', 'refresh_token', ID_JAG_GRANT] : ['authorization_code', 'refresh_token'];

  const issuePair = async (c: Context, family: RefreshFamily, scopes: string[]) => {
    const refreshToken = randomToken(32);
    const accessToken = await signAccessToken(ctx.keys, ctx.clock, ctx.config.accessTokenTtlSeconds, {
      issuer: ctx.publicBase(c),
      audience: family.resource,
      subject: family.subject,
      clientId: family.clientId,
      scopes,
      familyId: family.familyId,
    });
    const response: TokenResponse = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: ctx.config.accessTokenTtlSeconds,
      refresh_token: refreshToken,
      scope: scopes.join(' '),
    };
    const expiresAt = Math.min(ctx.clock.now() + refreshTtlMs, grantEnd(family));
    const next = { tokenHash: hashSecret(refreshToken), familyId: family.familyId, expiresAt };
    return { response, next };
  };

  const checkResource = (c: Context, requested: string | undefined, granted: string) => {
    if (requested === undefined) return;
    if (matchResource(ctx.publicBase(c), requested) !== granted) {
      throw new OAuthError('invalid_target', 'resource differs from the one authorized');
    }
  };

  const authorizationCode = async (c: Context, form: AuthorizationCodeParams, client: ClientRecord) => {
    const now = ctx.clock.now();
    const codeHash = hashSecret(form.code);
    const result = await ctx.store.consumeCode(codeHash, now, now + CONSUMED_CODE_RETENTION_MS);
    if (result.status === 'unknown') throw new OAuthError('invalid_grant', 'Unknown authorization code');
    const code = result.code;
    if (result.status === 'replayed') {
      if (result.familyId) await ctx.store.revokeFamily(result.familyId);
      const revoked = result.familyId !== undefined;
      ctx.logger.warn('oauth.code_replayed', { client_id: client.clientId, operator: code.subject, revoked });
      throw new OAuthError('invalid_grant', 'Authorization code already used');
    }
    if (code.expiresAt <= now) throw new OAuthError('invalid_grant', 'Authorization code expired');
    if (code.clientId !== client.clientId) {
      throw new OAuthError('invalid_grant', 'Authorization code was issued to another client');
    }
    const redirectUri = form.redirect_uri;
    if ((code.redirectUriExplicit || redirectUri !== undefined) && redirectUri !== code.redirectUri) {
      throw new OAuthError('invalid_grant', 'redirect_uri differs from the authorization request');
    }
    const verifier = form.code_verifier;
    if (!verifier || !VERIFIER.test(verifier)) throw new OAuthError('invalid_grant', 'code_verifier missing or malformed');
    if (!safeEqual(s256(verifier), code.codeChallenge)) throw new OAuthError('invalid_grant', 'PKCE verification failed');
    checkResource(c, form.resource, code.resource);

    const family: RefreshFamily = {
      familyId: randomUUID(),
      clientId: client.clientId,
      subject: code.subject,
      scopes: code.scopes,
      resource: code.resource,
      createdAt: now,
      revoked: false,
      person: personOf(code),
    };
    const { response, next } = await issuePair(c, family, family.scopes);
    // RFC 7591 §2: a client that did not register refresh_token gets none (its family still exists,
    // so revoking the grant works as for anyone else).
    if (!client.grantTypes.includes('refresh_token')) delete response.refresh_token;
    await ctx.store.createFamily(family, next);
    await ctx.store.setCodeFamily(codeHash, family.familyId);
    ctx.logger.info('oauth.token_issued', {
      grant: 'authorization_code',
      client_id: client.clientId,
      operator: family.subject,
      ...howAuthenticated(client, form),
    });
    return response;
  };

  const refreshToken = async (c: Context, form: RefreshTokenParams, client: ClientRecord) => {
    const presented = form.refresh_token;
    const tokenHash = hashSecret(presented);
    const token = await ctx.store.findRefresh(tokenHash);
    const family = token && (await ctx.store.getFamily(token.familyId));
    const now = ctx.clock.now();
    if (!token || !family || family.revoked || token.expiresAt <= now) {
      throw new OAuthError('invalid_grant', 'Refresh token is not valid');
    }
    if (family.clientId !== client.clientId) throw new OAuthError('invalid_grant', 'Refresh token was issued to another client');
    // The grant follows the person: asked again under today's configuration, and bounded in age.
    const admission = ctx.identities.admit(personOf(family));
    if (!admission.ok) {
      ctx.logger.warn('oauth.refresh_refused', { client_id: client.clientId, operator: family.subject, code: admission.code });
      throw new OAuthError('invalid_grant', `The person who consented may no longer connect: ${admission.message}`);
    }
    if (grantEnd(family) <= now) throw new OAuthError('invalid_grant', 'The grant is older than OAUTH_MAX_GRANT_DAYS: sign in again');
    checkResource(c, form.resource, family.resource);
    const requested = form.scope?.split(' ').filter(Boolean);
    if (requested && requested.some((scope) => !family.scopes.includes(scope))) {
      throw new OAuthError('invalid_scope', 'scope exceeds the original grant');
    }
    const audit = { client_id: client.clientId, operator: family.subject };

    const replay = async (rotatedAt: number | undefined, blob: string | undefined): Promise<TokenResponse> => {
      const withinGrace = rotatedAt !== undefined && now - rotatedAt <= ctx.config.refreshGraceSeconds * 1000;
      const pair = withinGrace && blob ? openWith(presented, blob) : undefined;
      if (pair) {
        ctx.logger.info('oauth.refresh_grace', audit);
        return JSON.parse(pair) as TokenResponse;
      }
      await ctx.store.revokeFamily(family.familyId);
      ctx.logger.warn('oauth.refresh_reuse', { ...audit, family: family.familyId });
      throw new OAuthError('invalid_grant', 'Refresh token already used');
    };

    if (token.rotatedAt !== undefined) return replay(token.rotatedAt, token.graceBlob);
    const { response, next } = await issuePair(c, family, requested ?? family.scopes);
    if (!(await ctx.store.rotateRefresh(tokenHash, now, sealWith(presented, JSON.stringify(response)), next))) {
      const winner = await ctx.store.findRefresh(tokenHash);
      return replay(winner?.rotatedAt, winner?.graceBlob);
    }
    ctx.logger.info('oauth.token_issued', {
      grant: 'refresh_token',
      ...audit,
      ...howAuthenticated(client, form),
    });
    return response;
  };

  app.use('/token', corsAnyOrigin);
  app.post('/token', async (c) => {
    try {
      const form = await readForm(c);
      const params = parseTokenParams(form, grants);
      const grant = params.grant_type;
      const base = ctx.publicBase(c);
      const client = await authenticateClient(c, form, {
        clients: ctx.clients,
        assertions: ctx.assertions,
        requester: ctx.clientIp(c),
        audiences: [`${base}/token`, base],
      });
      // RFC 6749 §5.2 / RFC 7591 §2: a client may use only the grant types it registered.
      if (!client.grantTypes.includes(grant)) {
        throw new OAuthError('unauthorized_client', `This client did not register the ${grant} grant type`);
      }
      const response =
        params.grant_type === 'authorization_code'
          ? await authorizationCode(c, params, client)
          : params.grant_type === 'refresh_token'
            ? await refreshToken(c, params, client)
            : await identityAssertionGrant(ctx, c, params, client, issuePair);
      return jsonNoStore(c, response);
    } catch (error) {
      return oauthErrorResponse(c, error, ctx.logger);
    }
  });
  return app;
}
