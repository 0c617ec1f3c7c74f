/** Result of an atomic check-and-count: the new count, or when the full window ends. */
export type CounterReservation = { ok: true; count: number } | { ok: false; resetAt: number };

/**
 * Windowed event counters (a window starts at the first hit and lasts `windowMs`), asynchronous so
 * they can live in Redis and count across replicas (sign-in failures and lockouts). `reserve` is
 * an atomic check-and-count: parallel callers on any replica cannot all pass the check.
 */
export interface Counters {
  get(key: string, now: number): Promise<number>;
  /** Counts one event; returns the new count. */
  hit(key: string, now: number, windowMs: number): Promise<number>;
  reset(key: string): Promise<void>;
  /** Refuses when `key` already holds `max` events in its window, else counts one more. */
  reserve(key: string, now: number, windowMs: number, max: number): Promise<CounterReservation>;
  /** Gives one reserved event back. */
  release(key: string): Promise<void>;
}

/** The synchronous counters an embedded store keeps (the OAuth store's SQLite or memory tables). */
export interface SyncCounters {
  hitCounter(key: string, now: number, windowMs: number): number;
  getCounter(key: string, now: number): number;
  resetCounter(key: string): void;
  reserveCounter(key: string, now: number, windowMs: number, max: number): CounterReservation;
  releaseCounter(key: string): void;
}

/** The embedded store's counters behind the async seam (one replica, or replicas on one volume). */
export function embeddedCounters(store: SyncCounters): Counters {
  return {
    get: async (key, now) => store.getCounter(key, now),
    hit: async (key, now, windowMs) => store.hitCounter(key, now, windowMs),
    reset: async (key) => store.resetCounter(key),
    reserve: async (key, now, windowMs, max) => store.reserveCounter(key, now, windowMs, max),
    release: async (key) => store.releaseCounter(key),
  };
}
