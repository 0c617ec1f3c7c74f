import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCache } from '../../../src/cache/index.ts';

const frozenClock = (start = 1_000) => {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

describe('createCache', () => {
  it('returns an entry only to the scope that stored it', () => {
    const cache = createCache<string>({ ttlMs: 1_000, maxEntries: 10, maxBytes: 1_000 });
    cache.set('alice', 'result:1', 'secret rows', 11);
    assert.equal(cache.get('alice', 'result:1'), 'secret rows');
    assert.equal(cache.get('bob', 'result:1'), undefined);
  });

  it('keeps scopes apart even when scope and key contain the separator', () => {
    const cache = createCache<string>({ ttlMs: 1_000, maxEntries: 10, maxBytes: 1_000 });
    cache.set('a:b', 'c', 'first', 1);
    assert.equal(cache.get('a', 'b:c'), undefined);
    assert.equal(cache.get('a:b', 'c'), 'first');
  });

  it('expires entries after the TTL on the injected clock', () => {
    const clock = frozenClock();
    const cache = createCache<string>({ ttlMs: 60_000, maxEntries: 10, maxBytes: 1_000, now: clock.now });
    cache.set('p', 'k', 'v', 1);
    clock.advance(59_999);
    assert.equal(cache.get('p', 'k'), 'v');
    clock.advance(2);
    assert.equal(cache.get('p', 'k'), undefined);
  });

  it('evicts the least recently used entry beyond maxEntries', () => {
    const cache = createCache<number>({ ttlMs: 1_000, maxEntries: 2, maxBytes: 1_000 });
    cache.set('p', 'a', 1, 1);
    cache.set('p', 'b', 2, 1);
    cache.get('p', 'a');
    cache.set('p', 'c', 3, 1);
    assert.equal(cache.get('p', 'b'), undefined);
    assert.equal(cache.get('p', 'a'), 1);
    assert.equal(cache.stats().entries, 2);
  });

  it('bounds the total declared bytes and refuses an entry larger than the bound', () => {
    const cache = createCache<string>({ ttlMs: 1_000, maxEntries: 100, maxBytes: 100 });
    cache.set('p', 'a', 'x', 60);
    cache.set('p', 'b', 'y', 60);
    assert.equal(cache.get('p', 'a'), undefined);
    assert.equal(cache.stats().bytes, 60);
    cache.set('p', 'huge', 'z', 101);
    assert.equal(cache.get('p', 'huge'), undefined);
  });

  it('rejects non-positive bounds when created', () => {
    assert.throws(() => createCache({ ttlMs: 0, maxEntries: 1, maxBytes: 1 }), RangeError);
  });
});

describe('createCache operator lookup', () => {
  it('finds an entry by key whatever scope stored it, while a scoped get from another scope still refuses it', () => {
    const cache = createCache<string>({ ttlMs: 1_000, maxEntries: 10, maxBytes: 1_000 });
    cache.set('oauth:client-a:ann', 'uuid-1', 'rows of a', 9);
    assert.equal(cache.get('oauth:client-b:ann', 'uuid-1'), undefined);
    assert.equal(cache.get('browser:ann', 'uuid-1'), undefined);
    assert.deepEqual(cache.getForOperator('uuid-1'), { scope: 'oauth:client-a:ann', value: 'rows of a' });
    assert.equal(cache.getForOperator('uuid-2'), undefined);
  });

  it('forgets entries the cache no longer holds: expired, evicted, cleared', () => {
    const clock = frozenClock();
    const cache = createCache<string>({ ttlMs: 60_000, maxEntries: 2, maxBytes: 1_000, now: clock.now });
    cache.set('p', 'old', 'v', 1);
    clock.advance(60_001);
    assert.equal(cache.getForOperator('old'), undefined, 'expired');
    cache.set('p', 'a', 'A', 1);
    cache.set('q', 'b', 'B', 1);
    cache.set('q', 'c', 'C', 1);
    assert.equal(cache.getForOperator('a'), undefined, 'evicted');
    assert.equal(cache.getForOperator('c')?.value, 'C');
    cache.clear();
    assert.equal(cache.getForOperator('c'), undefined, 'cleared');
  });

  it('does not index an entry too large to be stored', () => {
    const cache = createCache<string>({ ttlMs: 1_000, maxEntries: 10, maxBytes: 10 });
    cache.set('p', 'big', 'x'.repeat(20), 20);
    assert.equal(cache.getForOperator('big'), undefined);
    assert.equal(cache.get('p', 'big'), undefined);
  });
});
