import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DbError } from '../../../src/db/errors.ts';
import { createSlots } from '../../../src/db/slots.ts';

describe('createSlots', () => {
  it('grants up to max at once and refuses with BUSY after the wait', async () => {
    const slots = createSlots(2);
    const a = await slots.acquire(10);
    await slots.acquire(10);
    assert.equal(slots.inUse, 2);
    await assert.rejects(slots.acquire(20), (e: unknown) => e instanceof DbError && e.code === 'BUSY');
    a();
    assert.equal(slots.inUse, 1);
  });

  it('hands a released slot to the first waiter', async () => {
    const slots = createSlots(1);
    const release = await slots.acquire(10);
    const waiting = slots.acquire(1_000);
    assert.equal(slots.waiting, 1);
    release();
    release(); // a second call is harmless
    const next = await waiting;
    assert.equal(slots.inUse, 1);
    next();
    assert.equal(slots.inUse, 0);
  });

  it('stops waiting when the signal aborts', async () => {
    const slots = createSlots(1);
    await slots.acquire(10);
    const controller = new AbortController();
    const waiting = slots.acquire(10_000, controller.signal);
    controller.abort();
    await assert.rejects(waiting, (e: unknown) => e instanceof DbError && e.code === 'BUSY');
    assert.equal(slots.waiting, 0);
  });
});
