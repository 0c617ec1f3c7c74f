import { after, before } from 'node:test';
import { createRedisCache } from '../../src/cache/redis.ts';
import { createLogger } from '../../src/logger.ts';
import type { RedisConnection } from '../../src/state/redis.ts';
import { connectRedis } from '../../src/state/redis.ts';
import type { TestRedis } from '../helpers/redis.ts';
import { startTestRedis } from '../helpers/redis.ts';
import { cacheContract } from '../unit/cache/contract.ts';

let redis: TestRedis;
let connection: RedisConnection;
let cases = 0;

before(async () => {
  redis = await startTestRedis({ password: 'contract-secret' });
  connection = connectRedis({ url: redis.url, logger: createLogger({ level: 'silent' }) });
  await connection.ready(5_000);
});

after(async () => {
  await connection?.close();
  await redis?.close();
});

// Each case its own prefix: a fresh, empty cache in the same server.
cacheContract('Redis (redis-server, ACL user)', async (bounds) =>
  createRedisCache({ ...bounds, redis: connection, prefix: `t${++cases}:` }),
);
