import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DbHealth } from '../../src/db/types.ts';
import { createHealthProbe } from '../../src/http/health-probe.ts';
import { testApp } from './fixtures.ts';

/** A real Db-shaped check that counts its round trips and answers after `delayMs`. */
function countingDb(delayMs = 20) {
  const counter = { probes: 0, ok: true };
  const db = {
    ping: async (): Promise<DbHealth> => {
      counter.probes++;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return { ok: counter.ok, latencyMs: delayMs, pool: { size: 1, available: 1, borrowed: 0, pending: 0 } };
    },
  };
  return { counter, db };
}

describe('/health probe', () => {
  it('40 concurrent /health calls cause at most one database probe, and all get its answer', async () => {
    const { counter, db } = countingDb();
    const { app } = testApp({ db });
    const responses = await Promise.all(Array.from({ length: 40 }, () => app.request('/health')));
    assert.equal(counter.probes, 1);
    assert.deepEqual([...new Set(responses.map((r) => r.status))], [200]);
  });

  it('serves the last result for later callers within the interval, also on the prefixed path', async () => {
    const { counter, db } = countingDb(1);
    const { app } = testApp({ db });
    for (const path of ['/health', '/chatgpt/health', '/health']) assert.equal((await app.request(path)).status, 200);
    assert.equal(counter.probes, 1);
  });

  const cases: Array<{ name: string; steps: number[]; probes: number }> = [
    { name: 'calls inside one interval share one probe', steps: [0, 1_000, 4_999], probes: 1 },
    { name: 'a call after the interval probes again', steps: [0, 5_000], probes: 2 },
    { name: 'one probe per interval under steady traffic', steps: [0, 2_500, 5_000, 7_500, 10_000, 12_500], probes: 3 },
  ];
  for (const { name, steps, probes } of cases) {
    it(`${name} (${probes} probe(s) for calls at ${steps.join(', ')} ms)`, async () => {
      const { counter, db } = countingDb(1);
      let time = 0;
      const probe = createHealthProbe({ db, timeoutMs: 1_000, intervalMs: 5_000, now: () => time });
      for (const step of steps) {
        time = step;
        await probe();
      }
      assert.equal(counter.probes, probes);
    });
  }

  it('reports a recovered database once the interval has passed', async () => {
    const { counter, db } = countingDb(1);
    let time = 0;
    const probe = createHealthProbe({ db, timeoutMs: 1_000, intervalMs: 5_000, now: () => time });
    counter.ok = false;
    assert.equal((await probe()).ok, false);
    counter.ok = true;
    time = 1_000;
    assert.equal((await probe()).ok, false, 'served from the last check');
    time = 5_000;
    assert.equal((await probe()).ok, true);
  });
});
