import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INIT, mcpPost, rpcResult, testApp } from './fixtures.ts';

/** MCP 2026-07-28 over `app.request()`: the per-request `_meta` envelope, headers and results. */
const VERSION = '2026-07-28';
const META = {
  'io.modelcontextprotocol/protocolVersion': VERSION,
  'io.modelcontextprotocol/clientInfo': { name: 'http-test', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

function modern(id: number, method: string, params: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) {
  return { jsonrpc: '2.0', id, method, params: { ...params, _meta: { ...META, ...meta } } };
}

/** The headers a 2026-07-28 client sends with a request (item 42). */
function modernHeaders(method: string, name?: string, extra: Record<string, string> = {}): Record<string, string> {
  return { 'mcp-protocol-version': VERSION, 'mcp-method': method, ...(name ? { 'mcp-name': name } : {}), ...extra };
}

interface RpcBody {
  id: number;
  result?: Record<string, unknown>;
  error?: { code: number; message: string; data?: Record<string, unknown> };
}

async function call(app: ReturnType<typeof testApp>['app'], path: string, body: unknown, headers: Record<string, string>) {
  const response = await app.request(path, mcpPost(body, headers));
  return { response, body: (await rpcResult(response)) as unknown as RpcBody };
}

describe('MCP 2026-07-28 on the same endpoints as 2025 (items 39-45, 53)', () => {
  it('answers server/discover with the supported version, capabilities, server info and instructions, on every path (items 39, 40, 53)', async () => {
    const { app } = testApp();
    for (const path of ['/mcp', '/sse', '/chatgpt/mcp', '/chatgpt/sse']) {
      const { response, body } = await call(app, path, modern(1, 'server/discover'), modernHeaders('server/discover'));
      assert.equal(response.status, 200, path);
      assert.equal(response.headers.get('mcp-session-id'), null, 'no session in 2026-07-28');
      const result = body.result ?? {};
      assert.deepEqual(result.supportedVersions, [VERSION], path);
      assert.deepEqual(result.capabilities, { tools: { listChanged: false } });
      assert.equal(result.instructions, 'A test database with customers and orders.');
      assert.equal(result.resultType, 'complete');
      const meta = result._meta as Record<string, { name: string }>;
      assert.equal(meta['io.modelcontextprotocol/serverInfo']?.name, 'mssql-deep-research');
    }
  });

  it('lists search then fetch with truthful read-only annotations, ttlMs and cacheScope, the same order every time (items 33, 43)', async () => {
    const { app } = testApp();
    const orders = new Set<string>();
    for (let round = 0; round < 3; round += 1) {
      const { body } = await call(app, '/mcp', modern(2, 'tools/list'), modernHeaders('tools/list'));
      const result = body.result as {
        tools: { name: string; annotations: Record<string, boolean> }[];
        ttlMs: number;
        cacheScope: string;
        resultType: string;
      };
      orders.add(result.tools.map((tool) => tool.name).join(','));
      assert.equal(result.resultType, 'complete');
      assert.ok(Number.isInteger(result.ttlMs) && result.ttlMs > 0, `ttlMs ${result.ttlMs}`);
      assert.ok(['public', 'private'].includes(result.cacheScope));
      for (const tool of result.tools) {
        assert.deepEqual(
          tool.annotations,
          { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
          tool.name,
        );
      }
    }
    assert.deepEqual([...orders], ['search,fetch']);
  });

  it('calls search and fetch without initialize, the result carrying resultType (item 39)', async () => {
    const { app, research } = testApp();
    const found = await call(
      app,
      '/mcp',
      modern(3, 'tools/call', { name: 'search', arguments: { query: 'list tables' } }),
      modernHeaders('tools/call', 'search'),
    );
    const structured = found.body.result?.structuredContent as { results: { id: string }[] };
    assert.equal(found.body.result?.resultType, 'complete');
    assert.ok(structured.results.length > 0);
    const id = structured.results[0]?.id ?? '';
    const fetched = await call(
      app,
      '/mcp',
      modern(4, 'tools/call', { name: 'fetch', arguments: { id } }),
      modernHeaders('tools/call', 'fetch'),
    );
    assert.equal((fetched.body.result?.structuredContent as { id: string } | undefined)?.id, id);
    assert.deepEqual(
      research.calls.map((c) => c.tool),
      ['search', 'fetch'],
    );
  });

  it('answers an unsupported version with JSON-RPC -32022 naming the supported one (item 41)', async () => {
    const { app } = testApp();
    const { response, body } = await call(
      app,
      '/mcp',
      modern(5, 'tools/list', {}, { 'io.modelcontextprotocol/protocolVersion': '2099-01-01' }),
      modernHeaders('tools/list', undefined, { 'mcp-protocol-version': '2099-01-01' }),
    );
    assert.equal(response.status, 400);
    assert.equal(body.error?.code, -32022);
    assert.deepEqual(body.error?.data?.supported, [VERSION]);
    assert.equal(body.id, 5);
  });

  const mismatches: { name: string; headers: Record<string, string> }[] = [
    { name: 'Mcp-Method naming another method', headers: modernHeaders('tools/list', 'search') },
    { name: 'Mcp-Name naming another tool', headers: modernHeaders('tools/call', 'fetch') },
    {
      name: 'MCP-Protocol-Version naming another version',
      headers: modernHeaders('tools/call', 'search', { 'mcp-protocol-version': '2025-06-18' }),
    },
    { name: 'MCP-Protocol-Version missing', headers: { 'mcp-method': 'tools/call', 'mcp-name': 'search' } },
  ];
  for (const { name, headers } of mismatches) {
    it(`refuses a 2026-07-28 call whose headers disagree with its body (${name}) with 400 before any tool runs (item 42)`, async () => {
      const { app, research } = testApp();
      const { response, body } = await call(app, '/mcp', modern(6, 'tools/call', { name: 'search', arguments: { query: 'x' } }), headers);
      assert.equal(response.status, 400);
      assert.ok(body.error && body.error.code < 0, JSON.stringify(body));
      assert.equal(research.calls.length, 0);
    });
  }

  it('keeps serving 2025 clients beside it: initialize and ping still answered (items 39, 43)', async () => {
    const { app } = testApp();
    const init = await call(app, '/mcp', INIT, {});
    assert.equal((init.body.result as { protocolVersion: string }).protocolVersion, '2025-06-18');
    const ping = await call(app, '/mcp', { jsonrpc: '2.0', id: 9, method: 'ping' }, { 'mcp-protocol-version': '2025-06-18' });
    assert.deepEqual(ping.body.result, {});
    const gone = await call(app, '/mcp', modern(10, 'ping'), modernHeaders('ping'));
    assert.equal(gone.body.error?.code, -32601, 'ping is gone in 2026-07-28');
  });

  it('logs the protocol version and traceparent of each call on the access line and the tool line (item 44)', async () => {
    const { app, lines } = testApp();
    await call(
      app,
      '/mcp',
      modern(11, 'tools/call', { name: 'search', arguments: { query: 'list tables' } }, { traceparent: TRACEPARENT }),
      modernHeaders('tools/call', 'search'),
    );
    await call(
      app,
      '/mcp',
      { jsonrpc: '2.0', id: 12, method: 'tools/call', params: { name: 'search', arguments: { query: 'orders' } } },
      {
        'mcp-protocol-version': '2025-11-25',
        traceparent: '00-11111111111111111111111111111111-2222222222222222-01',
      },
    );
    await call(app, '/mcp', INIT, { traceparent: 'not-a-trace-context "level":"error"' });
    const access = lines.filter((line) => line.msg === 'http_request');
    const tools = lines.filter((line) => line.msg === 'tool_call');
    assert.deepEqual(
      access.map((line) => line.mcp_protocol),
      [VERSION, '2025-11-25', '2025-06-18'],
    );
    assert.deepEqual(
      access.map((line) => line.traceparent),
      [TRACEPARENT, '00-11111111111111111111111111111111-2222222222222222-01', undefined],
    );
    assert.deepEqual(
      tools.map((line) => [line.protocol, line.traceparent]),
      [
        [VERSION, TRACEPARENT],
        ['2025-11-25', '00-11111111111111111111111111111111-2222222222222222-01'],
      ],
    );
  });

  it('still refuses a 2026-07-28 tools/call without a token with the 401 challenge', async () => {
    const { app } = testApp();
    const response = await app.request('/mcp', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...modernHeaders('tools/call', 'search') },
      body: JSON.stringify(modern(13, 'tools/call', { name: 'search', arguments: { query: 'x' } })),
    });
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer /);
  });

  it('lets browser 2026-07-28 clients send Mcp-Method, Mcp-Name and trace context: CORS preflight allows them (items 36, 42, 44)', async () => {
    const { app } = testApp();
    const response = await app.request('/chatgpt/mcp', {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:6274',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'mcp-method, mcp-name, traceparent',
      },
    });
    assert.equal(response.status, 204);
    const allowed = (response.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/\s*,\s*/);
    for (const header of ['mcp-method', 'mcp-name', 'mcp-protocol-version', 'traceparent', 'tracestate', 'authorization'])
      assert.ok(allowed.includes(header), header);
  });

  it('ignores Mcp-Session-Id and Last-Event-ID on 2026-07-28 requests (item 39, 45)', async () => {
    const { app } = testApp();
    const { response, body } = await call(
      app,
      '/mcp',
      modern(14, 'tools/list'),
      modernHeaders('tools/list', undefined, { 'mcp-session-id': 'stale', 'last-event-id': '42' }),
    );
    assert.equal(response.status, 200);
    assert.ok(Array.isArray(body.result?.tools));
  });
});
