/**
 * The fetched-document cache (client ID metadata documents, client key sets) behind its seam: the
 * in-process LRU and the Redis one every replica shares, one contract for both, against a real
 * redis-server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Cached, createMemoryDocumentCache, type FetchedDocumentCache } from '../../src/oauth/core/document-cache.ts';
import { createRedisDocumentCache } from '../../src/oauth/core/document-cache-redis.ts';
import type { RedisConnection } from '../../src/state/redis.ts';
import { type RedisReplicas, startRedisReplicas } from '../helpers/redis.ts';

let replicaA: RedisConnection;
let replicaB: RedisConnection;
let replicas: RedisReplicas;
let prefixes = 0;

before(async () => {
  replicas = await startRedisReplicas();
  ({ a: replicaA, b: replicaB } = replicas);
});

after(async () => {
  await replicas?.close();
});

type Doc = { name: string };
const URL_A = 'https://client.example/metadata.json';
const URL_B = `${URL_A}?${'x'.repeat(3000)}`;
const now = Date.now();
const good: Cached<Doc> = { ok: true, value: { name: 'A' }, fetchedAt: now, expiresAt: now + 60_000 };
const refused: Cached<Doc> = {
  ok: false,
  code: 'cimd_http_status',
  reason: 'its URL did not answer 200',
  fetchedAt: now,
  expiresAt: now + 30_000,
};

for (const [name, pair] of [
  [
    'memory',
    () => {
      const cache = createMemoryDocumentCache<Doc>();
      return [cache, cache];
    },
  ],
  [
    'redis (two replicas)',
    () => {
      const prefix = `d${++prefixes}:`;
      return [createRedisDocumentCache<Doc>(replicaA, prefix), createRedisDocumentCache<Doc>(replicaB, prefix)];
    },
  ],
] as Array<[string, () => [FetchedDocumentCache<Doc>, FetchedDocumentCache<Doc>]]>) {
  describe(`${name} document cache contract`, () => {
    it('keeps outcomes (documents and refusals) per URL until their expiry on the caller clock', async () => {
      const [writer, reader] = pair();
      assert.equal(await reader.get(URL_A, now), undefined);
      await writer.set(URL_A, good);
      await writer.set(URL_B, refused);
      assert.deepEqual(await reader.get(URL_A, now + 1), good);
      assert.deepEqual(await reader.get(URL_B, now + 1), refused, 'a long URL is its own entry');
      assert.equal(await reader.get(URL_A, now + 60_000), undefined, 'expired at expiresAt');
      assert.equal(await reader.get(URL_B, now + 30_000), undefined);
    });
  });
}
