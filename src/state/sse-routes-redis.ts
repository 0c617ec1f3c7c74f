import type { Logger } from '../logger.ts';
import { StateStoreError } from './errors.ts';
import type { RedisClient, RedisConnection } from './redis.ts';
import { luaScript } from './scripts.ts';
import type { SseDelivery, SseRouteInfo, SseRoutes } from './sse-routes.ts';

/** Notes the protocol version only on a live session: a key that just expired is not made again (without a TTL). */
const NOTE_PROTOCOL = luaScript(`if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'protocol', ARGV[1]) end
return 0`);

export interface RedisSseRoutesOptions {
  redis: Pick<RedisConnection, 'client' | 'run'>;
  logger: Logger;
  /** Life of a session's registry key; refreshed every third of it while the stream is open (default 60 s). */
  ttlMs?: number;
  prefix?: string;
}

/**
 * Legacy SSE sessions shared by every replica (`STATE_STORE_URL`): a hash per session
 * (`principal`, `protocol`) whose TTL the holder keeps refreshing, so a crashed replica's sessions
 * expire by themselves; and a pub/sub channel per session that only the holder subscribes to. A
 * POST on any replica publishes there; nobody listening (the holder died) counts as unknown.
 * Subscribing needs a connection of its own (node-redis `duplicate()`), made on the first stream.
 */
export function createRedisSseRoutes(options: RedisSseRoutesOptions): SseRoutes {
  const { redis, logger } = options;
  const ttlMs = options.ttlMs ?? 60_000;
  const prefix = options.prefix ?? 'mdr:sse:';
  const keyOf = (sessionId: string) => `${prefix}s:${sessionId}`;
  const channelOf = (sessionId: string) => `${prefix}c:${sessionId}`;
  let subscriber: RedisClient | undefined;
  let connecting: Promise<unknown> | undefined;
  /** Sessions held here → their registration; redone at once when a connection comes back. */
  const held = new Map<string, () => Promise<unknown>>();
  // A Redis that restarted without its data forgot the keys: put them back as soon as both connections
  // are back (a session is announced only while its channel is listened to), not at the next refresh.
  const registerAll = () => {
    if (!subscriber?.isReady || !redis.client.isReady) return;
    for (const [sessionId, again] of held)
      again().catch((error: unknown) => logger.debug('sse_route_reregister_failed', { session: sessionId, error }));
  };
  redis.client.on('ready', registerAll);

  /** The subscriber connection, connected lazily; rejects with StateStoreError while Redis is down. */
  async function listening(): Promise<RedisClient> {
    if (!subscriber) {
      const client = redis.client.duplicate();
      client.on('error', (error: unknown) => logger.debug('sse_subscriber_error', { error }));
      client.on('ready', registerAll);
      subscriber = client;
      connecting = client.connect().catch(() => {});
    }
    const client = subscriber;
    if (!client.isReady) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([connecting, new Promise((resolve) => (timer = setTimeout(resolve, 2_000)))]);
      clearTimeout(timer);
      if (!client.isReady) throw new StateStoreError();
    }
    return client;
  }

  const register = (sessionId: string, principalId: string) =>
    redis.run((client) => client.multi().hSet(keyOf(sessionId), 'principal', principalId).pExpire(keyOf(sessionId), ttlMs).exec());

  return {
    async open(sessionId, info, onDelivery) {
      const client = await listening();
      const channel = channelOf(sessionId);
      const listener = (payload: string) => {
        try {
          onDelivery(JSON.parse(payload) as SseDelivery);
        } catch (error) {
          logger.warn('sse_delivery_failed', { session: sessionId, error });
        }
      };
      try {
        await client.subscribe(channel, listener);
      } catch (error) {
        throw new StateStoreError(undefined, { cause: error });
      }
      try {
        await register(sessionId, info.principalId);
        if (info.protocolVersion !== undefined) await this.noteProtocolVersion(sessionId, info.protocolVersion);
      } catch (error) {
        await client.unsubscribe(channel, listener).catch(() => {});
        throw error;
      }
      held.set(sessionId, () => register(sessionId, info.principalId));
      const refresh = setInterval(
        () => {
          register(sessionId, info.principalId).catch((error: unknown) =>
            logger.warn('sse_route_refresh_failed', { session: sessionId, error }),
          );
        },
        Math.max(1, Math.floor(ttlMs / 3)),
      );
      refresh.unref();
      let closed = false;
      return {
        async close() {
          if (closed) return;
          closed = true;
          held.delete(sessionId);
          clearInterval(refresh);
          // A closed client's unsubscribe never settles; its subscriptions went with the connection.
          if (client.isOpen) await client.unsubscribe(channel, listener).catch(() => {});
          // Best effort: with Redis down the key expires by itself within the TTL.
          await redis.run((c) => c.del(keyOf(sessionId))).catch(() => {});
        },
      };
    },
    async find(sessionId) {
      const fields = await redis.run((client) => client.hGetAll(keyOf(sessionId)));
      const principalId = fields.principal;
      if (principalId === undefined) return undefined;
      const info: SseRouteInfo = { principalId };
      if (fields.protocol !== undefined) info.protocolVersion = fields.protocol;
      return info;
    },
    async noteProtocolVersion(sessionId, version) {
      await redis.run((client) => NOTE_PROTOCOL.run(client, [keyOf(sessionId)], [version]));
    },
    async deliver(sessionId, delivery) {
      const receivers = await redis.run((client) => client.publish(channelOf(sessionId), JSON.stringify(delivery)));
      return Number(receivers) > 0;
    },
    async close() {
      redis.client.off('ready', registerAll);
      held.clear();
      const client = subscriber;
      subscriber = undefined;
      if (client) await (client.isReady ? client.close() : Promise.resolve(client.destroy())).catch(() => client.destroy());
    },
  };
}
