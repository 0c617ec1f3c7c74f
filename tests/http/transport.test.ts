import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { API_KEY, INIT, mcpPost, memoryResearch, rpcResult, testApp, testConfig } from './fixtures.ts';

const LIST = { jsonrpc: '2.0', id: 2, method: 'tools/list' };

describe('Streamable HTTP transport (items 26-30)', () => {
  it('answers a request on POST /mcp, /sse and the prefixed paths', async () => {
    const { app } = testApp();
    for (const path of ['/mcp', '/sse', '/chatgpt/mcp', '/chatgpt/sse']) {
      const response = await app.request(path, mcpPost(INIT));
      assert.equal(response.status, 200, path);
      const body = await rpcResult(response);
      assert.equal(body.id, 1);
      assert.ok(body.result, path);
    }
  });

  it('streams SSE to a client that accepts it and plain JSON to one that does not (lenient Accept, item 26)', async () => {
    const { app } = testApp();
    const sse = await app.request('/mcp', mcpPost(LIST));
    assert.match(sse.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.equal(sse.headers.get('x-accel-buffering'), 'no', 'SSE answers are not buffered by nginx (item 45)');
    await sse.text();
    for (const accept of ['application/json', '*/*', '']) {
      const json = await app.request('/mcp', mcpPost(LIST, { accept }));
      assert.equal(json.status, 200, `Accept: ${accept}`);
      assert.match(json.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(((await json.json()) as { id: number }).id, 2);
    }
  });

  it('answers notifications with 202 and no body (item 26)', async () => {
    const { app } = testApp();
    const response = await app.request('/mcp', mcpPost({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    assert.equal(response.status, 202);
    assert.equal(await response.text(), '');
  });

  for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonp']) {
    it(`refuses Content-Type ${contentType} with 415 (item 26)`, async () => {
      const { app } = testApp();
      const response = await app.request('/mcp', mcpPost(LIST, { 'content-type': contentType }));
      assert.equal(response.status, 415);
    });
  }

  it('answers invalid JSON with a JSON-RPC parse error, not a crash', async () => {
    const { app } = testApp();
    const response = await app.request('/mcp', { ...mcpPost(LIST), body: '{"jsonrpc": ' });
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { error: { code: number } }).error.code, -32700);
  });

  it('refuses an unsupported MCP-Protocol-Version with 400 and accepts a supported or absent one (item 27)', async () => {
    const { app } = testApp();
    const bad = await app.request('/mcp', mcpPost(LIST, { 'mcp-protocol-version': '1999-01-01' }));
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: { message: string } }).error.message, /Unsupported protocol version/);
    for (const headers of [{ 'mcp-protocol-version': '2025-06-18' }, { 'mcp-protocol-version': '2025-03-26' }, {}] as Record<
      string,
      string
    >[]) {
      const ok = await app.request('/mcp', mcpPost(LIST, headers));
      assert.equal(ok.status, 200);
      await ok.text();
    }
  });

  it('negotiates in the initialize body even when the header announces an unsupported version', async () => {
    const { app } = testApp();
    const response = await app.request('/mcp', mcpPost(INIT, { 'mcp-protocol-version': '2026-07-28' }));
    assert.equal(response.status, 200);
    const body = (await rpcResult(response)) as { result: { protocolVersion: string } };
    assert.equal(body.result.protocolVersion, '2025-06-18');
  });

  it('answers a hand-built server/discover without the 2026 envelope as a 2025 request: -32601, no crash (item 29)', async () => {
    const { app } = testApp();
    const response = await app.request('/mcp', mcpPost({ jsonrpc: '2.0', id: 7, method: 'server/discover', params: {} }));
    assert.equal(response.status, 200);
    const body = (await rpcResult(response)) as { id: number; error: { code: number } };
    assert.equal(body.id, 7);
    assert.equal(body.error.code, -32601);
  });

  it('answers any unknown method with -32601 and keeps serving', async () => {
    const { app } = testApp();
    const response = await app.request('/mcp', mcpPost({ jsonrpc: '2.0', id: 3, method: 'resources/list' }));
    assert.equal(((await rpcResult(response)) as { error: { code: number } }).error.code, -32601);
    assert.equal((await app.request('/mcp', mcpPost(INIT))).status, 200);
  });

  for (const method of ['GET', 'DELETE', 'PUT']) {
    it(`answers ${method} /mcp with 405 and Allow, without authentication (item 30)`, async () => {
      const { app } = testApp();
      const response = await app.request('/mcp', { method });
      assert.equal(response.status, 405);
      assert.match(response.headers.get('allow') ?? '', /POST/);
    });
  }

  it('answers HEAD /mcp like GET (405, no body, no 5xx) and HEAD /sse with event-stream headers, no auth', async () => {
    const { app } = testApp();
    const mcp = await app.request('/mcp', { method: 'HEAD' });
    assert.equal(mcp.status, 405);
    assert.equal(await mcp.text(), '');
    for (const path of ['/sse', '/chatgpt/sse']) {
      const sse = await app.request(path, { method: 'HEAD' });
      assert.equal(sse.status, 200);
      assert.match(sse.headers.get('content-type') ?? '', /^text\/event-stream/);
    }
  });

  it('answers OPTIONS preflight with 204 without authentication', async () => {
    const { app } = testApp();
    for (const path of ['/mcp', '/sse', '/messages', '/chatgpt/mcp']) {
      const response = await app.request(path, {
        method: 'OPTIONS',
        headers: { origin: 'https://inspector.example', 'access-control-request-method': 'POST' },
      });
      assert.equal(response.status, 204, path);
    }
  });

  it('refuses a body over 1 MB with 413 before parsing it', async () => {
    const { app } = testApp();
    const big = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'search', arguments: { query: 'x'.repeat(1_100_000) } } };
    const response = await app.request('/mcp', mcpPost(big));
    assert.equal(response.status, 413);
  });

  it("keeps a slow tool call's SSE response alive with comments until the result arrives (item 32)", async () => {
    const { app } = testApp({ research: memoryResearch({ delayMs: 200 }), sseKeepAliveMs: 40 });
    const call = { jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'search', arguments: { query: 'orders' } } };
    const response = await app.request('/mcp', mcpPost(call));
    const text = await response.text();
    assert.match(text, /^: keepalive/m);
    assert.ok(text.indexOf(': keepalive') < text.indexOf('"id":5'), 'keep-alives come before the result');
  });

  it('aborts the research call when the client goes away mid-call', async () => {
    const research = memoryResearch({ delayMs: 5_000 });
    const { app } = testApp({ research });
    const controller = new AbortController();
    const call = { jsonrpc: '2.0', id: 6, method: 'tools/call', params: { name: 'search', arguments: { query: 'orders' } } };
    const pending = app.request('/mcp', { ...mcpPost(call, { accept: 'application/json' }), signal: controller.signal });
    while (research.calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await Promise.resolve(pending).catch(() => undefined);
    const signal = research.calls[0]!.ctx.signal!;
    if (!signal.aborted) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    assert.equal(signal.aborted, true);
  });

  it('sends no Mcp-Session-Id (stateless, item 28)', async () => {
    const { app } = testApp();
    const response = await app.request('/mcp', mcpPost(INIT));
    assert.equal(response.headers.get('mcp-session-id'), null);
    await response.text();
  });
});

