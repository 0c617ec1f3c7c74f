/**
 * RATE_LIMIT_PER_MINUTE held across replicas that share Redis (STATE_STORE_URL): two connector
 * instances on one Redis, JSON-RPC messages (single and batched) alternating between them over
 * real sockets, and the count is the deployment's, not each replica's.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { TestRedis } from '../helpers/redis.ts';
import { startTestRedis } from '../helpers/redis.ts';
import type { TestServer } from '../helpers/server.ts';
import { startTestServer } from '../helpers/server.ts';
import { postJsonRpc } from '../helpers/post-json-rpc.ts';

const PER_MINUTE = 6;
const keys: [string, string] = [randomBytes(18).toString('base64url'), randomBytes(18).toString('base64url')];
let redis: TestRedis;
let a: TestServer;
let b: TestServer;

before(async () => {
  redis = await startTestRedis({ password: randomBytes(12).toString('hex') });
  const env = { STATE_STORE_URL: redis.url, RATE_LIMIT_PER_MINUTE: String(PER_MINUTE) };
  a = await startTestServer({ apiKeys: keys, env });
  b = await startTestServer({ database: a.database, apiKeys: keys, env });
});

after(async () => {
  await b?.close();
  await a?.close();
  await redis?.close();
});

const list = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/list' });

async function post(server: TestServer, key: string, body: unknown): Promise<number> {
  const response = await postJsonRpc(server.mcpUrl, key, body);
  await response.text();
  return response.status;
}

describe('rate limits shared across replicas through Redis', () => {
  it(`holds ${PER_MINUTE} messages per minute for one principal across two replicas, counting each message of a batch`, async () => {
    const statuses = [
      await post(a, keys[0], [list(1), list(2), list(3), list(4)]), // 4 of 6
      await post(b, keys[0], list(5)), // 5
      await post(a, keys[0], [list(6), list(7)]), // 7 > 6: refused whole
      await post(b, keys[0], list(8)), // 6
      await post(a, keys[0], list(9)), // 7 > 6
    ];
    assert.deepEqual(statuses, [200, 200, 429, 200, 429]);
  });

  it('keeps another principal on its own count on every replica', async () => {
    assert.deepEqual([await post(b, keys[1], list(1)), await post(a, keys[1], list(2))], [200, 200]);
  });

  it('answers 503 STATE_UNAVAILABLE while Redis is down instead of counting per replica, and recovers', async () => {
    await redis.stop();
    try {
      const response = await fetch(a.mcpUrl, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${keys[1]}`,
          'content-type': 'application/json',
          accept: 'application/json',
          'mcp-protocol-version': '2025-06-18',
        },
        body: JSON.stringify(list(3)),
      });
      assert.equal(response.status, 503);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'STATE_UNAVAILABLE');
      assert.ok(response.headers.get('retry-after'));
    } finally {
      await redis.start();
    }
    const deadline = Date.now() + 15_000;
    let status = 0;
    while (status !== 200 && Date.now() < deadline) {
      status = await post(a, keys[1], list(4));
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.equal(status, 200);
  });
});
