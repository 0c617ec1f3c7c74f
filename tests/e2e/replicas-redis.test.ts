import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { TestDatabase } from '../helpers/database.ts';
import { startTestDatabase } from '../helpers/database.ts';
import type { TestRedis } from '../helpers/redis.ts';
import { startTestRedis } from '../helpers/redis.ts';
import type { TestServer } from '../helpers/server.ts';
import { startTestServer } from '../helpers/server.ts';
import type { ToolErrorBody } from './mcp-client.ts';
import { callTool, connectClient, fetchId, search } from './mcp-client.ts';

const keys: [string, string] = [randomBytes(18).toString('base64url'), randomBytes(18).toString('base64url')];
let database: TestDatabase;
let redis: TestRedis;
const running: TestServer[] = [];

/**
 * A replica sharing the test's Redis (persistence on, ACL user) and database. Rate limiting is off
 * here, so a Redis outage reaches the tools (with it on, the edge answers 503 first: see
 * tests/e2e/rate-limit-replicas.test.ts).
 */
async function replica(): Promise<TestServer> {
  const server = await startTestServer({ database, apiKeys: keys, env: { STATE_STORE_URL: redis.url, RATE_LIMIT_PER_MINUTE: '0' } });
  running.push(server);
  return server;
}

async function stopReplica(server: TestServer): Promise<void> {
  running.splice(running.indexOf(server), 1);
  await server.close();
}

async function fetchOn(server: TestServer, id: string, key = keys[0]) {
  const client = await connectClient(server.mcpUrl, key);
  try {
    return await callTool<ToolErrorBody & { text: string; metadata: Record<string, unknown> }>(client, 'fetch', { id });
  } finally {
    await client.close();
  }
}

before(async () => {
  database = await startTestDatabase();
  redis = await startTestRedis({ persistent: true, password: randomBytes(12).toString('hex') });
});

after(async () => {
  for (const server of [...running]) await server.close();
  await redis?.close();
  await database?.close();
});

describe('result ids shared through Redis (STATE_STORE_URL)', () => {
  let resultId = '';
  let rowId = '';
  let expectedText = '';

  it('fetches on replica B the result id of a SQL search made on replica A, with the MCP SDK client', async () => {
    const [a, b] = [await replica(), await replica()];
    const client = await connectClient(a.mcpUrl, keys[0]);
    try {
      const found = await search(client, 'SELECT TOP 3 CustomerID, Name FROM sales.Customers ORDER BY CustomerID');
      assert.equal(found.isError, false, JSON.stringify(found.body));
      resultId = found.body.results.find((r) => r.id.startsWith('result:'))?.id ?? '';
      assert.ok(resultId, JSON.stringify(found.body.results.map((r) => r.id)));
      expectedText = (await fetchId(client, resultId)).body.text;
    } finally {
      await client.close();
    }
    const onB = await fetchOn(b, resultId);
    assert.equal(onB.isError, false, JSON.stringify(onB.body));
    assert.equal(onB.body.text, expectedText);
    assert.match(onB.body.text, /CustomerID/);
  });

  it('keeps the id confined to the principal that searched, on every replica', async () => {
    const b = running[1]!;
    const other = await fetchOn(b, resultId, keys[1]);
    assert.equal(other.isError, true);
    assert.equal(other.body.error.code, 'NOT_FOUND');
  });

  it('serves cache row ids of a keyless result on another replica', async () => {
    const [a, b] = running as [TestServer, TestServer];
    const client = await connectClient(a.mcpUrl, keys[0]);
    try {
      const found = await search(client, 'SELECT TOP 2 Name FROM sales.Customers ORDER BY Name');
      rowId = found.body.results.find((r) => r.id.startsWith('resultrow:'))?.id ?? '';
      assert.ok(rowId, JSON.stringify(found.body.results.map((r) => r.id)));
    } finally {
      await client.close();
    }
    const row = await fetchOn(b, rowId);
    assert.equal(row.isError, false, JSON.stringify(row.body));
    assert.match(row.body.text, /Name:/);
  });

  it('keeps result ids when every replica restarts', async () => {
    for (const server of [...running]) await stopReplica(server);
    const fresh = await replica();
    const again = await fetchOn(fresh, resultId);
    assert.equal(again.isError, false, JSON.stringify(again.body));
    assert.equal(again.body.text, expectedText);
  });

  it('answers STATE_UNAVAILABLE while Redis is down, then recovers by itself with the ids intact after a Redis restart', async () => {
    const server = running[0]!;
    await redis.stop();
    const down = await fetchOn(server, resultId);
    assert.equal(down.isError, true);
    assert.equal(down.body.error.code, 'STATE_UNAVAILABLE');
    assert.doesNotMatch(down.body.error.message, /127\.0\.0\.1|ECONNREFUSED|connector:/);
    const health = await fetch(server.healthUrl);
    assert.equal(health.status, 503);
    const body = (await health.json()) as { state_store?: { ok: boolean; error?: string } };
    assert.equal(body.state_store?.ok, false);
    assert.match(body.state_store?.error ?? '', /redis/);
    await redis.start();
    const deadline = Date.now() + 15_000;
    let outcome = await fetchOn(server, resultId);
    while (outcome.isError && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      outcome = await fetchOn(server, resultId);
    }
    assert.equal(outcome.isError, false, JSON.stringify(outcome.body));
    assert.equal(outcome.body.text, expectedText);
    assert.equal((await fetch(server.healthUrl)).status, 200);
  });
});
