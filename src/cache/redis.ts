import type { RedisConnection } from '../state/redis.ts';
import { compositeKey } from './composite-key.ts';
import { OPERATOR_SCRIPT, SET_SCRIPT, STATS_SCRIPT, TOUCH_SCRIPT, valueKey } from './redis-scripts.ts';
import type { Cache, CacheBounds } from './types.ts';
import { checkBounds } from './types.ts';

export interface RedisCacheOptions extends CacheBounds {
  redis: Pick<RedisConnection, 'run'>;
  /** Key prefix of this cache's data (default `mdr:cache:`); tests give each case its own. */
  prefix?: string;
}

/** The scope inside a member written by `compositeKey` (`<length>:<scope>\0<key>`). */
function scopeOf(member: string): string {
  const colon = member.indexOf(':');
  return member.slice(colon + 1, colon + 1 + Number(member.slice(0, colon)));
}

/**
 * The result cache in Redis, shared by every replica and surviving their restarts (as long as
 * Redis keeps its data): the same bounds and scoping as the in-process cache, each write one atomic
 * script, each read one round trip (a plain GET with its recency mark pipelined). Values are
 * stored as JSON, so they must be JSON values (the
 * research layer's results are: see src/db/values.ts). Failures reject with `StateStoreError`.
 */
export function createRedisCache<V>(options: RedisCacheOptions): Cache<V> {
  checkBounds(options);
  const prefix = options.prefix ?? 'mdr:cache:';
  const { redis } = options;
  const ttl = String(Math.ceil(options.ttlMs));
  const maxEntries = String(options.maxEntries);
  const maxBytes = String(options.maxBytes);
  return {
    async get(scope, key) {
      const member = compositeKey(scope, key);
      // Issued together, so node-redis writes both at once: one round trip.
      const [value] = await redis.run((client) =>
        Promise.all([client.get(valueKey(prefix, member)), TOUCH_SCRIPT.run(client, [], [prefix, member])]),
      );
      return typeof value === 'string' ? (JSON.parse(value) as V) : undefined;
    },
    async getForOperator(key) {
      const found = await redis.run((client) => OPERATOR_SCRIPT.run(client, [], [prefix, key]));
      if (!Array.isArray(found) || typeof found[0] !== 'string' || typeof found[1] !== 'string') return undefined;
      return { scope: scopeOf(found[0]), value: JSON.parse(found[1]) as V };
    },
    async set(scope, key, value, bytes) {
      const size = String(Math.max(1, Math.ceil(bytes)));
      const json = JSON.stringify(value);
      await redis.run((client) =>
        SET_SCRIPT.run(client, [], [prefix, compositeKey(scope, key), scope, key, json, ttl, size, maxEntries, maxBytes]),
      );
    },
    async stats() {
      const [entries, bytes] = (await redis.run((client) => STATS_SCRIPT.run(client, [], [prefix]))) as [number, number];
      return { entries: Number(entries), bytes: Number(bytes) };
    },
  };
}
