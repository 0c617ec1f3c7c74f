import { createHash } from 'node:crypto';
import type { RedisConnection } from '../../state/redis.ts';
import type { Cached, FetchedDocumentCache } from './document-cache.ts';

/**
 * Fetched client documents (CIMD) or key sets in Redis, shared by every replica: a document fetched
 * for `/authorize` on one replica serves `/token` on another without a second fetch. Keys are the
 * SHA-256 of the URL (bounded length); each entry's TTL in Redis is its own lifetime, and `get`
 * also compares its expiry with the caller's clock. Failures reject with `StateStoreError`.
 */
export function createRedisDocumentCache<T>(redis: Pick<RedisConnection, 'run'>, prefix: string): FetchedDocumentCache<T> {
  const key = (url: string) => prefix + createHash('sha256').update(url).digest('base64url');
  return {
    async get(url, now) {
      const json = await redis.run((client) => client.get(key(url)));
      const entry = json ? (JSON.parse(json) as Cached<T>) : undefined;
      return entry && entry.expiresAt > now ? entry : undefined;
    },
    async set(url, entry) {
      const ttlMs = Math.max(1, entry.expiresAt - entry.fetchedAt);
      await redis.run((client) => client.set(key(url), JSON.stringify(entry), { PX: ttlMs }));
    },
  };
}
