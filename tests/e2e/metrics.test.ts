import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { TestServer } from '../helpers/server.ts';
import { startTestServer } from '../helpers/server.ts';
import { callTool, connectClient, fetchId, search } from './mcp-client.ts';

const TOKEN = 'scrape-token-0123456789abcdef';
/** Few enough that the second key's burst runs out quickly, enough for the first key's calls below. */
const PER_MINUTE = 20;

/** Prometheus text → `name{labels}` → value, for the samples of `name`. */
async function scrape(server: TestServer, token = TOKEN): Promise<Map<string, number>> {
  const response = await fetch(server.server.metricsUrl ?? '', { headers: { authorization: `Bearer ${token}` } });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const samples = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    const match = /^([a-z_]+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (match?.[1] && match[2]) samples.set(match[1], Number(match[2]));
  }
  return samples;
}

function rawToolsCall(server: TestServer, tool: string, headers: Record<string, string>): Promise<Response> {
  return fetch(server.mcpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: tool, arguments: { query: 'list tables' } } }),
  });
}

describe('Prometheus metrics on METRICS_PORT', () => {
  let server: TestServer;
  let client: Client;
  before(async () => {
    server = await startTestServer({
      freshDatabase: true,
      env: { METRICS_PORT: '0', METRICS_TOKEN: TOKEN, QUERY_TIMEOUT_MS: '300', RATE_LIMIT_PER_MINUTE: String(PER_MINUTE) },
    });
    client = await connectClient(server.mcpUrl, server.apiKey);
  });
  after(async () => {
    await client?.close();
    await server?.close();
  });

  it('listens on its own loopback port, apart from the app', () => {
    const url = new URL(server.server.metricsUrl ?? 'http://unset');
    assert.equal(url.hostname, '127.0.0.1');
    assert.notEqual(url.port, new URL(server.url).port);
  });

  it('counts every outcome of real tool calls with bounded labels', { timeout: 120_000 }, async () => {
    assert.equal((await search(client, 'list tables')).isError, false);
    assert.equal((await search(client, 'SELECT TOP 2 OrderID FROM sales.Orders')).isError, false);
    assert.equal((await fetchId(client, 'result:00000000-0000-4000-8000-000000000000')).isError, true);
    const refused = await search(client, 'DELETE FROM sales.Orders');
    assert.equal(refused.isError, true);
    const fanOut = server.database.kind === 'sandbox' ? 20 : 20_000;
    const slow = `SELECT COUNT_BIG(*) AS n FROM sales.OrderLines a CROSS JOIN (SELECT TOP ${fanOut} OrderID FROM sales.Orders) b WHERE a.Quantity * b.OrderID > 0`;
    const timedOut = await callTool<{ error: { code: string } }>(client, 'search', { query: slow });
    assert.equal(timedOut.body.error.code, 'QUERY_TIMEOUT');
    assert.equal((await rawToolsCall(server, 'search', {})).status, 401);
    assert.equal((await rawToolsCall(server, 'fetch', { authorization: 'Bearer not-a-key' })).status, 401);
    // The second key spends its bucket until the first 429 (bounded: the bucket refills slowly).
    let passed = 0;
    let limited = 0;
    for (let i = 0; i < 3 * PER_MINUTE && limited === 0; i++) {
      const status = (await rawToolsCall(server, 'search', { authorization: `Bearer ${server.otherApiKey}` })).status;
      if (status === 200) passed += 1;
      else if (status === 429) limited += 1;
      else assert.fail(`unexpected status ${status}`);
    }
    assert.equal(limited, 1);
    assert.ok(passed >= PER_MINUTE);

    const m = await scrape(server);
    assert.equal(m.get('mcp_tool_calls_total{tool="search",outcome="ok"}'), 2 + passed);
    assert.equal(m.get('mcp_tool_calls_total{tool="fetch",outcome="tool_error"}'), 1);
    assert.equal(m.get('mcp_tool_calls_total{tool="search",outcome="refused"}'), 1);
    assert.equal(m.get('mcp_tool_calls_total{tool="search",outcome="timeout"}'), 1);
    assert.equal(m.get('mcp_tool_calls_total{tool="search",outcome="auth_denied"}'), 1);
    assert.equal(m.get('mcp_tool_calls_total{tool="fetch",outcome="auth_denied"}'), 1);
    assert.equal(m.get('mcp_tool_calls_total{tool="search",outcome="rate_limited"}'), 1);
    assert.equal(m.get('mcp_guard_refusals_total{code="READ_ONLY_VIOLATION"}'), 1);
    assert.equal(m.get('mcp_tool_call_duration_seconds_count{tool="search"}'), 4 + passed);
    assert.equal(m.get('mcp_tool_call_duration_seconds_count{tool="fetch"}'), 1);
    assert.ok((m.get('mcp_db_query_duration_seconds_count{outcome="ok"}') ?? 0) >= 1);
    assert.equal(m.get('mcp_db_query_duration_seconds_count{outcome="QUERY_TIMEOUT"}'), 1);
    assert.equal(m.get('mcp_db_queries{state="in_use"}'), 0);
    assert.equal(m.get('mcp_db_queries{state="waiting"}'), 0);
    assert.ok((m.get('mcp_db_pool_connections{state="open"}') ?? 0) >= 1);
    assert.ok((m.get('mcp_cache_bytes') ?? 0) > 0, 'search results were cached');
    assert.ok((m.get('mcp_cache_lookups_total{result="miss"}') ?? 0) >= 1);
    assert.equal(m.get('mcp_sse_streams'), 0);
    assert.ok((m.get('process_resident_memory_bytes') ?? 0) > 0);
    for (const key of m.keys()) {
      assert.doesNotMatch(key, /Orders|DELETE|anonymous|not-a-key/, `no query, key or principal in labels: ${key}`);
      assert.ok(!key.includes(server.apiKey) && !key.includes(server.otherApiKey));
    }
  });

  it('refuses a scrape without the token, or with a wrong one, with 401', async () => {
    const url = server.server.metricsUrl ?? '';
    assert.equal((await fetch(url)).status, 401);
    assert.equal((await fetch(url, { headers: { authorization: `Bearer ${TOKEN}x` } })).status, 401);
    assert.equal((await fetch(url, { headers: { authorization: `Basic ${TOKEN}` } })).status, 401);
    assert.equal((await fetch(url.replace('/metrics', '/other'), { headers: { authorization: `Bearer ${TOKEN}` } })).status, 404);
  });
});

