import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRedisCache } from '../../src/cache/redis.ts';
import { createLogger } from '../../src/logger.ts';
import { connectRedis } from '../../src/state/redis.ts';
import type { TestRedis } from '../helpers/redis.ts';
import { startTestRedis } from '../helpers/redis.ts';

let redis: TestRedis;

before(async () => {
  redis = await startTestRedis({ tls: true, password: 'tls-secret' });
});

after(async () => {
  await redis?.close();
});

describe('rediss:// (TLS) state store', () => {
  it('connects over TLS with the ACL user and password when the CA is given, and serves the cache', async () => {
    const connection = connectRedis({
      url: redis.url,
      logger: createLogger({ level: 'silent' }),
      ...(redis.caPem ? { ca: redis.caPem } : {}),
    });
    try {
      assert.equal(await connection.ready(5_000), true, JSON.stringify(connection.health()));
      const cache = createRedisCache<string>({ ttlMs: 10_000, maxEntries: 10, maxBytes: 1_000, redis: connection });
      await cache.set('p', 'k', 'over tls', 8);
      assert.equal(await cache.get('p', 'k'), 'over tls');
    } finally {
      await connection.close();
    }
  });

  it('refuses a server certificate nobody vouches for, and says so in its health', async () => {
    const connection = connectRedis({ url: redis.url, logger: createLogger({ level: 'silent' }) });
    try {
      assert.equal(await connection.ready(1_500), false);
      const health = connection.health();
      assert.equal(health.ok, false);
      assert.match(health.error ?? '', /TLS|CERT/i);
      assert.doesNotMatch(health.error ?? '', /tls-secret|127\.0\.0\.1/);
    } finally {
      await connection.close();
    }
  });

  it('refuses wrong credentials with a reason that names the variable, not the secret', async () => {
    const url = redis.url.replace('tls-secret', 'wrong-secret');
    const connection = connectRedis({ url, logger: createLogger({ level: 'silent' }), ...(redis.caPem ? { ca: redis.caPem } : {}) });
    try {
      assert.equal(await connection.ready(1_500), false);
      assert.match(connection.health().error ?? '', /STATE_STORE_URL/);
      assert.doesNotMatch(connection.health().error ?? '', /secret/);
    } finally {
      await connection.close();
    }
  });
});
