import { createHash } from 'node:crypto';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { cachedLoader, createMemoryDocumentCache, lifetimeFrom, type FetchedDocumentCache } from './document-cache.ts';
import { jwksSchema } from './client-metadata.ts';
import { OAuthError } from './errors.ts';
import { rotatingKeySet } from './key-set.ts';
import type { SafeFetch } from './safe-fetch.ts';
import type { AssertionReplayStore, ClientRecord, Clock, OAuthLogger } from './types.ts';

/** RFC 7523 §2.2 `client_assertion_type`. */
export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** The signing algorithms accepted (and advertised): asymmetric only; `none` and HS* never. */
export const ASSERTION_ALGORITHMS = ['RS256', 'PS256', 'ES256'] as const;
/** `exp` may be at most this far ahead: a client assertion is for one request, not a credential. */
const MAX_LIFETIME_S = 5 * 60;
const CLOCK_TOLERANCE_S = 30;

export interface AssertionVerifierDeps {
  clock: Clock;
  replay: AssertionReplayStore;
  logger: OAuthLogger;
  /** The SSRF-guarded fetch for `jwks_uri`. */
  fetch: SafeFetch;
  cache?: FetchedDocumentCache<JSONWebKeySet>;
}

/** Checks `private_key_jwt` client assertions (RFC 7523 §2.2 and §3, RFC 7521 §4.2). */
export interface AssertionVerifier {
  /**
   * Verifies `assertion` for `client` (which must have keys); `audiences` are the values `aud` may
   * take (the endpoint URL and the issuer). Throws `invalid_client` on any failure.
   */
  verify(assertion: string, client: ClientRecord, audiences: string[]): Promise<void>;
}

const refuse = (reason: string, cause?: unknown) =>
  new OAuthError('invalid_client', `Client assertion refused: ${reason}`, cause === undefined ? {} : { cause });

/**
 * Builds the verifier. Keys come from the client's inline `jwks` or its `jwks_uri`, fetched through
 * the guarded fetch and cached by URL for the document's lifetime; a `kid` not in the cached set
 * triggers one refetch (key rotation). Claims: `iss` = `sub` = client_id, `aud` one of the
 * accepted audiences, `exp` required and at most 5 minutes ahead, `jti` required and single use
 * until `exp` (persisted in the store's replay markers), `nbf`/`iat` honoured by jose.
 */
export function createAssertionVerifier(deps: AssertionVerifierDeps): AssertionVerifier {
  const keySets = cachedLoader(deps.cache ?? createMemoryDocumentCache<JSONWebKeySet>(), deps.clock.now, async (url) => {
    const answer = await deps.fetch(url);
    if (!answer.ok) {
      deps.logger.warn('oauth.jwks_refused', { jwks_uri: url, code: answer.code, reason: answer.reason });
      return { ok: false, code: `jwks_${answer.code}`, reason: 'the key set could not be fetched' };
    }
    let parsed: ReturnType<typeof jwksSchema.safeParse> | undefined;
    try {
      parsed = jwksSchema.safeParse(JSON.parse(answer.body));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success) return { ok: false, code: 'jwks_invalid', reason: 'the key set is not a JWKS of public keys' };
    return { ok: true, value: parsed.data as JSONWebKeySet, lifetimeMs: lifetimeFrom(answer.headers) };
  });

  const keyResolver = async (client: ClientRecord): Promise<JWTVerifyGetKey> => {
    if (client.jwks) return createLocalJWKSet(client.jwks as JSONWebKeySet);
    const url = client.jwksUri;
    if (!url) throw refuse('the client has no keys');
    const entry = await keySets.get(url);
    if (!entry.ok) throw refuse(`jwks_uri: ${entry.reason}`);
    return rotatingKeySet(keySets, url, entry, deps.clock.now);
  };

  return {
    async verify(assertion, client, audiences) {
      let alg: string | undefined;
      try {
        alg = decodeProtectedHeader(assertion).alg;
      } catch (cause) {
        throw refuse('not a JWS', cause);
      }
      if (!alg || !(ASSERTION_ALGORITHMS as readonly string[]).includes(alg)) throw refuse(`alg ${alg ?? '(none)'} is not accepted`);
      const getKey = await keyResolver(client);
      const now = deps.clock.now();
      let payload;
      try {
        ({ payload } = await jwtVerify(assertion, getKey, {
          algorithms: [...ASSERTION_ALGORITHMS],
          issuer: client.clientId,
          subject: client.clientId,
          audience: audiences,
          requiredClaims: ['exp', 'jti'],
          currentDate: new Date(now),
          clockTolerance: CLOCK_TOLERANCE_S,
        }));
      } catch (cause) {
        const code = (cause as { code?: string }).code ?? 'ERR_UNKNOWN';
        deps.logger.warn('oauth.assertion_refused', { client_id: client.clientId, code });
        throw refuse(
          code === 'ERR_JWT_EXPIRED' ? 'expired' : code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' ? 'claims' : 'signature or key',
          cause,
        );
      }
      const exp = payload.exp as number;
      if (exp * 1000 > now + (MAX_LIFETIME_S + CLOCK_TOLERANCE_S) * 1000) throw refuse('exp is more than 5 minutes ahead');
      const jti = String(payload.jti);
      if (jti.length === 0 || jti.length > 200) throw refuse('jti is empty or too long');
      const key = createHash('sha256').update(`${client.clientId}\n${jti}`).digest('base64url');
      if (!(await deps.replay.useOnce(key, (exp + CLOCK_TOLERANCE_S) * 1000, now))) {
        deps.logger.warn('oauth.assertion_replayed', { client_id: client.clientId });
        throw refuse('jti was already used');
      }
    },
  };
}
