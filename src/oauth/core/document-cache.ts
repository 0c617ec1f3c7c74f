import type { IncomingHttpHeaders } from 'node:http';
import { LRUCache } from 'lru-cache';

/**
 * Where fetched client documents and key sets are kept between requests. Asynchronous and keyed by
 * URL, so a shared implementation (Redis) can replace the in-process one. Entries carry their own
 * expiry; `get` never returns an expired entry.
 */
export interface FetchedDocumentCache<T> {
  get(url: string, now: number): Promise<Cached<T> | undefined>;
  set(url: string, entry: Cached<T>): Promise<void>;
}

/** A cached outcome: the parsed value, or the refusal (negative caching), until `expiresAt`. */
export type Cached<T> = ({ ok: true; value: T } | { ok: false; code: string; reason: string }) & {
  expiresAt: number;
  fetchedAt: number;
};

/** Lifetime bounds: the document's own `max-age` is honoured between these. */
export const CACHE_BOUNDS = { minMs: 5 * 60_000, maxMs: 24 * 3_600_000, failureMs: 30_000 };

/**
 * How long a fetched document may be reused: `Cache-Control: max-age` clamped to
 * [5 min, 24 h]; no `max-age`, `no-cache` or `no-store` get the minimum (a flow takes minutes, and
 * a document fetched for `/authorize` must still be there at `/token`).
 */
export function lifetimeFrom(headers: IncomingHttpHeaders): number {
  const control = String(headers['cache-control'] ?? '').toLowerCase();
  const maxAge = /(?:^|[,\s])max-age\s*=\s*"?(\d+)/.exec(control)?.[1];
  if (maxAge === undefined || /no-store|no-cache/.test(control)) return CACHE_BOUNDS.minMs;
  return Math.min(CACHE_BOUNDS.maxMs, Math.max(CACHE_BOUNDS.minMs, Number(maxAge) * 1000));
}

/** The in-process cache: at most `max` URLs, least recently used evicted first. */
export function createMemoryDocumentCache<T extends object>(max = 1000): FetchedDocumentCache<T> {
  const entries = new LRUCache<string, Cached<T>>({ max });
  return {
    async get(url, now) {
      const entry = entries.get(url);
      if (entry && entry.expiresAt > now) return entry;
      if (entry) entries.delete(url);
      return undefined;
    },
    async set(url, entry) {
      entries.set(url, entry);
    },
  };
}

/**
 * Fetch-through with the cache: one fetch per URL at a time (concurrent callers share it), the
 * outcome cached for its lifetime (success) or briefly (failure, so a broken or hostile document is
 * not refetched on every request).
 */
export function cachedLoader<T extends object>(
  cache: FetchedDocumentCache<T>,
  now: () => number,
  load: (url: string) => Promise<{ ok: true; value: T; lifetimeMs: number } | { ok: false; code: string; reason: string }>,
): {
  /**
   * The cached outcome, or a fresh fetch. `mayFetch` is asked before a fetch this caller would
   * start; false returns `refused` uncached (a per-requester budget, not the document's fault).
   */
  get(
    url: string,
    options?: { fresh?: boolean; mayFetch?: () => Promise<boolean>; refused?: { code: string; reason: string } },
  ): Promise<Cached<T>>;
} {
  const inflight = new Map<string, Promise<Cached<T>>>();
  const fetchAndStore = async (url: string): Promise<Cached<T>> => {
    const fetchedAt = now();
    const outcome = await load(url);
    const entry: Cached<T> = outcome.ok
      ? { ok: true, value: outcome.value, fetchedAt, expiresAt: fetchedAt + outcome.lifetimeMs }
      : { ok: false, code: outcome.code, reason: outcome.reason, fetchedAt, expiresAt: fetchedAt + CACHE_BOUNDS.failureMs };
    await cache.set(url, entry);
    return entry;
  };
  return {
    async get(url, options = {}) {
      if (!options.fresh) {
        const hit = await cache.get(url, now());
        if (hit) return hit;
      }
      let pending = inflight.get(url);
      if (!pending && options.mayFetch && !(await options.mayFetch())) {
        const at = now();
        return { ok: false, code: 'refused', reason: 'refused', ...options.refused, fetchedAt: at, expiresAt: at };
      }
      // Another caller may have started this fetch while the budget was being counted.
      pending ??= inflight.get(url);
      if (!pending) {
        pending = fetchAndStore(url).finally(() => inflight.delete(url));
        inflight.set(url, pending);
      }
      return pending;
    },
  };
}
