import { LRUCache } from 'lru-cache';
import { compositeKey } from './composite-key.ts';
import type { Cache, CacheBounds } from './types.ts';
import { checkBounds } from './types.ts';

export interface CacheOptions extends CacheBounds {
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
 * Creates the in-process result cache (one replica, the default): `lru-cache` bounded by entries,
 * bytes and TTL, keyed by scope + key.
 * A side index (key → owning scopes), kept in step by the LRU's dispose hook so it stays bounded,
 * serves `getForOperator` without a scan.
 */
export function createCache<V extends {}>(options: CacheOptions): Cache<V> {
  checkBounds(options);
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
    get: async (scope, key) => lru.get(compositeKey(scope, key))?.value,
    async getForOperator(key) {
      for (const scope of [...(owners.get(key) ?? [])]) {
        const entry = lru.get(compositeKey(scope, key));
        if (entry) return { scope, value: entry.value };
        forget(scope, key);
      }
      return undefined;
    },
    async set(scope, key, value, bytes) {
      const composite = compositeKey(scope, key);
      lru.set(composite, { scope, key, value }, { size: Math.max(1, Math.ceil(bytes)) });
      if (!lru.has(composite)) return;
      const scopes = owners.get(key) ?? new Set<string>();
      owners.set(key, scopes.add(scope));
    },
    stats: async () => ({ entries: lru.size, bytes: lru.calculatedSize }),
  };
}
