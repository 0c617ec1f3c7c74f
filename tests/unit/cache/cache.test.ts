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
