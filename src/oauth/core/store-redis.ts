import type { RedisConnection } from '../../state/redis.ts';
import { luaScript } from '../../state/scripts.ts';
import type {
  BrowserSession,
  ClientRecord,
  Clock,
  CodeRecord,
  ConsumeResult,
  GrantSummary,
  OAuthStore,
  RefreshFamily,
  RefreshTokenRecord,
  SigningKeyRecord,
} from './types.ts';

/** ARGV: now, retainUntil, retain ms. Returns {'unknown'} | {'ok', json} | {'replayed', json, family}. */
const CONSUME_CODE = luaScript(`
if tonumber(redis.call('HGET', KEYS[1], 'until') or '0') <= tonumber(ARGV[1]) then return { 'unknown' } end
local json = redis.call('HGET', KEYS[1], 'json')
if redis.call('HGET', KEYS[1], 'consumed') == '1' then
  return { 'replayed', json, redis.call('HGET', KEYS[1], 'family') or '' }
end
redis.call('HSET', KEYS[1], 'consumed', '1', 'until', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return { 'ok', json }`);
/** Sets a hash field only on an entry that still exists (never resurrects an expired one without TTL). */
const SET_IF_EXISTS = luaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1`);
/** KEYS: old token, new token, family. ARGV: rotatedAt, graceBlob, new json, new ttl ms. */
const ROTATE = luaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('HEXISTS', KEYS[1], 'rotatedAt') == 1 then return 0 end
redis.call('HSET', KEYS[1], 'rotatedAt', ARGV[1], 'graceBlob', ARGV[2])
redis.call('HSET', KEYS[2], 'json', ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
local last = tonumber(redis.call('HGET', KEYS[3], 'last') or '0')
if tonumber(ARGV[1]) > last then redis.call('HSET', KEYS[3], 'last', ARGV[1]) end
return 1`);
/** KEYS: marker. ARGV: expiresAt, now. A marker holds its logical expiry; Redis drops it once it passed. */
const USE_ONCE = luaScript(`
local held = tonumber(redis.call('GET', KEYS[1]) or '0')
if held > tonumber(ARGV[2]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', math.max(1, tonumber(ARGV[1]) - tonumber(ARGV[2])))
return 1`);
/** KEYS: key hash. ARGV: kid, json, createdAt. Retires every unretired key, then adds the new one. */
const ADD_KEY = luaScript(`
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local key = cjson.decode(all[i + 1])
  if key.retiredAt == nil then
    key.retiredAt = tonumber(ARGV[3])
    redis.call('HSET', KEYS[1], all[i], cjson.encode(key))
  end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1`);
const DELETE_CLIENT = luaScript(`
local n = redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return n`);

/**
 * The OAuth state in Redis (`STATE_STORE_URL`), shared by every replica. Secrets arrive hashed
 * (codes, refresh tokens, session ids); entries that expire carry a TTL in Redis itself, and reads
 * also compare the logical expiry with `clock` (the caller's time). Single-use steps (code
 * exchange, refresh rotation, assertion `jti`s) and key rotation are Lua scripts, so two replicas
 * cannot both win. `purge` has nothing to do. Failures reject with `StateStoreError`.
 */
