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

/** What the LRU holds: the value with the scope and key that own it (for the operator lookup). */
interface Entry<V> {
  scope: string;
  key: string;
  value: V;
}

/**
 * Length-prefixing the scope makes the composite key unambiguous: scope `a:b` with key `c` can
 * never meet scope `a` with key `b:c`, so one principal cannot name another's entry.
 */
const compositeKey = (scope: string, key: string): string => `${scope.length}:${scope}\u0000${key}`;

/**
 * Creates the result cache: `lru-cache` bounded by entries, bytes and TTL, keyed by scope + key.
 * A side index (key → owning scopes), kept in step by the LRU's dispose hook so it stays bounded,
 * serves `getForOperator` without a scan.
 */
export function createCache<V extends {}>(options: CacheOptions): Cache<V> {
  if (!(options.ttlMs > 0) || !(options.maxEntries > 0) || !(options.maxBytes > 0)) {
    throw new RangeError('cache ttlMs, maxEntries and maxBytes must be positive');
  }
  const owners = new Map<string, Set<string>>();
  const forget = (scope: string, key: string): void => {
    const scopes = owners.get(key);
    scopes?.delete(scope);
    if (scopes?.size === 0) owners.delete(key);
  };
  const lru = new LRUCache<string, Entry<V>>({
    max: options.maxEntries,
    maxSize: options.maxBytes,
    ttl: options.ttlMs,
    // Read the clock on every access (no 1 ms caching) so a frozen test clock is exact.
    ttlResolution: 0,
    // A 'set' replaces the value under the same scope and key: the owner does not change.
    dispose: (entry, _composite, reason) => {
      if (reason !== 'set') forget(entry.scope, entry.key);
    },
    ...(options.now ? { perf: { now: options.now } } : {}),
  });
  return {
    get: (scope, key) => lru.get(compositeKey(scope, key))?.value,
    getForOperator(key) {
      for (const scope of [...(owners.get(key) ?? [])]) {
        const entry = lru.get(compositeKey(scope, key));
        if (entry) return { scope, value: entry.value };
        forget(scope, key);
      }
      return undefined;
    },
    set(scope, key, value, bytes) {
      const composite = compositeKey(scope, key);
      lru.set(composite, { scope, key, value }, { size: Math.max(1, Math.ceil(bytes)) });
      if (!lru.has(composite)) return;
      const scopes = owners.get(key) ?? new Set<string>();
      owners.set(key, scopes.add(scope));
    },
    stats: () => ({ entries: lru.size, bytes: lru.calculatedSize }),
    clear: () => {
      lru.clear();
      owners.clear();
    },
  };
}
