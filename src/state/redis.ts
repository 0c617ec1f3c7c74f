import { createClient } from 'redis';
import type { Logger } from '../logger.ts';
import { StateStoreError } from './errors.ts';

function buildClient(url: string, commandTimeoutMs: number, maxDelayMs: number, ca: string | undefined) {
  const tls = ca !== undefined && url.startsWith('rediss:') ? { tls: true as const, ca } : {};
  return createClient({
    url,
    disableOfflineQueue: true,
    pingInterval: 10_000,
    commandOptions: { timeout: commandTimeoutMs },
    socket: {
      ...tls,
      connectTimeout: 3_000,
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** Math.min(retries, 10), maxDelayMs) + Math.floor(Math.random() * 100),
    },
  });
}

/** The node-redis client every Redis-backed store shares (one connection per process). */
export type RedisClient = ReturnType<typeof buildClient>;

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
    async close() {
      if (closed) return;
      closed = true;
      for (const wake of waiters) wake();
      await (client.isReady ? client.close() : Promise.resolve(client.destroy())).catch(() => client.destroy());
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
