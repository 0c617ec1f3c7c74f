import { LRUCache } from 'lru-cache';
import type { Cache } from './types.ts';

export interface CacheOptions {
  /** How long an entry lives after it is set. */
  ttlMs: number;
  /** Entries at most (least recently used leave first). */
  maxEntries: number;
  /** Sum of the entries' declared sizes at most; a single entry larger than this is not stored. */
  maxBytes: number;
  /** Clock for TTLs (milliseconds); tests pass a frozen one. */
  now?: (() => number) | undefined;
}

/**
 * Length-prefixing the scope makes the composite key unambiguous: scope `a:b` with key `c` can
 * never meet scope `a` with key `b:c`, so one principal cannot name another's entry.
 */
const compositeKey = (scope: string, key: string): string => `${scope.length}:${scope}\u0000${key}`;

/** Creates the result cache: `lru-cache` bounded by entries, bytes and TTL, keyed by scope + key. */
export function createCache<V extends {}>(options: CacheOptions): Cache<V> {
  if (!(options.ttlMs > 0) || !(options.maxEntries > 0) || !(options.maxBytes > 0)) {
    throw new RangeError('cache ttlMs, maxEntries and maxBytes must be positive');
  }
  const lru = new LRUCache<string, V>({
    max: options.maxEntries,
    maxSize: options.maxBytes,
    ttl: options.ttlMs,
    // Read the clock on every access (no 1 ms caching) so a frozen test clock is exact.
    ttlResolution: 0,
    ...(options.now ? { perf: { now: options.now } } : {}),
  });
  return {
    get: (scope, key) => lru.get(compositeKey(scope, key)),
    set(scope, key, value, bytes) {
      lru.set(compositeKey(scope, key), value, { size: Math.max(1, Math.ceil(bytes)) });
    },
    stats: () => ({ entries: lru.size, bytes: lru.calculatedSize }),
    clear: () => lru.clear(),
  };
}
