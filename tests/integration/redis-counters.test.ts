import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../src/logger.ts';
import { StateStoreError } from '../../src/state/errors.ts';
import { createRateLimiter } from '../../src/state/rate-limiter.ts';
import type { RedisConnection } from '../../src/state/redis.ts';
import { connectRedis } from '../../src/state/redis.ts';
import type { TestRedis } from '../helpers/redis.ts';
import { startTestRedis } from '../helpers/redis.ts';
import { createRedisCounters } from '../../src/state/counters-redis.ts';
import { countersContract } from '../unit/state/counters-contract.ts';
import { rateLimiterContract } from '../unit/state/rate-limiter-contract.ts';

let redis: TestRedis;
let replicaA: RedisConnection;
let replicaB: RedisConnection;
let n = 0;

before(async () => {
  redis = await startTestRedis({ password: 'limiter-secret' });
  const logger = createLogger({ level: 'silent' });
  replicaA = connectRedis({ url: redis.url, logger });
  replicaB = connectRedis({ url: redis.url, logger });
  await Promise.all([replicaA.ready(5_000), replicaB.ready(5_000)]);
});

after(async () => {
  await replicaA?.close();
  await replicaB?.close();
  await redis?.close();
});

rateLimiterContract('Redis (RateLimiterRedis)', (perMinute, windowSeconds) =>
  createRateLimiter({ perMinute, name: `t${++n}`, redis: replicaA, ...(windowSeconds ? { windowSeconds } : {}) }),
);

let counterPrefix = 0;
countersContract('Redis (sign-in counters)', () => createRedisCounters(replicaA, `c${++counterPrefix}:`));

describe('rate limits shared through Redis', () => {
  it('holds one limit across two replicas, also under concurrent calls', async () => {
    const a = createRateLimiter({ perMinute: 10, name: 'shared', redis: replicaA });
    const b = createRateLimiter({ perMinute: 10, name: 'shared', redis: replicaB });
    const verdicts = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? a : b).take('principal:ann')));
    assert.equal(verdicts.filter((v) => v.ok).length, 10);
  });

  it('refuses with StateStoreError while Redis is down, never counting in process instead', async () => {
    const limiter = createRateLimiter({ perMinute: 1_000, name: 'down', redis: replicaA });
    await redis.stop();
    try {
      await assert.rejects(limiter.take('k'), StateStoreError);
      await assert.rejects(limiter.peek('k'), StateStoreError);
    } finally {
      await redis.start();
    }
    await replicaA.ready(10_000);
    assert.deepEqual(await limiter.take('k'), { ok: true });
  });
});
