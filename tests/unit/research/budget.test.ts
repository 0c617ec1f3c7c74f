import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { DbError } from '../../../src/db/errors.ts';
import { mapLimited, NL_SEARCH_BUDGET_MS, scanConcurrency, searchBudgetMs, startBudget } from '../../../src/research/budget.ts';

describe('natural-language search budget', () => {
  const cases: Array<[string, { queryTimeoutMs: number; searchBudgetMs?: number }, number]> = [
    ['defaults to 10 s when the query timeout is longer', { queryTimeoutMs: 60_000 }, NL_SEARCH_BUDGET_MS],
    ['never exceeds the query timeout', { queryTimeoutMs: 4_000 }, 4_000],
    ['takes a configured budget below the timeout', { queryTimeoutMs: 15_000, searchBudgetMs: 2_500 }, 2_500],
    ['caps a configured budget at the timeout', { queryTimeoutMs: 3_000, searchBudgetMs: 20_000 }, 3_000],
    ['is at least 1 ms', { queryTimeoutMs: 0 }, 1],
  ];
  for (const [name, limits, expected] of cases) it(name, () => assert.equal(searchBudgetMs(limits), expected));

  it('runs at least one scan at a time', () => {
    assert.equal(scanConcurrency({}), 3);
    assert.equal(scanConcurrency({ scanConcurrency: 0 }), 1);
  });

  it('answers undefined as soon as the budget ends, without waiting for the work', async () => {
    const budget = startBudget(30);
    const started = performance.now();
    const slow = sleep(2_000, 'late', { ref: false });
    assert.equal(await budget.race(slow), undefined);
    assert.ok(performance.now() - started < 1_000);
    assert.equal(budget.expired(), true);
    assert.equal(budget.signal.aborted, true);
    budget.close();
  });

  it('passes results and database errors through, and rethrows anything else', async () => {
    const budget = startBudget(5_000);
    assert.equal(await budget.race(Promise.resolve(7)), 7);
    const err = new DbError('QUERY_TIMEOUT', 'slow');
    assert.equal(await budget.race(Promise.reject(err)), err);
    await assert.rejects(budget.race(Promise.reject(new TypeError('bug'))), TypeError);
    assert.equal(budget.expired(), false);
    budget.close();
    assert.equal(budget.signal.aborted, true, 'closing cancels what still runs');
  });

  it("ends with the caller's signal", async () => {
    const caller = new AbortController();
    const budget = startBudget(5_000, caller.signal);
    caller.abort();
    assert.equal(budget.expired(), true);
    assert.equal(await budget.race(new Promise(() => {})), undefined);
    budget.close();
  });
});

describe('mapLimited', () => {
  it('keeps at most the limit in flight and returns results in input order', async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimited(
      [30, 5, 20, 1, 10],
      2,
      () => false,
      async (ms) => {
        peak = Math.max(peak, ++inFlight);
        await sleep(ms);
        inFlight--;
        return ms * 2;
      },
    );
    assert.deepEqual(out, [60, 10, 40, 2, 20]);
    assert.equal(peak, 2);
  });

  it('starts nothing more once told to stop, leaving those results undefined', async () => {
    let stop = false;
    const out = await mapLimited(
      [1, 2, 3, 4],
      1,
      () => stop,
      async (n) => {
        if (n === 2) stop = true;
        return n;
      },
    );
    assert.deepEqual(out, [1, 2, undefined, undefined]);
  });
});
