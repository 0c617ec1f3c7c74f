import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RateLimiter } from '../../../src/state/rate-limiter.ts';

/** A fresh limiter (its own counters) allowing `perMinute` per window of `windowSeconds`. */
export type LimiterFactory = (perMinute: number, windowSeconds?: number) => RateLimiter;

/** What every RateLimiter owes the edge and sign-in — run in process and against Redis. */
export function rateLimiterContract(name: string, make: LimiterFactory): void {
  describe(`RateLimiter contract: ${name}`, () => {
    // One unit per JSON-RPC message: a batch costs its size (the cases h/edge's token bucket had).
    const cases: Array<{ name: string; perMinute: number; costs: number[]; expected: boolean[] }> = [
      { name: 'single requests up to the limit', perMinute: 3, costs: [1, 1, 1, 1], expected: [true, true, true, false] },
      { name: 'a batch spends its size', perMinute: 5, costs: [5, 1], expected: [true, false] },
      {
        name: 'a batch larger than what is left is refused whole and spends nothing',
        perMinute: 5,
        costs: [3, 3, 2],
        expected: [true, false, true],
      },
      { name: 'a batch larger than the limit never fits', perMinute: 5, costs: [6, 5], expected: [false, true] },
    ];
    for (const { name: title, perMinute, costs, expected } of cases) {
      it(`${title}: ${perMinute}/min, costs ${costs.join(', ')} → ${expected.join(', ')}`, async () => {
        const limiter = make(perMinute);
        const verdicts: boolean[] = [];
        for (const cost of costs) verdicts.push((await limiter.take('k', cost)).ok);
        assert.deepEqual(verdicts, expected);
      });
    }

    it('allows perMinute units in a window and refuses the next with a Retry-After within the window', async () => {
      const limiter = make(3);
      for (let i = 0; i < 3; i++) assert.deepEqual(await limiter.take('k'), { ok: true }, `unit ${i + 1}`);
      const refused = await limiter.take('k');
      assert.equal(refused.ok, false);
      assert.ok(!refused.ok && refused.retryAfterSeconds >= 1 && refused.retryAfterSeconds <= 60, JSON.stringify(refused));
    });

    it('charges a batch its size, refuses it whole and spends nothing on the refusal', async () => {
      const limiter = make(5);
      assert.deepEqual(await limiter.take('k', 3), { ok: true });
      assert.equal((await limiter.take('k', 3)).ok, false, '3 + 3 > 5');
      assert.deepEqual(await limiter.take('k', 2), { ok: true }, 'the refused batch spent nothing');
      assert.equal((await limiter.take('k')).ok, false);
    });

    it('never fits a cost above the limit', async () => {
      const limiter = make(5);
      assert.equal((await limiter.take('fresh', 6)).ok, false);
      assert.deepEqual(await limiter.take('fresh', 5), { ok: true });
    });

    it('peeks without spending, and reports exhaustion', async () => {
      const limiter = make(2);
      assert.deepEqual(await limiter.peek('k'), { ok: true });
      await limiter.take('k');
      assert.deepEqual(await limiter.peek('k'), { ok: true });
      await limiter.take('k');
      const refused = await limiter.peek('k');
      assert.ok(!refused.ok && refused.retryAfterSeconds >= 1 && refused.retryAfterSeconds <= 60, JSON.stringify(refused));
    });

    it('peeks at once what it has just spent, however often (a cached count is never stale for its own change)', async () => {
      const limiter = make(1);
      for (let i = 0; i < 40; i++) {
        const key = `seen-${i}`;
        assert.deepEqual(await limiter.peek(key), { ok: true });
        assert.deepEqual(await limiter.take(key), { ok: true });
        assert.equal((await limiter.peek(key)).ok, false, `round ${i + 1}`);
      }
    });

    it('counts keys apart', async () => {
      const limiter = make(1);
      assert.deepEqual(await limiter.take('a'), { ok: true });
      assert.deepEqual(await limiter.take('b'), { ok: true });
      assert.equal((await limiter.take('a')).ok, false);
    });

    it('opens a new window after the old one ends', async () => {
      const limiter = make(1, 1);
      assert.deepEqual(await limiter.take('k'), { ok: true });
      assert.equal((await limiter.take('k')).ok, false);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      assert.deepEqual(await limiter.take('k'), { ok: true });
    });
  });
}
