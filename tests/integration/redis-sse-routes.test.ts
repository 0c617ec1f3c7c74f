import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../src/logger.ts';
import { StateStoreError } from '../../src/state/errors.ts';
import type { RedisConnection } from '../../src/state/redis.ts';
import { connectRedis } from '../../src/state/redis.ts';
import type { SseDelivery, SseRoutes } from '../../src/state/sse-routes.ts';
import { createRedisSseRoutes } from '../../src/state/sse-routes-redis.ts';
import type { TestRedis } from '../helpers/redis.ts';
import { type RedisReplicas, startRedisReplicas } from '../helpers/redis.ts';
import { sseRoutesContract } from '../unit/state/sse-routes-contract.ts';

let redis: TestRedis;
let replicaA: RedisConnection;
let replicaB: RedisConnection;
let replicas: RedisReplicas;
const logger = createLogger({ level: 'silent' });
const made: SseRoutes[] = [];
const routesOn = (connection: RedisConnection, ttlMs?: number): SseRoutes => {
  const routes = createRedisSseRoutes({ redis: connection, logger, ...(ttlMs ? { ttlMs } : {}) });
  made.push(routes);
  return routes;
};

before(async () => {
  replicas = await startRedisReplicas({ password: 'sse-secret' });
  ({ redis, a: replicaA, b: replicaB } = replicas);
});

after(async () => {
  for (const routes of made) await routes.close();
  await replicas?.close();
});

let pair: { holder: SseRoutes; poster: SseRoutes } | undefined;
sseRoutesContract('Redis, stream on replica A, POST on replica B', () => {
  pair ??= { holder: routesOn(replicaA), poster: routesOn(replicaB) };
  return pair;
});

describe('SSE session routing in Redis', () => {
  it('keeps an open session alive past its TTL by refreshing it, and lets a holder that vanished expire', async () => {
    const dying = connectRedis({ url: redis.url, logger });
    await dying.ready(5_000);
    const holder = routesOn(dying, 300);
    const poster = routesOn(replicaB);
    const id = randomUUID();
    const lease = await holder.open(id, { principalId: 'p' }, () => {});
    await new Promise((resolve) => setTimeout(resolve, 700));
    assert.equal((await poster.find(id))?.principalId, 'p', 'refreshed while open');
    // A replica that dies neither unsubscribes nor deletes: its connections go away and the key expires.
    await holder.close();
    await dying.close();
    // Redis drops the subscription once it has seen the socket close (a moment after the client's close resolves).
    let delivered = true;
    for (let i = 0; i < 40 && delivered; i += 1) {
      delivered = await poster.deliver(id, { messages: [], context: {} });
      if (delivered) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.equal(delivered, false, 'nobody listens any more');
    await new Promise((resolve) => setTimeout(resolve, 450));
    assert.equal(await poster.find(id), undefined, 'expired within its TTL');
    await lease.close();
  });

  it('refuses with StateStoreError while Redis is down (never delivers into the void), then recovers', async () => {
    const holder = routesOn(replicaA);
    const poster = routesOn(replicaB);
    const id = randomUUID();
    const received: SseDelivery[] = [];
    const lease = await holder.open(id, { principalId: 'p' }, (delivery) => received.push(delivery));
    await redis.stop();
    try {
      await assert.rejects(poster.find(id), StateStoreError);
      await assert.rejects(poster.deliver(id, { messages: [{ n: 1 }], context: {} }), StateStoreError);
      await assert.rejects(poster.noteProtocolVersion(id, '2024-11-05'), StateStoreError);
      await assert.rejects(
        holder.open(randomUUID(), { principalId: 'p' }, () => {}),
        StateStoreError,
      );
    } finally {
      await redis.start();
    }
    await Promise.all([replicaA.ready(15_000), replicaB.ready(15_000)]);
    // No persistence here: the restarted Redis lost every key. The holder registers its open session
    // again as soon as it reconnects (not at the next refresh, 20 s away), and is subscribed again.
    const deadline = Date.now() + 10_000;
    let found = await poster.find(id).catch(() => undefined);
    while (!found && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      found = await poster.find(id).catch(() => undefined);
    }
    assert.equal(found?.principalId, 'p', 'the open session is known again after the restart');
    assert.equal(await poster.deliver(id, { messages: [{ n: 2 }], context: {} }), true);
    const until = Date.now() + 3_000;
    while (received.length === 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(
      received.map((delivery) => delivery.messages),
      [[{ n: 2 }]],
    );
    const fresh = randomUUID();
    const lease2 = await holder.open(fresh, { principalId: 'p' }, () => {});
    assert.equal((await poster.find(fresh))?.principalId, 'p');
    await lease2.close();
    await lease.close();
  });
});
