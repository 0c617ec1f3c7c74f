import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { TestServer } from '../helpers/server.ts';
import { startTestServer } from '../helpers/server.ts';
import { connectClient, fetchId, search } from './mcp-client.ts';

let server: TestServer;

before(async () => {
  server = await startTestServer({ env: { RATE_LIMIT_PER_MINUTE: '30' } });
});

after(async () => {
  await server?.close();
});

const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

function post(url: URL | string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(body),
  });
}

describe('transports over real sockets', () => {
  it('serves the legacy HTTP+SSE flow to the SDK SSE client: endpoint event, tools, fetch', async () => {
    const client = await connectClient(server.sseUrl, server.apiKey, 'sse');
    try {
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((tool) => tool.name).sort(), ['fetch', 'search']);
      const { body } = await search(client, 'describe sales.Customers');
      const document = await fetchId(client, body.results[0]!.id);
      assert.equal(document.isError, false);
    } finally {
      await client.close();
    }
  });

  it('announces the prefixed messages path on GET /sse and sends keep-alive comments', async () => {
    const quick = await startTestServer({ database: server.database, overrides: { sseKeepAliveMs: 100 } });
    const controller = new AbortController();
    try {
      const response = await fetch(quick.sseUrl, { headers: { authorization: `Bearer ${quick.apiKey}` }, signal: controller.signal });
      assert.equal(response.status, 200);
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let text = '';
      while (!text.includes(': keepalive')) text += (await reader.read()).value ?? '';
      assert.match(text, /^event: endpoint\ndata: \/chatgpt\/messages\?sessionId=[0-9a-f-]{36}\n\n/);
    } finally {
      controller.abort();
      await quick.close();
    }
  });

  it('answers a raw 2026-07-28 server/discover with the supported version, then a 2025 initialize on the same URL (items 29, 40)', async () => {
    const meta = {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
      'io.modelcontextprotocol/clientCapabilities': {},
    };
    const discover = await post(
      server.mcpUrl,
      { jsonrpc: '2.0', id: 1, method: 'server/discover', params: { _meta: meta } },
      {
        authorization: `Bearer ${server.apiKey}`,
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': 'server/discover',
      },
    );
    assert.equal(discover.status, 200);
    const body = (await discover.json()) as { result: { supportedVersions: string[]; resultType: string } };
    assert.deepEqual(body.result.supportedVersions, ['2026-07-28']);
    assert.equal(body.result.resultType, 'complete');
    const init = await post(server.mcpUrl, INIT, { authorization: `Bearer ${server.apiKey}`, accept: 'application/json' });
    assert.equal(init.status, 200);
    assert.equal(((await init.json()) as { result: { serverInfo: { name: string } } }).result.serverInfo.name, 'mssql-deep-research');
  });

  it('serves a Responses-API-style client: plain JSON, no session, bearer key, read-only tools (item 35)', async () => {
    const headers = { authorization: `Bearer ${server.apiKey}`, accept: 'application/json', 'mcp-protocol-version': '2025-06-18' };
    const init = await post(server.mcpUrl, INIT, headers);
    assert.equal(init.status, 200);
    assert.equal(init.headers.get('mcp-session-id'), null);
    await init.arrayBuffer();
    const note = await post(server.mcpUrl, { jsonrpc: '2.0', method: 'notifications/initialized' }, headers);
    assert.equal(note.status, 202);
    const list = (await (await post(server.mcpUrl, { jsonrpc: '2.0', id: 2, method: 'tools/list' }, headers)).json()) as {
      result: { tools: { name: string; annotations: { readOnlyHint: boolean } }[] };
    };
    assert.ok(
      list.result.tools.every((tool) => tool.annotations.readOnlyHint === true),
      'allowed_tools {read_only: true} keeps both',
    );
    const call = await post(
      server.mcpUrl,
      { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'search', arguments: { query: 'list tables' } } },
      headers,
    );
    assert.match(call.headers.get('content-type') ?? '', /^application\/json/);
    const body = (await call.json()) as { result: { structuredContent: { results: unknown[] } } };
    assert.ok(body.result.structuredContent.results.length > 0);
  });

  it('answers 401 with WWW-Authenticate on both endpoints and the SDK client fails to connect with a wrong key', async () => {
    for (const url of [server.mcpUrl, server.sseUrl]) {
      const response = await post(url, INIT);
      assert.equal(response.status, 401);
      assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer /);
    }
    const stream = await fetch(server.sseUrl);
    assert.equal(stream.status, 401);
    const client = new Client({ name: 'e2e', version: '1' });
    const transport = new StreamableHTTPClientTransport(server.mcpUrl, {
      requestInit: { headers: { Authorization: 'Bearer wrong-wrong-wrong-wrong' } },
    });
    await assert.rejects(client.connect(transport));
  });

  it('answers GET /mcp with 405 and Allow, HEAD /sse with 200 event-stream, OPTIONS with 204', async () => {
    const get = await fetch(server.mcpUrl, { headers: { accept: 'text/event-stream' } });
    assert.equal(get.status, 405);
    assert.ok(get.headers.get('allow'));
    const head = await fetch(server.sseUrl, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.match(head.headers.get('content-type') ?? '', /^text\/event-stream/);
    const options = await fetch(server.mcpUrl, {
      method: 'OPTIONS',
      headers: { origin: 'https://x.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(options.status, 204);
  });

  it('answers 429 with Retry-After once a caller exceeds RATE_LIMIT_PER_MINUTE', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 40; i++) {
      const response = await post(
        server.mcpUrl,
        { jsonrpc: '2.0', id: i, method: 'tools/list' },
        { authorization: `Bearer ${server.otherApiKey}`, accept: 'application/json' },
      );
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get('retry-after');
      await response.arrayBuffer();
    }
    assert.ok(statuses.includes(200));
    assert.ok(statuses.includes(429), statuses.join(','));
    assert.ok(Number(retryAfter) >= 1);
  });
});
