import type { Counters, CounterReservation } from './counters.ts';
import type { RedisConnection } from './redis.ts';
import { luaScript } from './scripts.ts';

/**
 * One hash per counter: `c` the count, `r` when its window ends (ms, the caller's clock), which
 * alone decides when counting restarts; the key's TTL in Redis (the window plus a minute, so clocks
 * that differ between replicas cannot drop a live counter) only clears finished counters away.
 */
const WINDOW = `
local now, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local c, r = tonumber(redis.call('HGET', KEYS[1], 'c') or '0'), tonumber(redis.call('HGET', KEYS[1], 'r') or '0')
if now >= r then c = 0; r = now + window end
`;
const COUNT = `
c = c + 1
redis.call('HSET', KEYS[1], 'c', c, 'r', r)
redis.call('PEXPIRE', KEYS[1], math.max(1, r - now) + 60000)
`;
/** ARGV: now, windowMs. Returns the new count. */
const HIT = luaScript(`${WINDOW}${COUNT}return c`);
/** ARGV: now, windowMs, max. Returns {1, count} or {0, resetAt}. */
const RESERVE = luaScript(`${WINDOW}
if c >= tonumber(ARGV[3]) then return { 0, r } end
${COUNT}return { 1, c }`);
/** ARGV: now. Returns the count of the current window. */
const GET = luaScript(`
local r = tonumber(redis.call('HGET', KEYS[1], 'r') or '0')
if tonumber(ARGV[1]) >= r then return 0 end
return tonumber(redis.call('HGET', KEYS[1], 'c') or '0')`);
const RELEASE = luaScript(`
if tonumber(redis.call('HGET', KEYS[1], 'c') or '0') > 0 then redis.call('HINCRBY', KEYS[1], 'c', -1) end
return 0`);

/** Counters in Redis, shared by every replica (`STATE_STORE_URL`); failures reject with `StateStoreError`. */
export function createRedisCounters(redis: Pick<RedisConnection, 'run'>, prefix = 'mdr:ctr:'): Counters {
  const run = (script: typeof HIT, key: string, args: Array<number | string>): Promise<unknown> =>
    redis.run((client) => script.run(client, [prefix + key], args.map(String)));
  return {
    get: async (key, now) => Number(await run(GET, key, [now])),
    hit: async (key, now, windowMs) => Number(await run(HIT, key, [now, windowMs])),
    reset: async (key) => {
      await redis.run((client) => client.del(prefix + key));
    },
    async reserve(key, now, windowMs, max): Promise<CounterReservation> {
      const [ok, value] = (await run(RESERVE, key, [now, windowMs, max])) as [number, number];
      return Number(ok) === 1 ? { ok: true, count: Number(value) } : { ok: false, resetAt: Number(value) };
    },
    release: async (key) => {
      await run(RELEASE, key, []);
    },
  };
}
