import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRateLimiter } from '../../../src/http/rate-limit.ts';

describe('token bucket with a cost per request (one token per JSON-RPC message)', () => {
  const cases: Array<{ name: string; perMinute: number; costs: number[]; expected: boolean[] }> = [
    { name: 'single requests up to the burst', perMinute: 3, costs: [1, 1, 1, 1], expected: [true, true, true, false] },
    { name: 'a batch spends its size', perMinute: 5, costs: [5, 1], expected: [true, false] },
    { name: 'a batch larger than what is left is refused whole and spends nothing', perMinute: 5, costs: [3, 3, 2], expected: [true, false, true] },
    { name: 'a batch larger than the capacity never fits', perMinute: 5, costs: [6, 5], expected: [false, true] },
  ];
  for (const { name, perMinute, costs, expected } of cases) {
    it(`${name}: ${perMinute}/min, costs ${costs.join(', ')} → ${expected.join(', ')}`, () => {
      const limiter = createRateLimiter({ perMinute, now: () => 0 });
      assert.deepEqual(costs.map((cost) => limiter.take('k', cost).ok), expected);
    });
  }

  it('refills with time and says how long to wait', () => {
    let time = 0;
    const limiter = createRateLimiter({ perMinute: 6, now: () => time });
    assert.equal(limiter.take('k', 6).ok, true);
    const refused = limiter.take('k', 2);
    assert.deepEqual(refused, { ok: false, retryAfterSeconds: 20 });
    time = 20_000;
    assert.equal(limiter.take('k', 2).ok, true);
  });
});
