import { createClient } from 'redis';
import type { Logger } from '../logger.ts';
import { StateStoreError } from './errors.ts';

/** The options both connections share: no offline queue (fail fast), capped backoff with jitter. */
function clientOptions(url: string, commandTimeoutMs: number, maxDelayMs: number, ca: string | undefined) {
  const tls = ca !== undefined && url.startsWith('rediss:') ? { tls: true as const, ca } : {};
  return {
    url,
    disableOfflineQueue: true,
    pingInterval: 10_000,
    commandOptions: { timeout: commandTimeoutMs },
    socket: {
      ...tls,
      connectTimeout: 3_000,
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** Math.min(retries, 10), maxDelayMs) + Math.floor(Math.random() * 100),
    },
  };
}

function buildClient(...args: Parameters<typeof clientOptions>) {
  return createClient(clientOptions(...args));
}

/** The node-redis client every Redis-backed store shares (one connection per process). */
export type RedisClient = ReturnType<typeof buildClient>;

/**
 * A second connection, RESP3 with client-side caching (Redis 6+ tracking): a GET answered once is
 * answered again from this process's memory until Redis pushes an invalidation (a write by any
 * replica, an expiry, an eviction); the cache is dropped whenever the connection is. For keys read
 * on every request and rarely written (an address's failed-authentication count).
 */
function buildCachedReader(...args: Parameters<typeof clientOptions>) {
  return createClient({
    ...clientOptions(...args),
    RESP: 3,
    clientSideCache: { ttl: 0, maxEntries: 10_000, evictPolicy: 'LRU' },
  });
}

export interface StateStoreHealth {
  ok: boolean;
  /** Short, secret-free reason when not ok (no host, no password): safe for the public `/health`. */
  error?: string;
}

export interface RedisConnectionOptions {
  /** A `redis://` or `rediss://` URL (see `parseStateStoreUrl`). */
  url: string;
  logger: Logger;
  /** A command waiting longer than this to be sent fails with `StateStoreError` (default 2 s). */
  commandTimeoutMs?: number;
  /** Longest pause between reconnection attempts (default 5 s; attempts start at 100 ms). */
  maxReconnectDelayMs?: number;
  /** PEM trust anchors for `rediss://` besides the system's (a private CA). */
  ca?: string;
}

/**
 * One Redis connection and its health. Stores (the result cache, rate-limit counters; later the
 * OAuth state) take `client` and wrap each call in `run`, so every failure surfaces as a
 * `StateStoreError` — the caller answers "unavailable", it never falls back to local state.
 */
export interface RedisConnection {
  client: RedisClient;
  health(): StateStoreHealth;
  /** Resolves once connected, or after `timeoutMs` regardless (startup waits a little, never forever). */
  ready(timeoutMs: number): Promise<boolean>;
  run<T>(operation: (client: RedisClient) => Promise<T>): Promise<T>;
  /**
   * GET through the client-side cache (see `buildCachedReader`): no round trip while the key is
   * unchanged. Falls back to `client` while that connection is not ready (a server without RESP3
   * or tracking, a reconnection). Failures reject with `StateStoreError`.
   */
  cachedGet(key: string): Promise<string | null>;
  close(): Promise<void>;
}

/**
 * Connects in the background and keeps reconnecting with capped exponential backoff for as long
 * as the process lives: an unreachable Redis makes `/health` 503 with the reason and commands fail
 * fast (the offline queue is off, so nothing piles up in memory), and it recovers by itself.
 */
export function connectRedis(options: RedisConnectionOptions): RedisConnection {
  const { logger } = options;
  let lastError: string | undefined = 'connecting';
  let closed = false;
  const client = buildClient(options.url, options.commandTimeoutMs ?? 2_000, options.maxReconnectDelayMs ?? 5_000, options.ca);
  const reader = buildCachedReader(options.url, options.commandTimeoutMs ?? 2_000, options.maxReconnectDelayMs ?? 5_000, options.ca);
  // Its failures show on `client` too (same server); it only needs a listener not to crash the process.
  reader.on('error', () => undefined);
  reader.connect().catch(() => undefined);
  let waiters: Array<() => void> = [];
  client.on('ready', () => {
    if (lastError !== undefined && lastError !== 'connecting') logger.info('state_store_recovered', {});
    lastError = undefined;
    for (const wake of waiters) wake();
    waiters = [];
  });
  // Without an 'error' listener node would crash the process on the first socket error.
  client.on('error', (error: unknown) => {
    const reason = describe(error);
    if (reason !== lastError) logger.warn('state_store_unavailable', { reason, error });
    lastError = reason;
  });
  client.on('end', () => {
    if (!closed) lastError = 'connection closed';
  });
  client.connect().catch((error: unknown) => {
    if (!closed) logger.error('state_store_connect_gave_up', { reason: describe(error), error });
  });

  return {
    client,
    health: () => (client.isReady ? { ok: true } : { ok: false, error: `redis ${lastError ?? 'not ready'}` }),
    ready(timeoutMs) {
      if (client.isReady) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        waiters.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
    async run(operation) {
      try {
        return await operation(client);
      } catch (error) {
        throw new StateStoreError(undefined, { cause: error });
      }
    },
    async cachedGet(key) {
      try {
        return await (reader.isReady ? reader.get(key) : client.get(key));
      } catch (error) {
        throw new StateStoreError(undefined, { cause: error });
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const wake of waiters) wake();
      await Promise.all([client, reader].map((c) => (c.isReady ? c.close() : Promise.resolve(c.destroy())).catch(() => c.destroy())));
    },
  };
}

/** A reason an operator can act on, without the host name, the user or any secret. */
function describe(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (/^(WRONGPASS|NOAUTH|NOPERM)/.test(message)) return 'refused the credentials (check the user and password in STATE_STORE_URL)';
  if (typeof code === 'string' && /TLS|CERT|SSL/i.test(code)) return `TLS handshake failed (${code})`;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return `unreachable (${code})`;
  if (/timeout/i.test(message)) return 'unreachable (timeout)';
  return 'unreachable';
}
