import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { Clock, KeyStore, SigningKeyRecord } from './types.ts';

/** A public key as published at `jwks_uri`. */
export interface PublicJwk extends JWK {
  kid: string;
  alg: 'ES256';
  use: 'sig';
}

/** The access-token signing keys: the newest signs, older ones verify until their tokens expired. */
export interface KeyRing {
  /** The active private key, generating and persisting the first one if the store has none. */
  signingKey(): Promise<{ kid: string; key: CryptoKey }>;
  /** The public key for `kid` if it may still verify tokens; re-reads the store for unknown kids. */
  verificationKey(kid: string): Promise<CryptoKey | undefined>;
  /** RFC 7517 key set of every key that may still verify. */
  jwks(): Promise<{ keys: PublicJwk[] }>;
}

async function newKey(now: number): Promise<SigningKeyRecord> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const privateJwk = await exportJWK(privateKey);
  return {
    kid,
    privateJwk: JSON.stringify({ ...privateJwk, kid, alg: 'ES256' }),
    publicJwk: JSON.stringify({ ...publicJwk, kid, alg: 'ES256', use: 'sig' }),
    createdAt: now,
  };
}

const stillVerifies = (key: SigningKeyRecord, now: number, ttlMs: number) => key.retiredAt === undefined || key.retiredAt + ttlMs > now;

/**
 * Adds a new ES256 key that becomes the signing key at once, and deletes keys retired longer ago
 * than the access-token lifetime (no token they signed can still be valid). Used by
 * `npm run rotate-keys`; a running server picks the new key up on its next signature.
 */
export async function rotateSigningKey(store: KeyStore, clock: Clock, accessTokenTtlSeconds: number): Promise<string> {
  const now = clock.now();
  const key = await newKey(now);
  await store.addKey(key);
  for (const old of await store.listKeys()) {
    if (!stillVerifies(old, now, accessTokenTtlSeconds * 1000)) await store.deleteKey(old.kid);
  }
  return key.kid;
}

/** Builds the key ring over the store; key material is imported once per kid and cached. */
export function createKeyRing(store: KeyStore, clock: Clock, accessTokenTtlSeconds: number): KeyRing {
  const ttlMs = accessTokenTtlSeconds * 1000;
  const imported = new Map<string, Promise<CryptoKey>>();
  let creating: Promise<unknown> | undefined;
  const importOnce = (cacheKey: string, jwk: string) => {
    let key = imported.get(cacheKey);
    if (!key) {
      key = importJWK(JSON.parse(jwk) as JWK, 'ES256') as Promise<CryptoKey>;
      imported.set(cacheKey, key);
    }
    return key;
  };

  const active = async (): Promise<SigningKeyRecord> => {
    let current = (await store.listKeys()).filter((key) => key.retiredAt === undefined).at(-1);
    if (!current) {
      creating ??= newKey(clock.now()).then((key) => store.addKey(key));
      await creating;
      creating = undefined;
      current = (await store.listKeys()).filter((key) => key.retiredAt === undefined).at(-1);
    }
    if (!current) throw new Error('no signing key available');
    return current;
  };

  return {
    async signingKey() {
      const record = await active();
      return { kid: record.kid, key: await importOnce(`private:${record.kid}`, record.privateJwk) };
    },
    async verificationKey(kid) {
      const record = (await store.listKeys()).find((key) => key.kid === kid);
      if (!record || !stillVerifies(record, clock.now(), ttlMs)) return undefined;
      return importOnce(`public:${kid}`, record.publicJwk);
    },
    async jwks() {
      await active();
      const now = clock.now();
      const keys = (await store.listKeys())
        .filter((key) => stillVerifies(key, now, ttlMs))
        .map((key) => JSON.parse(key.publicJwk) as PublicJwk);
      return { keys };
    },
  };
}
