/**
 * A bounded TTL cache whose entries belong to a scope (the caller's principal), so one client can
 * never read another's entries.
 */
export interface Cache<V> {
  get(scope: string, key: string): V | undefined;
  /**
   * The entry stored under `key` by any scope, with the scope that owns it. Only for an operator —
   * a person signed in to the browser pages and trusted with the whole database — who opens a
   * result id a client produced (the `/records/<id>` page behind a ChatGPT citation); never on a
   * client's behalf, where `get` keeps each principal confined to its own entries.
   */
  getForOperator(key: string): { scope: string; value: V } | undefined;
  /** `bytes` is the entry's approximate size, counted against the cache's byte bound. */
  set(scope: string, key: string, value: V, bytes: number): void;
  stats(): { entries: number; bytes: number };
  clear(): void;
}
