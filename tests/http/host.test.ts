import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mcpPost, rpcResult, testApp } from './fixtures.ts';

const LIST = { jsonrpc: '2.0', id: 7, method: 'tools/list' };

describe('Host header (item 38)', () => {
  // @modelcontextprotocol/hono's createMcpHonoApp() validates Host against localhost by default, which
  // breaks every deployment behind a proxy. Ours authenticates callers instead and answers any Host.
  for (const host of ['data.example.com', 'connector:8008', '10.0.0.7:8008', 'localhost:8008']) {
    it(`answers tools/list for Host: ${host}`, async () => {
      const { app } = testApp();
      const response = await app.request(`http://${host}/mcp`, mcpPost(LIST, { host }));
      assert.equal(response.status, 200);
      const body = await rpcResult(response);
      const tools = (body.result as { tools: { name: string }[] }).tools.map((t) => t.name).sort();
      assert.deepEqual(tools, ['fetch', 'search']);
    });
  }
});
