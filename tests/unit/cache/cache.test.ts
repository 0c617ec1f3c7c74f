import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCache } from '../../../src/cache/index.ts';
import { cacheContract } from './contract.ts';

cacheContract('in-process (lru-cache)', async (bounds) => createCache(bounds));

const frozenClock = (start = 1_000) => {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

describe('createCache on an injected clock', () => {
  it('expires entries exactly at the TTL', async () => {
    const clock = frozenClock();
    const cache = createCache<string>({ ttlMs: 60_000, maxEntries: 10, maxBytes: 1_000, now: clock.now });
    await cache.set('p', 'k', 'v', 1);
    clock.advance(59_999);
    assert.equal(await cache.get('p', 'k'), 'v');
    clock.advance(2);
    assert.equal(await cache.get('p', 'k'), undefined);
    assert.equal(await cache.getForOperator('k'), undefined);
  });
});
