import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Counters } from '../../../src/state/counters.ts';

/** What every Counters implementation owes sign-in (windows on the caller's clock). */
export function countersContract(name: string, make: () => Counters): void {
  describe(`Counters contract: ${name}`, () => {
    const T = 1_800_000_000_000;

    it('counts hits in a window that starts at the first hit, then starts over', async () => {
      const counters = make();
      assert.equal(await counters.hit('k', T, 60_000), 1);
      assert.equal(await counters.hit('k', T + 59_999, 60_000), 2);
      assert.equal(await counters.get('k', T + 59_999), 2);
      assert.equal(await counters.get('k', T + 60_000), 0);
      assert.equal(await counters.hit('k', T + 60_000, 60_000), 1);
    });

    it('reserves up to max, refuses after with the end of the window, and takes a release back', async () => {
      const counters = make();
      assert.deepEqual(await counters.reserve('k', T, 60_000, 2), { ok: true, count: 1 });
      assert.deepEqual(await counters.reserve('k', T + 1, 60_000, 2), { ok: true, count: 2 });
      assert.deepEqual(await counters.reserve('k', T + 2, 60_000, 2), { ok: false, resetAt: T + 60_000 });
      await counters.release('k');
      assert.deepEqual(await counters.reserve('k', T + 3, 60_000, 2), { ok: true, count: 2 });
    });

    it('lets exactly max of many concurrent reservations through', async () => {
      const counters = make();
      const results = await Promise.all(Array.from({ length: 20 }, () => counters.reserve('race', T, 60_000, 5)));
      assert.equal(results.filter((r) => r.ok).length, 5);
    });

    it('resets a key and keeps keys apart', async () => {
      const counters = make();
      await counters.hit('a', T, 60_000);
      await counters.hit('b', T, 60_000);
      await counters.reset('a');
      assert.equal(await counters.get('a', T), 0);
      assert.equal(await counters.get('b', T), 1);
    });
  });
}
