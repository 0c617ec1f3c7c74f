import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { TestServer } from '../helpers/server.ts';
import { startTestServer } from '../helpers/server.ts';
import type { ToolErrorBody } from './mcp-client.ts';
import { callTool, connectClient, fetchId, search } from './mcp-client.ts';

const BYTE_CAP = 3000;
let server: TestServer;
let client: Client;

before(async () => {
  server = await startTestServer({ freshDatabase: true, env: { QUERY_TIMEOUT_MS: '300', MAX_RESULT_BYTES: String(BYTE_CAP) } });
  client = await connectClient(server.mcpUrl, server.apiKey);
});

after(async () => {
  await client?.close();
  await server?.close();
});

describe('limits through the whole stack', () => {
  it('cancels a query at QUERY_TIMEOUT_MS with a QUERY_TIMEOUT tool error and keeps serving', { timeout: 300_000 }, async () => {
    // Big enough to outlast 300 ms on either database. The sandbox cannot interrupt PGlite inside
    // a statement: it replaces its engine thread (about a second), so the next query may have to
    // wait for it; serving again within 5 s is what is asked of both.
    const fanOut = server.database.kind === 'sandbox' ? 20 : 20_000;
    const slow = `SELECT COUNT_BIG(*) AS n FROM sales.OrderLines a CROSS JOIN (SELECT TOP ${fanOut} OrderID FROM sales.Orders) b WHERE a.Quantity * b.OrderID > 0`;
    const { isError, body } = await callTool<ToolErrorBody>(client, 'search', { query: slow });
    assert.equal(isError, true);
    assert.equal(body.error.code, 'QUERY_TIMEOUT');
    assert.match(body.error.message, /300 ms/);
    const started = Date.now();
    let next = await search(client, 'SELECT TOP 1 OrderID FROM sales.Orders ORDER BY OrderID');
    while (next.isError && Date.now() - started < 5_000)
      next = await search(client, 'SELECT TOP 1 OrderID FROM sales.Orders ORDER BY OrderID');
    assert.equal(next.isError, false, JSON.stringify(next.body));
    assert.ok(Date.now() - started < 5_000, 'the connection and the concurrency slot were released');
  });

  it('keeps every tool result under MAX_RESULT_BYTES, for search and fetch', async () => {
    const { isError, body } = await search(client, 'SELECT TOP 20 Subject, Body FROM dbo.SupportTickets');
    assert.equal(isError, false);
    assert.ok(JSON.stringify(body).length <= BYTE_CAP, `search result is ${JSON.stringify(body).length} bytes`);
    const set = body.results.find((result) => result.id.startsWith('result:'))!;
    const document = await fetchId(client, set.id);
    assert.equal(document.isError, false);
    assert.ok(JSON.stringify(document.body).length <= BYTE_CAP, `fetch result is ${JSON.stringify(document.body).length} bytes`);
  });
});