describe('legacy HTTP+SSE transport (item 31)', () => {
  async function openStream(app: ReturnType<typeof testApp>['app'], path = '/chatgpt/sse', key = API_KEY) {
    const response = await app.request(path, { headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    const nextEvent = async (): Promise<{ event: string; data: string }> => {
      for (;;) {
        const end = buffer.indexOf('\n\n');
        if (end >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (frame.startsWith(':')) continue;
          const event = /^event: (.*)$/m.exec(frame)?.[1] ?? 'message';
          const data = frame
            .split('\n')
            .filter((l) => l.startsWith('data: '))
            .map((l) => l.slice(6))
            .join('\n');
          return { event, data };
        }
        const chunk = await reader.read();
        if (chunk.done) throw new Error('stream ended');
        buffer += chunk.value;
      }
    };
    return { nextEvent, close: () => reader.cancel() };
  }

  it('announces the prefixed messages endpoint first and answers POSTed messages on the stream', async () => {
    const { app } = testApp();
    const stream = await openStream(app);
    const endpoint = await stream.nextEvent();
    assert.equal(endpoint.event, 'endpoint');
    assert.match(endpoint.data, /^\/chatgpt\/messages\?sessionId=[0-9a-f-]{36}$/);
    const post = await app.request(endpoint.data, mcpPost(INIT));
    assert.equal(post.status, 202);
    const answer = await stream.nextEvent();
    assert.equal(answer.event, 'message');
    assert.equal((JSON.parse(answer.data) as { id: number }).id, 1);
    await stream.close();
  });

  it('logs the version its initialize negotiated on every later POST of the session (deprecated transport, still attributable)', async () => {
    const { app, lines } = testApp();
    const stream = await openStream(app);
    const endpoint = (await stream.nextEvent()).data;
    const init = { ...INIT, params: { ...INIT.params, protocolVersion: '2024-11-05' } };
    assert.equal((await app.request(endpoint, mcpPost(init))).status, 202);
    await stream.nextEvent();
    const call = { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'search', arguments: { query: 'orders' } } };
    assert.equal((await app.request(endpoint, mcpPost(call))).status, 202);
    await stream.nextEvent();
    await stream.close();
    const posts = lines.filter((line) => line.msg === 'http_request' && String(line.path).endsWith('/messages'));
    assert.deepEqual(
      posts.map((line) => line.mcp_protocol),
      ['2024-11-05', '2024-11-05'],
    );
    assert.deepEqual(
      lines.filter((line) => line.msg === 'tool_call').map((line) => line.protocol),
      ['2024-11-05'],
    );
  });

  it('sends keep-alive comments on a quiet stream', async () => {
    const { app } = testApp({ sseKeepAliveMs: 30 });
    const response = await app.request('/sse', { headers: { authorization: `Bearer ${API_KEY}` } });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!text.includes(': keepalive')) text += (await reader.read()).value ?? '';
    assert.match(text, /^event: endpoint\n/);
    await reader.cancel();
  });

  it('caps the open streams of one principal with 429', async () => {
    const { app } = testApp();
    const open = [];
    for (let i = 0; i < 16; i++) open.push(await openStream(app, '/sse'));
    for (const stream of open) await stream.nextEvent();
    const refused = await app.request('/sse', { headers: { authorization: `Bearer ${API_KEY}` } });
    assert.equal(refused.status, 429);
    await open[0]!.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const again = await app.request('/sse', { headers: { authorization: `Bearer ${API_KEY}` } });
    assert.equal(again.status, 200);
    await again.body?.cancel();
    for (const stream of open.slice(1)) await stream.close();
  });

  it('requires authentication for GET /sse', async () => {
    const { app } = testApp();
    const response = await app.request('/sse', { headers: { accept: 'text/event-stream' } });
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer /);
  });

  it('answers 404 for an unknown session, 400 without sessionId, 401 without a token', async () => {
    const { app } = testApp();
    assert.equal((await app.request('/messages?sessionId=00000000-0000-4000-8000-000000000000', mcpPost(INIT))).status, 404);
    assert.equal((await app.request('/messages', mcpPost(INIT))).status, 400);
    assert.equal((await app.request('/messages?sessionId=x', mcpPost(INIT, { authorization: '' }))).status, 401);
  });

  it('refuses a POST from another principal as an unknown session', async () => {
    const other = 'other-key-abcdefghijklmnopq';
    const { app } = testApp({ config: testConfig({ auth: { apiKeys: [API_KEY, other] } }) });
    const stream = await openStream(app);
    const endpoint = await stream.nextEvent();
    const post = await app.request(endpoint.data, mcpPost(INIT, { authorization: `Bearer ${other}` }));
    assert.equal(post.status, 404);
    await stream.close();
  });

  it('answers POST /messages with 415 for a wrong content type', async () => {
    const { app } = testApp();
    const stream = await openStream(app, '/sse');
    const endpoint = await stream.nextEvent();
    assert.match(endpoint.data, /^\/chatgpt\/messages\?/, 'the public prefix is included even without it in the path');
    const post = await app.request(endpoint.data, mcpPost(INIT, { 'content-type': 'text/plain' }));
    assert.equal(post.status, 415);
    await stream.close();
  });
});
