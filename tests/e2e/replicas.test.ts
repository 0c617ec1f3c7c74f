import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { TestServer } from '../helpers/server.ts';
import { startTestServer } from '../helpers/server.ts';
import type { ToolErrorBody } from './mcp-client.ts';
import { callTool, fetchId, search } from './mcp-client.ts';

let a: TestServer;
let b: TestServer;

before(async () => {
  const keys: [string, string] = [randomBytes(18).toString('base64url'), randomBytes(18).toString('base64url')];
  a = await startTestServer({ apiKeys: keys });
  b = await startTestServer({ database: a.database, apiKeys: keys });
});

after(async () => {
  await b?.close();
  await a?.close();
});

/** An MCP SDK client whose HTTP requests alternate between replica A and replica B (a load balancer without stickiness). */
async function roundRobinClient(): Promise<{ client: Client; hits: { a: number; b: number } }> {
  const hits = { a: 0, b: 0 };
  let turn = 0;
  const transport = new StreamableHTTPClientTransport(a.mcpUrl, {
    requestInit: { headers: { Authorization: `Bearer ${a.apiKey}` } },
    fetch: (url, init) => {
      const toB = turn++ % 2 === 1;
      hits[toB ? 'b' : 'a'] += 1;
      return fetch(toB ? String(url).replace(a.url, b.url) : url, init);
    },
  });
  const client = new Client({ name: 'round-robin', version: '1' });
  await client.connect(transport);
  return { client, hits };
}

describe('stateless Streamable HTTP across replicas (item 28)', () => {
  it('serves one client whose requests alternate between two replicas, with no session to lose', async () => {
    const { client, hits } = await roundRobinClient();
    try {
      const { tools } = await client.listTools();
      assert.equal(tools.length, 2);
      const described = await search(client, 'describe sales.Customers');
      assert.equal(described.isError, false);
      assert.ok(hits.a > 0 && hits.b > 0, JSON.stringify(hits));
    } finally {
      await client.close();
    }
  });

  it('serves row and table ids from any replica, while result-set ids stay with the replica that cached them', async () => {
    const { client } = await roundRobinClient();
    try {
      // Requests alternate, so consecutive calls land on different replicas.
      const sample = await search(client, 'sample sales.Orders limit 2');
      const row = sample.body.results.find((result) => result.id.startsWith('row:'))!;
      for (let i = 0; i < 2; i++) assert.equal((await fetchId(client, row.id)).isError, false, `attempt ${i}`);
      const query = await search(client, 'SELECT TOP 2 OrderID FROM sales.Orders');
      const set = query.body.results.find((result) => result.id.startsWith('result:'))!;
      const outcomes = [
        await callTool<ToolErrorBody>(client, 'fetch', { id: set.id }),
        await callTool<ToolErrorBody>(client, 'fetch', { id: set.id }),
      ];
      assert.deepEqual(outcomes.map((outcome) => outcome.isError).sort(), [false, true]);
      const failed = outcomes.find((outcome) => outcome.isError)!;
      assert.equal(failed.body.error.code, 'NOT_FOUND');
      assert.match(failed.body.error.message, /search/i);
    } finally {
      await client.close();
    }
  });
});
