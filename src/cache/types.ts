/**
 * A bounded TTL cache whose entries belong to a scope (the caller's principal), so one client can
 * never read another's entries. Asynchronous, so it can live in this process (`createCache`) or in
 * Redis shared by every replica (`createRedisCache`); both pass one contract suite
 * (tests/unit/cache/contract.ts). A store that cannot answer rejects with `StateStoreError`.
 */
export interface Cache<V> {
  get(scope: string, key: string): Promise<V | undefined>;
  /**
   * The entry stored under `key` by any scope, with the scope that owns it. Only for an operator —
   * a person signed in to the browser pages and trusted with the whole database — who opens a
   * result id a client produced (the `/records/<id>` page behind a ChatGPT citation); never on a
   * client's behalf, where `get` keeps each principal confined to its own entries.
   */
  getForOperator(key: string): Promise<{ scope: string; value: V } | undefined>;
  /** `bytes` is the entry's approximate size, counted against the cache's byte bound. */
  set(scope: string, key: string, value: V, bytes: number): Promise<void>;
  /** Entries and declared bytes held now (for metrics). */
  stats(): Promise<{ entries: number; bytes: number }>;
}

/** The bounds both implementations enforce. */
export interface CacheBounds {
  /** How long an entry lives after it is set. */
  ttlMs: number;
  /** Entries at most (least recently used leave first). */
  maxEntries: number;
  /** Sum of the entries' declared sizes at most; a single entry larger than this is not stored. */
  maxBytes: number;
}

/** Throws when a bound is not positive (checked once, when a cache is created). */
export function checkBounds(bounds: CacheBounds): void {
  if (!(bounds.ttlMs > 0) || !(bounds.maxEntries > 0) || !(bounds.maxBytes > 0)) {
    throw new RangeError('cache ttlMs, maxEntries and maxBytes must be positive');
  }
}
