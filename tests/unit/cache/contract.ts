import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Cache, CacheBounds } from '../../../src/cache/types.ts';

/** Builds a fresh, empty cache with these bounds (each case gets its own). */
export type CacheFactory = <V extends {}>(bounds: CacheBounds) => Promise<Cache<V>>;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The behaviour every `Cache` implementation owes its callers — run against the in-process cache
 * and the Redis one, so the two cannot drift apart. Real time (short TTLs), since Redis keeps its
 * own clock.
 */
export function cacheContract(name: string, make: CacheFactory): void {
  describe(`Cache contract: ${name}`, () => {
    it('returns an entry only to the scope that stored it', async () => {
      const cache = await make<string>({ ttlMs: 10_000, maxEntries: 10, maxBytes: 1_000 });
      await cache.set('alice', 'result:1', 'secret rows', 11);
      assert.equal(await cache.get('alice', 'result:1'), 'secret rows');
      assert.equal(await cache.get('bob', 'result:1'), undefined);
    });

    it('keeps scopes apart even when scope and key contain the separator', async () => {
      const cache = await make<string>({ ttlMs: 10_000, maxEntries: 10, maxBytes: 1_000 });
      await cache.set('a:b', 'c', 'first', 1);
      assert.equal(await cache.get('a', 'b:c'), undefined);
      assert.equal(await cache.get('a:b', 'c'), 'first');
    });

    it('round-trips JSON values (rows of strings, numbers, null, nested arrays)', async () => {
      const cache = await make<{ rows: unknown[][]; createdAt: number }>({ ttlMs: 10_000, maxEntries: 10, maxBytes: 10_000 });
      const value = {
        rows: [
          ['Ann', 1.5, null, '2026-01-01T00:00:00.000Z'],
          ['Bö\u0000b', -2, true, '0x00ff'],
        ],
        createdAt: 1_700_000_000_000,
      };
      await cache.set('p', 'k', value, 100);
      assert.deepEqual(await cache.get('p', 'k'), value);
    });

    it('expires an entry after its TTL', async () => {
      const cache = await make<string>({ ttlMs: 300, maxEntries: 10, maxBytes: 1_000 });
      await cache.set('p', 'k', 'v', 1);
      assert.equal(await cache.get('p', 'k'), 'v');
      await sleep(450);
      assert.equal(await cache.get('p', 'k'), undefined);
      assert.equal(await cache.getForOperator('k'), undefined);
      assert.deepEqual(await cache.stats(), { entries: 0, bytes: 0 });
    });

    it('evicts the least recently used entry beyond maxEntries', async () => {
      const cache = await make<number>({ ttlMs: 10_000, maxEntries: 2, maxBytes: 1_000 });
      await cache.set('p', 'a', 1, 1);
      await cache.set('p', 'b', 2, 1);
      await cache.get('p', 'a');
      await cache.set('p', 'c', 3, 1);
      assert.equal(await cache.get('p', 'b'), undefined);
      assert.equal(await cache.get('p', 'a'), 1);
      assert.equal(await cache.get('p', 'c'), 3);
      assert.equal((await cache.stats()).entries, 2);
    });

    it('bounds the total declared bytes and refuses an entry larger than the bound', async () => {
      const cache = await make<string>({ ttlMs: 10_000, maxEntries: 100, maxBytes: 100 });
      await cache.set('p', 'a', 'x', 60);
      await cache.set('p', 'b', 'y', 60);
      assert.equal(await cache.get('p', 'a'), undefined);
      assert.equal(await cache.get('p', 'b'), 'y');
      assert.equal((await cache.stats()).bytes, 60);
      await cache.set('p', 'huge', 'z', 101);
      assert.equal(await cache.get('p', 'huge'), undefined);
      assert.equal(await cache.getForOperator('huge'), undefined);
    });

    it('replaces the value under the same scope and key without counting it twice', async () => {
      const cache = await make<string>({ ttlMs: 10_000, maxEntries: 10, maxBytes: 1_000 });
      await cache.set('p', 'k', 'old', 10);
      await cache.set('p', 'k', 'new', 20);
      assert.equal(await cache.get('p', 'k'), 'new');
      assert.deepEqual(await cache.stats(), { entries: 1, bytes: 20 });
    });

    it('finds an entry for the operator whatever scope stored it, while a scoped get from another scope still refuses it', async () => {
      const cache = await make<string>({ ttlMs: 10_000, maxEntries: 10, maxBytes: 1_000 });
      await cache.set('oauth:client-a:ann', 'uuid-1', 'rows of a', 9);
      assert.equal(await cache.get('oauth:client-b:ann', 'uuid-1'), undefined);
      assert.equal(await cache.get('browser:ann', 'uuid-1'), undefined);
      assert.deepEqual(await cache.getForOperator('uuid-1'), { scope: 'oauth:client-a:ann', value: 'rows of a' });
      assert.equal(await cache.getForOperator('uuid-2'), undefined);
    });

    it('forgets for the operator what the cache no longer holds (evicted)', async () => {
      const cache = await make<string>({ ttlMs: 10_000, maxEntries: 2, maxBytes: 1_000 });
      await cache.set('p', 'a', 'A', 1);
      await cache.set('q', 'b', 'B', 1);
      await cache.set('q', 'c', 'C', 1);
      assert.equal(await cache.getForOperator('a'), undefined);
      assert.deepEqual(await cache.getForOperator('c'), { scope: 'q', value: 'C' });
    });

    it('keeps scopes with non-ASCII characters apart and reports them back exactly', async () => {
      const cache = await make<string>({ ttlMs: 10_000, maxEntries: 10, maxBytes: 1_000 });
      await cache.set('browser:zoë😀', 'k', 'v', 1);
      assert.deepEqual(await cache.getForOperator('k'), { scope: 'browser:zoë😀', value: 'v' });
      assert.equal(await cache.get('browser:zoe😀', 'k'), undefined);
    });

    it('rejects non-positive bounds when created', async () => {
      await assert.rejects(make({ ttlMs: 0, maxEntries: 1, maxBytes: 1 }), RangeError);
    });
  });
}
