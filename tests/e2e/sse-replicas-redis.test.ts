import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import type { TestDatabase } from '../helpers/database.ts';
import { startTestDatabase } from '../helpers/database.ts';
import type { TestRedis } from '../helpers/redis.ts';
import { startTestRedis } from '../helpers/redis.ts';
import type { TestServer } from '../helpers/server.ts';
import { bearer, startTestServer } from '../helpers/server.ts';
import { search } from './mcp-client.ts';

const keys: [string, string] = [randomBytes(18).toString('base64url'), randomBytes(18).toString('base64url')];
let database: TestDatabase;
let redis: TestRedis;
let a: TestServer;
let b: TestServer;

/** A raw legacy SSE reader: GET /sse, then `event: message` frames parsed as JSON-RPC as they arrive. */
async function openStream(server: TestServer, key: string) {
  const controller = new AbortController();
  const response = await fetch(server.sseUrl, { headers: { authorization: `Bearer ${key}` }, signal: controller.signal });
  assert.equal(response.status, 200);
  const reader = (response.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  const frames: Array<{ event: string; data: string }> = [];
  async function nextFrame(): Promise<{ event: string; data: string }> {
    for (;;) {
      const frame = frames.shift();
      if (frame) return frame;
      const { value, done } = await reader.read();
      if (done) throw new Error('stream ended');
      buffer += value;
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event && data !== undefined) frames.push({ event, data });
        end = buffer.indexOf('\n\n');
      }
    }
  }
  const endpoint = await nextFrame();
  assert.equal(endpoint.event, 'endpoint');
  return {
    /** The announced path (`/chatgpt/messages?sessionId=…`), to be POSTed on any replica. */
    path: endpoint.data,
    async answer(id: number): Promise<{ id: number; result?: Record<string, unknown>; error?: unknown }> {
      for (;;) {
        const frame = await nextFrame();
        const message = JSON.parse(frame.data) as { id?: number };
        if (frame.event === 'message' && message.id === id) return message as { id: number };
      }
    },
    close: () => controller.abort(),
  };
}

function post(server: TestServer, path: string, body: unknown, key = keys[0]): Promise<Response> {
  return fetch(server.url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

before(async () => {
  database = await startTestDatabase();
  redis = await startTestRedis({ password: randomBytes(12).toString('hex') });
  const env = { STATE_STORE_URL: redis.url, RATE_LIMIT_PER_MINUTE: '0' };
  a = await startTestServer({ database, apiKeys: keys, env });
  b = await startTestServer({ database, apiKeys: keys, env });
});

after(async () => {
  await a?.close();
  await b?.close();
  await redis?.close();
  await database?.close();
});

describe('legacy SSE across replicas sharing Redis (no sticky sessions)', () => {
  it('answers on replica A’s stream the initialize, tools/list and search POSTed to replica B', async () => {
    const stream = await openStream(a, keys[0]);
    try {
      const init = await post(b, stream.path, {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
      });
      assert.equal(init.status, 202);
      assert.equal(((await stream.answer(1)).result?.serverInfo as { name?: string } | undefined)?.name, 'mssql-deep-research');
      assert.equal((await post(b, stream.path, { jsonrpc: '2.0', method: 'notifications/initialized' })).status, 202);
      assert.equal((await post(b, stream.path, { jsonrpc: '2.0', id: 2, method: 'tools/list' })).status, 202);
      const tools = (await stream.answer(2)).result?.tools as Array<{ name: string }>;
      assert.deepEqual(tools.map((tool) => tool.name).sort(), ['fetch', 'search']);
      const call = {
        jsonrpc: '2.0',
        id: 3,
        method: 'tools/call',
        params: { name: 'search', arguments: { query: 'SELECT TOP 2 CustomerID, Name FROM sales.Customers ORDER BY CustomerID' } },
      };
      assert.equal((await post(b, stream.path, call)).status, 202);
      const found = (await stream.answer(3)).result as { isError?: boolean; structuredContent: { results: Array<{ id: string }> } };
      assert.notEqual(found.isError, true, JSON.stringify(found));
      assert.ok(
        found.structuredContent.results.some((result) => result.id.startsWith('result:')),
        JSON.stringify(found.structuredContent),
      );
    } finally {
      stream.close();
    }
  });

  it('serves the MCP SDK 1.x SSEClientTransport with its stream on A and every POST sent to B', async () => {
    const posts: string[] = [];
    // The client's fetch: GET /sse goes to A as announced; each POST /messages is sent to B instead.
    const toB = (url: string | URL, init?: RequestInit): Promise<Response> => {
      if (init?.method !== 'POST') return fetch(url, init);
      const target = new URL(url);
      target.host = new URL(b.url).host;
      posts.push(target.toString());
      return fetch(target, init);
    };
    const client = new Client({ name: 'legacy-sse', version: '1.0.0' });
    await client.connect(new SSEClientTransport(a.sseUrl, { ...bearer(keys[0]), fetch: toB }));
    try {
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((tool) => tool.name).sort(), ['fetch', 'search']);
      const found = await search(client, 'SELECT TOP 3 CustomerID, Name FROM sales.Customers ORDER BY CustomerID');
      assert.equal(found.isError, false, JSON.stringify(found.body));
      assert.ok(found.body.results.length > 0);
      assert.ok(posts.length >= 3, `initialize, tools/list and tools/call went to B: ${posts.length}`);
      assert.ok(
        posts.every((url) => url.startsWith(`${b.url}/chatgpt/messages?sessionId=`)),
        posts.join('\n'),
      );
    } finally {
      await client.close();
    }
  });

  it('answers 404 on any replica for another principal’s session and once the stream closed', async () => {
    const stream = await openStream(a, keys[0]);
    const ping = { jsonrpc: '2.0', id: 9, method: 'ping' };
    assert.equal((await post(b, stream.path, ping, keys[1])).status, 404);
    assert.equal((await post(b, stream.path, ping)).status, 202);
    stream.close();
    let status = 202;
    for (let i = 0; i < 100 && status !== 404; i += 1) {
      status = (await post(b, stream.path, ping)).status;
      if (status !== 404) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(status, 404);
    const body = (await (await post(a, stream.path, ping)).json()) as { error: { code: string } };
    assert.equal(body.error.code, 'SESSION_NOT_FOUND');
  });

  it('answers 503 STATE_UNAVAILABLE while Redis is down, never dropping the message silently', async () => {
    const stream = await openStream(a, keys[0]);
    await redis.stop();
    try {
      const refused = await post(b, stream.path, { jsonrpc: '2.0', id: 5, method: 'ping' });
      assert.equal(refused.status, 503);
      const body = (await refused.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'STATE_UNAVAILABLE');
      assert.doesNotMatch(body.error.message, /127\.0\.0\.1|ECONNREFUSED|connector:/);
      assert.equal(
        (await fetch(b.sseUrl, { headers: { authorization: `Bearer ${keys[0]}` } })).status,
        503,
        'no stream nobody could reach',
      );
    } finally {
      stream.close();
      await redis.start();
    }
  });
});
