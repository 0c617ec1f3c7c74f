import { luaScript } from '../state/scripts.ts';

/**
 * The Redis result cache's data, all under one prefix P (ARGV[1] of every script):
 * - `P v:<member>`  the value (JSON), with its TTL in Redis itself (PX);
 * - `P lru`         zset member → access sequence (least recently used = lowest);
 * - `P exp`         zset member → expiry (ms), to account for entries Redis expired;
 * - `P meta`        hash member → {b: bytes, k: key} for accounting and the owner index;
 * - `P bytes`, `P seq` counters; `P o:<key>` set of members owning `key` (the operator lookup).
 * A member is the scope-qualified key (see `compositeKey`). Keys are derived from P inside the
 * scripts, so this layout needs a single Redis (or Valkey) primary, not Redis Cluster.
 */
const COMMON = `
local P = ARGV[1]
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function drop(member)
  local meta = redis.call('HGET', P .. 'meta', member)
  if meta then
    local m = cjson.decode(meta)
    redis.call('DECRBY', P .. 'bytes', m.b)
    redis.call('SREM', P .. 'o:' .. m.k, member)
    redis.call('HDEL', P .. 'meta', member)
  end
  redis.call('ZREM', P .. 'lru', member)
  redis.call('ZREM', P .. 'exp', member)
  redis.call('DEL', P .. 'v:' .. member)
end
local function purge_expired()
  local expired = redis.call('ZRANGEBYSCORE', P .. 'exp', '-inf', now_ms(), 'LIMIT', 0, 200)
  for _, member in ipairs(expired) do drop(member) end
end
local function touch(member)
  redis.call('ZADD', P .. 'lru', 'XX', redis.call('INCR', P .. 'seq'), member)
end
`;

/** ARGV: P, member, scope, key, value, ttlMs, bytes, maxEntries, maxBytes. */
export const SET_SCRIPT = luaScript(`${COMMON}
local member, key, value = ARGV[2], ARGV[4], ARGV[5]
local ttl, bytes, max_entries, max_bytes = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])
purge_expired()
drop(member)
if bytes > max_bytes then return 0 end
redis.call('SET', P .. 'v:' .. member, value, 'PX', ttl)
redis.call('ZADD', P .. 'lru', redis.call('INCR', P .. 'seq'), member)
redis.call('ZADD', P .. 'exp', now_ms() + ttl, member)
redis.call('HSET', P .. 'meta', member, cjson.encode({ b = bytes, k = key }))
redis.call('SADD', P .. 'o:' .. key, member)
redis.call('PEXPIRE', P .. 'o:' .. key, ttl)
local total = redis.call('INCRBY', P .. 'bytes', bytes)
while redis.call('ZCARD', P .. 'lru') > max_entries or total > max_bytes do
  local oldest = redis.call('ZRANGE', P .. 'lru', 0, 0)[1]
  if not oldest then break end
  drop(oldest)
  total = tonumber(redis.call('GET', P .. 'bytes') or '0')
end
return 1
`);

/**
 * ARGV: P, member. Marks the member recently used if it is still held (`ZADD XX`). Sent in the
 * same round trip as a plain GET of its value (`valueKey`): a value read through Lua is copied into
 * the script and out again, which for a result set of tens of kilobytes costs Redis more than the
 * rest of the request.
 */
export const TOUCH_SCRIPT = luaScript(`${COMMON}
touch(ARGV[2])
return 0
`);

/** Where the value of `member` lives (`P v:<member>` above). */
export const valueKey = (prefix: string, member: string): string => `${prefix}v:${member}`;

/** ARGV: P, key. Returns {member, value} of the first live owner of key, or nil. */
export const OPERATOR_SCRIPT = luaScript(`${COMMON}
for _, member in ipairs(redis.call('SMEMBERS', P .. 'o:' .. ARGV[2])) do
  local value = redis.call('GET', P .. 'v:' .. member)
  if value then
    touch(member)
    return { member, value }
  end
  drop(member)
end
return nil
`);

/** ARGV: P. Returns {entries, bytes} after forgetting what Redis expired. */
export const STATS_SCRIPT = luaScript(`${COMMON}
purge_expired()
return { redis.call('ZCARD', P .. 'lru'), tonumber(redis.call('GET', P .. 'bytes') or '0') }
`);
