/**
 * A bounded TTL cache whose entries belong to a scope (the caller's principal), so one client can
 * never read another's entries.
 */
export interface Cache<V> {
  get(scope: string, key: string): V | undefined;
  /** `bytes` is the entry's approximate size, counted against the cache's byte bound. */
  set(scope: string, key: string, value: V, bytes: number): void;
  stats(): { entries: number; bytes: number };
  clear(): void;
}