export function createRedisOAuthStore(redis: Pick<RedisConnection, 'run'>, clock: Clock, prefix = 'mdr:oauth:'): OAuthStore {
  const k = {
    client: (id: string) => `${prefix}client:${id}`,
    clients: `${prefix}clients`,
    code: (hash: string) => `${prefix}code:${hash}`,
    family: (id: string) => `${prefix}family:${id}`,
    grants: (clientId: string) => `${prefix}grants:${clientId}`,
    refresh: (hash: string) => `${prefix}refresh:${hash}`,
    keys: `${prefix}keys`,
    session: (hash: string) => `${prefix}session:${hash}`,
    jti: (key: string) => `${prefix}jti:${key}`,
  };
  const ttl = (expiresAt: number) => String(Math.max(1, Math.ceil(expiresAt - clock.now())));
  const script = (s: ReturnType<typeof luaScript>, keys: string[], args: Array<string | number>) =>
    redis.run((client) => s.run(client, keys, args.map(String)));
  const parse = <T>(json: string | null | undefined): T | undefined => (json ? (JSON.parse(json) as T) : undefined);
  const findRefresh = async (hash: string): Promise<RefreshTokenRecord | undefined> => {
    const fields = await redis.run((c) => c.hGetAll(k.refresh(hash)));
    const token = parse<RefreshTokenRecord>(fields.json);
    if (!token) return undefined;
    return fields.rotatedAt === undefined ? token : { ...token, rotatedAt: Number(fields.rotatedAt), graceBlob: fields.graceBlob ?? '' };
  };
  const familyOf = (fields: Record<string, string>): RefreshFamily | undefined => {
    const family = parse<RefreshFamily>(fields.json);
    return family && { ...family, revoked: fields.revoked === '1' };
  };

  return {
    async saveClient(client) {
      await redis.run((c) =>
        c
          .multi()
          .set(k.client(client.clientId), JSON.stringify(client))
          .zAdd(k.clients, { score: client.issuedAt, value: client.clientId })
          .exec(),
      );
    },
    getClient: async (id) => parse<ClientRecord>(await redis.run((c) => c.get(k.client(id)))),
    async listClients() {
      const ids = await redis.run((c) => c.zRange(k.clients, 0, -1));
      if (ids.length === 0) return [];
      const values = await redis.run((c) => c.mGet(ids.map(k.client)));
      return values.flatMap((json) => parse<ClientRecord>(json) ?? []);
    },
    deleteClient: async (id) => Number(await script(DELETE_CLIENT, [k.client(id), k.clients], [id])) === 1,
    async listGrants(clientId) {
      const ids = await redis.run((c) => c.zRange(k.grants(clientId), 0, -1));
      const grants: GrantSummary[] = [];
      for (const id of ids) {
        const fields = await redis.run((c) => c.hGetAll(k.family(id)));
        const family = familyOf(fields);
        if (family) grants.push({ ...family, lastIssuedAt: Math.max(family.createdAt, Number(fields.last ?? 0)) });
      }
      return grants;
    },

    async saveCode(code) {
      await redis.run((c) =>
        c
          .multi()
          .hSet(k.code(code.codeHash), { json: JSON.stringify(code), consumed: '0', until: String(code.expiresAt) })
          .pExpire(k.code(code.codeHash), Number(ttl(code.expiresAt)))
          .exec(),
      );
    },
    async consumeCode(hash, now, retainUntil): Promise<ConsumeResult> {
      const [status, json, familyId] = (await script(CONSUME_CODE, [k.code(hash)], [now, retainUntil, ttl(retainUntil)])) as string[];
      const code = parse<CodeRecord>(json);
      if (status === 'unknown' || !code) return { status: 'unknown' };
      if (status === 'ok') return { status: 'ok', code };
      return familyId ? { status: 'replayed', code, familyId } : { status: 'replayed', code };
    },
    async setCodeFamily(hash, familyId) {
      await script(SET_IF_EXISTS, [k.code(hash)], ['family', familyId]);
    },

    async createFamily(family, token) {
      await redis.run((c) =>
        c
          .multi()
          .hSet(k.family(family.familyId), { json: JSON.stringify(family), revoked: family.revoked ? '1' : '0', last: '0' })
          .zAdd(k.grants(family.clientId), { score: family.createdAt, value: family.familyId })
          .hSet(k.refresh(token.tokenHash), { json: JSON.stringify(token) })
          .pExpire(k.refresh(token.tokenHash), Number(ttl(token.expiresAt)))
          .exec(),
      );
    },
    getFamily: async (id) => familyOf(await redis.run((c) => c.hGetAll(k.family(id)))),
    findRefresh,
    async rotateRefresh(oldHash, rotatedAt, graceBlob, next) {
      const old = await findRefresh(oldHash);
      if (!old) return false;
      const keys = [k.refresh(oldHash), k.refresh(next.tokenHash), k.family(old.familyId)];
      return Number(await script(ROTATE, keys, [rotatedAt, graceBlob, JSON.stringify(next), ttl(next.expiresAt)])) === 1;
    },
    async revokeFamily(id) {
      await script(SET_IF_EXISTS, [k.family(id)], ['revoked', '1']);
    },

    async listKeys() {
      const values = await redis.run((c) => c.hVals(k.keys));
      return values.map((json) => JSON.parse(json) as SigningKeyRecord).sort((a, b) => a.createdAt - b.createdAt);
    },
    async addKey(key) {
      await script(ADD_KEY, [k.keys], [key.kid, JSON.stringify(key), key.createdAt]);
    },
    async deleteKey(kid) {
      await redis.run((c) => c.hDel(k.keys, kid));
    },

    async saveSession(session) {
      await redis.run((c) => c.set(k.session(session.idHash), JSON.stringify(session), { PX: Number(ttl(session.expiresAt)) }));
    },
    async getSession(hash) {
      const session = parse<BrowserSession>(await redis.run((c) => c.get(k.session(hash))));
      return session && session.expiresAt > clock.now() ? session : undefined;
    },
    async deleteSession(hash) {
      await redis.run((c) => c.del(k.session(hash)));
    },

    useOnce: async (key, expiresAt, now) => Number(await script(USE_ONCE, [k.jti(key)], [expiresAt, now])) === 1,
    purge: async () => undefined,
    close: async () => undefined,
  };
}
