import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { SseDelivery, SseRoutes } from '../../../src/state/sse-routes.ts';

/** Two views of one routing: `holder` keeps the stream, `poster` takes the POST (two replicas with Redis). */
export interface SseRoutesPair {
  holder: SseRoutes;
  poster: SseRoutes;
}

/** Resolves with the next deliveries handed to a session, or rejects after `ms`. */
function inbox(ms = 3_000) {
  const received: SseDelivery[] = [];
  let wake: (() => void) | undefined;
  return {
    onDelivery: (delivery: SseDelivery) => {
      received.push(delivery);
      wake?.();
    },
    async next(): Promise<SseDelivery> {
      const deadline = Date.now() + ms;
      while (received.length === 0) {
        if (Date.now() > deadline) throw new Error('no delivery arrived');
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 50);
        });
      }
      return received.shift() as SseDelivery;
    },
    received,
  };
}

const message = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/list', params: {} });
const context = {
  principal: { id: 'key:abc', kind: 'api_key', scopes: ['mcp'] },
  requestId: 'req-1',
  publicBase: 'https://x.test/chatgpt',
};

export function sseRoutesContract(name: string, make: () => SseRoutesPair): void {
  describe(`SSE session routing contract: ${name}`, () => {
    it('reports a session nobody opened as unknown and delivers nothing to it', async () => {
      const { poster } = make();
      const id = randomUUID();
      assert.equal(await poster.find(id), undefined);
      assert.equal(await poster.deliver(id, { messages: [message(1)], context }), false);
    });

    it('hands messages posted anywhere to the stream holder, with their context intact', async () => {
      const { holder, poster } = make();
      const id = randomUUID();
      const box = inbox();
      const lease = await holder.open(id, { principalId: 'key:abc' }, box.onDelivery);
      try {
        assert.deepEqual(await poster.find(id), { principalId: 'key:abc' });
        const delivery = { messages: [message(1), message(2)], context };
        assert.equal(await poster.deliver(id, delivery), true);
        assert.deepEqual(await box.next(), delivery);
      } finally {
        await lease.close();
      }
    });

    it('keeps sessions apart: a message reaches only its own session', async () => {
      const { holder, poster } = make();
      const [one, two] = [randomUUID(), randomUUID()];
      const [boxOne, boxTwo] = [inbox(), inbox()];
      const leases = [
        await holder.open(one, { principalId: 'p1' }, boxOne.onDelivery),
        await holder.open(two, { principalId: 'p2' }, boxTwo.onDelivery),
      ];
      try {
        assert.equal(await poster.deliver(two, { messages: [message(7)], context }), true);
        assert.deepEqual((await boxTwo.next()).messages, [message(7)]);
        assert.equal(boxOne.received.length, 0);
        assert.equal((await poster.find(one))?.principalId, 'p1');
        assert.equal((await poster.find(two))?.principalId, 'p2');
      } finally {
        for (const lease of leases) await lease.close();
      }
    });

    it('remembers the protocol version negotiated on another replica', async () => {
      const { holder, poster } = make();
      const id = randomUUID();
      const lease = await holder.open(id, { principalId: 'p' }, () => {});
      try {
        await poster.noteProtocolVersion(id, '2024-11-05');
        assert.deepEqual(await holder.find(id), { principalId: 'p', protocolVersion: '2024-11-05' });
      } finally {
        await lease.close();
      }
    });

    it('forgets a closed session everywhere (find undefined, deliver false), and closing twice is harmless', async () => {
      const { holder, poster } = make();
      const id = randomUUID();
      const box = inbox();
      const lease = await holder.open(id, { principalId: 'p' }, box.onDelivery);
      await lease.close();
      await lease.close();
      assert.equal(await poster.find(id), undefined);
      assert.equal(await poster.deliver(id, { messages: [message(1)], context }), false);
      await poster.noteProtocolVersion(id, '2024-11-05');
      assert.equal(await poster.find(id), undefined, 'noting a version does not bring a closed session back');
      assert.equal(box.received.length, 0);
    });
  });
}
