import { createHash } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { ASSERTION_ALGORITHMS } from './client-assertion.ts';
import { jwksSchema } from './client-metadata.ts';
import { cachedLoader, createMemoryDocumentCache, lifetimeFrom } from './document-cache.ts';
import { OAuthError } from './errors.ts';
import { rotatingKeySet } from './key-set.ts';
import type { SafeFetch } from './safe-fetch.ts';
import type { AssertionReplayStore, Clock, OAuthLogger } from './types.ts';

/** The media type an ID-JAG carries in `typ` (draft-ietf-oauth-identity-assertion-authz-grant §3, RFC 8725 §3.11). */
export const ID_JAG_TYP = 'oauth-id-jag+jwt';
const CLOCK_TOLERANCE_S = 30;
/** An ID-JAG is short-lived (the draft's example: 5 minutes); longer ones are refused. */
const MAX_LIFETIME_S = 10 * 60;

export interface IdJagVerifierDeps {
  clock: Clock;
  replay: AssertionReplayStore;
  logger: OAuthLogger;
  /** The SSRF-guarded fetch, for the issuer's metadata and key set. */
  fetch: SafeFetch;
  /** OAUTH_EMA_TRUSTED_ISSUERS. */
  trustedIssuers: readonly string[];
}

export interface VerifiedIdJag {
  issuer: string;
  claims: JWTPayload & Record<string, unknown>;
  /** The `resource` claim, when present. */
  resource?: string;
  /** The `scope` claim split, when present. */
  scopes?: string[];
}

const refuse = (reason: string, cause?: unknown) =>
  new OAuthError('invalid_grant', `Identity assertion refused: ${reason}`, cause === undefined ? {} : { cause });

/**
 * Verifies Identity Assertion JWT Authorization Grants (enterprise-managed authorization): `typ`
 * oauth-id-jag+jwt, an issuer from OAUTH_EMA_TRUSTED_ISSUERS whose key set is found through its
 * metadata (OpenID discovery, else RFC 8414) with the guarded fetch, an asymmetric signature,
 * `aud` = our issuer, `client_id` = the authenticated client, `exp` at most 10 minutes ahead,
 * `jti` single use until expiry. Throws `invalid_grant` (RFC 7521 §5.2).
 */
export function createIdJagVerifier(deps: IdJagVerifierDeps) {
  const loadJson = async (url: string) => {
    const answer = await deps.fetch(url);
    if (!answer.ok) return { ok: false as const, code: answer.code, reason: answer.reason };
    try {
      return { ok: true as const, value: JSON.parse(answer.body) as Record<string, unknown>, lifetimeMs: lifetimeFrom(answer.headers) };
    } catch {
      return { ok: false as const, code: 'invalid_json', reason: 'not JSON' };
    }
  };
  const metadata = cachedLoader(createMemoryDocumentCache<Record<string, unknown>>(50), deps.clock.now, loadJson);
  const keySets = cachedLoader(createMemoryDocumentCache<JSONWebKeySet>(50), deps.clock.now, async (url) => {
    const answer = await loadJson(url);
    if (!answer.ok) return answer;
    const parsed = jwksSchema.safeParse(answer.value);
    return parsed.success
      ? { ...answer, value: parsed.data as JSONWebKeySet }
      : { ok: false, code: 'jwks_invalid', reason: 'not a JWKS of public keys' };
  });

  const jwksUriOf = async (issuer: string): Promise<string> => {
    const url = new URL(issuer);
    const candidates = [
      `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`,
      `${url.origin}/.well-known/oauth-authorization-server${url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '')}`,
    ];
    for (const candidate of candidates) {
      const entry = await metadata.get(candidate);
      // RFC 8414 §3.3: the metadata must name the same issuer it was fetched for.
      if (entry.ok && entry.value.issuer === issuer && typeof entry.value.jwks_uri === 'string') return entry.value.jwks_uri;
    }
    throw refuse("the issuer's metadata or key set could not be found");
  };

  return {
    async verify(assertion: string, expected: { audience: string; clientId: string }): Promise<VerifiedIdJag> {
      let header: ReturnType<typeof decodeProtectedHeader>;
      let unverified: JWTPayload;
      try {
        header = decodeProtectedHeader(assertion);
        unverified = decodeJwt(assertion);
      } catch (cause) {
        throw refuse('not a JWT', cause);
      }
      if (header.typ?.toLowerCase() !== ID_JAG_TYP) throw refuse(`typ must be ${ID_JAG_TYP}`);
      const issuer = unverified.iss;
      if (typeof issuer !== 'string' || !deps.trustedIssuers.includes(issuer)) {
        deps.logger.warn('oauth.id_jag_untrusted_issuer', { issuer: String(issuer).slice(0, 200) });
        throw refuse('the issuer is not trusted (OAUTH_EMA_TRUSTED_ISSUERS)');
      }
      const jwksUri = await jwksUriOf(issuer);
      const entry = await keySets.get(jwksUri);
      if (!entry.ok) throw refuse("the issuer's key set could not be fetched");
      const getKey = rotatingKeySet(keySets, jwksUri, entry, deps.clock.now);
      const now = deps.clock.now();
      let claims: JWTPayload;
      try {
        ({ payload: claims } = await jwtVerify(assertion, getKey, {
          algorithms: [...ASSERTION_ALGORITHMS],
          typ: ID_JAG_TYP,
          issuer,
          audience: expected.audience,
          requiredClaims: ['exp', 'iat', 'jti', 'sub', 'client_id'],
          currentDate: new Date(now),
          clockTolerance: CLOCK_TOLERANCE_S,
        }));
      } catch (cause) {
        const code = (cause as { code?: string }).code ?? 'ERR_UNKNOWN';
        deps.logger.warn('oauth.id_jag_refused', { issuer, code });
        const reason =
          code === 'ERR_JWT_EXPIRED'
            ? 'expired'
            : code === 'ERR_JWT_CLAIM_VALIDATION_FAILED'
              ? `claims (${(cause as Error).message})`
              : 'signature or key';
        throw refuse(reason, cause);
      }
      const record = claims as JWTPayload & Record<string, unknown>;
      if (record.client_id !== expected.clientId) throw refuse('client_id names another client than the one authenticated');
      const exp = claims.exp as number;
      if (exp * 1000 > now + (MAX_LIFETIME_S + CLOCK_TOLERANCE_S) * 1000) throw refuse('exp is more than 10 minutes ahead');
      const jti = String(claims.jti);
      if (jti.length === 0 || jti.length > 200) throw refuse('jti is empty or too long');
      const key = createHash('sha256').update(`id-jag\n${issuer}\n${jti}`).digest('base64url');
      if (!(await deps.replay.useOnce(key, (exp + CLOCK_TOLERANCE_S) * 1000, now))) {
        deps.logger.warn('oauth.id_jag_replayed', { issuer, client_id: expected.clientId });
        throw refuse('jti was already used');
      }
      const resource = typeof record.resource === 'string' ? record.resource : undefined;
      const scopes = typeof record.scope === 'string' ? record.scope.split(' ').filter(Boolean) : undefined;
      return { issuer, claims: record, ...(resource ? { resource } : {}), ...(scopes ? { scopes } : {}) };
    },
  };
}

export type IdJagVerifier = ReturnType<typeof createIdJagVerifier>;
