import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { StateStoreError } from '../../src/state/errors.ts';
import { createRateLimiter } from '../../src/state/rate-limiter.ts';
import type { RedisConnection } from '../../src/state/redis.ts';
import type { TestRedis } from '../helpers/redis.ts';
import { type RedisReplicas, startRedisReplicas } from '../helpers/redis.ts';
import { createRedisCounters } from '../../src/state/counters-redis.ts';
import { countersContract } from '../unit/state/counters-contract.ts';
import { rateLimiterContract } from '../unit/state/rate-limiter-contract.ts';

let redis: TestRedis;
let replicaA: RedisConnection;
let replicaB: RedisConnection;
let replicas: RedisReplicas;
let n = 0;

before(async () => {
  replicas = await startRedisReplicas({ password: 'limiter-secret' });
  ({ redis, a: replicaA, b: replicaB } = replicas);
});

after(async () => {
  await replicas?.close();
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