// Apart from the server above: its 300 ms query timeout and spent rate limits are for the
// outcome counts, and must not decide whether a plain search or a stream can run here.
describe('Prometheus metrics of the cache and of legacy SSE streams', () => {
  let server: TestServer;
  let client: Client;
  before(async () => {
    server = await startTestServer({ env: { METRICS_PORT: '0', METRICS_TOKEN: TOKEN } });
    client = await connectClient(server.mcpUrl, server.apiKey);
  });
  after(async () => {
    await client?.close();
    await server?.close();
  });

  it('counts a cache hit when a result is fetched by its id', async () => {
    const before = (await scrape(server)).get('mcp_cache_lookups_total{result="hit"}') ?? 0;
    const found = await search(client, 'SELECT TOP 1 OrderID FROM sales.Orders ORDER BY OrderID');
    assert.equal(found.isError, false, JSON.stringify(found.body));
    const id = found.body.results[0]?.id ?? '';
    assert.equal((await fetchId(client, id)).isError, false);
    assert.ok(((await scrape(server)).get('mcp_cache_lookups_total{result="hit"}') ?? 0) > before);
  });

  it('counts open legacy SSE streams', async () => {
    const sse = await connectClient(server.sseUrl, server.apiKey, 'sse');
    try {
      assert.equal((await scrape(server)).get('mcp_sse_streams'), 1);
    } finally {
      await sse.close();
    }
  });
});

describe('metrics are off by default', () => {
  it('starts no metrics listener and serves no /metrics route on the app', async () => {
    const server = await startTestServer();
    try {
      assert.equal(server.server.metricsUrl, undefined);
      assert.equal((await fetch(`${server.url}/metrics`)).status, 404);
    } finally {
      await server.close();
    }
  });
});
