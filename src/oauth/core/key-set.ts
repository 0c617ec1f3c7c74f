import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { Cached, cachedLoader } from './document-cache.ts';

/** An unknown `kid` refetches the key set at most this often (key rotation, not a loop). */
const REFETCH_COOLDOWN_MS = 30_000;

/**
 * A jose key resolver over a cached key set (a client's `jwks_uri`, an IdP's JWKS): a `kid` that is
 * not in the cached set refetches it once, unless it was fetched in the last 30 seconds.
 */
export function rotatingKeySet(
  keySets: ReturnType<typeof cachedLoader<JSONWebKeySet>>,
  url: string,
  first: Cached<JSONWebKeySet> & { ok: true },
  now: () => number,
): JWTVerifyGetKey {
  let entry: Cached<JSONWebKeySet> = first;
  let local = createLocalJWKSet(first.value);
  return async (header, token) => {
    try {
      return await local(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || now() - entry.fetchedAt < REFETCH_COOLDOWN_MS) throw error;
      entry = await keySets.get(url, { fresh: true });
      if (!entry.ok) throw error;
      local = createLocalJWKSet(entry.value);
      return local(header, token);
    }
  };
}
