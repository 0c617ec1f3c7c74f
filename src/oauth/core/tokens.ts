import { compactVerify, decodeProtectedHeader, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { KeyRing } from './keys.ts';
import { randomToken } from './secrets.ts';
import type { Clock } from './types.ts';

/** RFC 9068 access-token media type, set as the JWT `typ` header. */
export const ACCESS_TOKEN_TYP = 'at+jwt';

/** What an access token says (RFC 9068 §2.2 plus `fid`, the refresh family it belongs to). */
export interface AccessTokenClaims {
  issuer: string;
  audience: string;
  subject: string;
  clientId: string;
  scopes: string[];
  familyId: string;
}

export interface VerifiedAccessToken extends AccessTokenClaims {
  jti: string;
  expiresAt: number;
}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Whether a bearer string looks like a compact JWS at all (else it belongs to another verifier). */
export function isJwtShaped(token: string): boolean {
  return JWT_SHAPE.test(token);
}

/** Signs an ES256 access token with the ring's active key; `kid` names the key for rotation. */
export async function signAccessToken(keys: KeyRing, clock: Clock, ttlSeconds: number, claims: AccessTokenClaims): Promise<string> {
  const { kid, key } = await keys.signingKey();
  const iat = Math.floor(clock.now() / 1000);
  return new SignJWT({ client_id: claims.clientId, scope: claims.scopes.join(' '), fid: claims.familyId })
    .setProtectedHeader({ alg: 'ES256', kid, typ: ACCESS_TOKEN_TYP })
    .setIssuer(claims.issuer)
    .setAudience(claims.audience)
    .setSubject(claims.subject)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .setJti(randomToken(16))
    .sign(key);
}

function claimsOf(payload: JWTPayload): VerifiedAccessToken | undefined {
  const { iss, aud, sub, jti, exp, client_id: clientId, scope, fid } = payload as JWTPayload & Record<string, unknown>;
  if (typeof iss !== 'string' || typeof aud !== 'string' || typeof sub !== 'string' || typeof jti !== 'string') return undefined;
  if (typeof exp !== 'number' || typeof clientId !== 'string' || typeof scope !== 'string' || typeof fid !== 'string') {
    return undefined;
  }
  const scopes = scope.split(' ').filter(Boolean);
  return { issuer: iss, audience: aud, subject: sub, clientId, scopes, familyId: fid, jti, expiresAt: exp * 1000 };
}

/** Why a token was refused, for logs (never shown to clients beyond `invalid_token`). */
export type TokenRejection = 'malformed' | 'algorithm' | 'unknown_key' | 'signature' | 'expired' | 'claims';

/**
 * Verifies an access token: ES256 only (so `alg: none` and HS256 signed with our public key fail
 * before any key is used), a `kid` of one of our keys, `typ` at+jwt, not expired, `iss` equal to
 * `issuer` and `aud` one of `audiences` (RFC 8707: never accept a token meant for someone else).
 */
export async function verifyAccessToken(
  keys: KeyRing,
  clock: Clock,
  token: string,
  expected: { issuer: string; audiences: string[] },
): Promise<{ ok: true; token: VerifiedAccessToken } | { ok: false; reason: TokenRejection }> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (header.alg !== 'ES256') return { ok: false, reason: 'algorithm' };
  const key = typeof header.kid === 'string' ? await keys.verificationKey(header.kid) : undefined;
  if (!key) return { ok: false, reason: 'unknown_key' };
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['ES256'],
      typ: ACCESS_TOKEN_TYP,
      issuer: expected.issuer,
      audience: expected.audiences,
      currentDate: new Date(clock.now()),
      requiredClaims: ['exp', 'iat', 'sub', 'jti'],
    });
    const claims = claimsOf(payload);
    return claims ? { ok: true, token: claims } : { ok: false, reason: 'claims' };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_JWT_EXPIRED') return { ok: false, reason: 'expired' };
    if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') return { ok: false, reason: 'signature' };
    return { ok: false, reason: 'claims' };
  }
}

/**
 * Checks only that `token` is an access token we signed (any age, any audience) and returns its
 * claims: what RFC 7009 revocation needs to find the grant behind it.
 */
export async function readOwnAccessToken(keys: KeyRing, token: string): Promise<VerifiedAccessToken | undefined> {
  if (!isJwtShaped(token)) return undefined;
  try {
    const header = decodeProtectedHeader(token);
    if (header.alg !== 'ES256' || typeof header.kid !== 'string') return undefined;
    const key = await keys.verificationKey(header.kid);
    if (!key) return undefined;
    const { payload } = await compactVerify(token, key, { algorithms: ['ES256'] });
    return claimsOf(JSON.parse(new TextDecoder().decode(payload)) as JWTPayload);
  } catch {
    return undefined;
  }
}
