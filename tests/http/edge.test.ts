import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRateLimiter } from '../../src/state/rate-limiter.ts';
import { API_KEY, INIT, mcpPost, rpcResult, testApp, testConfig } from './fixtures.ts';

const SEARCH = { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'search', arguments: { query: 'list tables' } } };

describe('CORS (items 30, 36)', () => {
  it('preflight on the MCP endpoint allows the MCP headers and exposes the challenge headers', async () => {
    const { app } = testApp();
    const response = await app.request('/mcp', {
      method: 'OPTIONS',
      headers: { origin: 'https://inspector.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), 'https://inspector.example');
    const allowed = (response.headers.get('access-control-allow-headers') ?? '').toLowerCase();
    for (const header of ['authorization', 'content-type', 'accept', 'mcp-session-id', 'mcp-protocol-version', 'last-event-id']) {
      assert.ok(allowed.includes(header), header);
    }
    const exposed = (response.headers.get('access-control-expose-headers') ?? '').toLowerCase();
    for (const header of ['mcp-session-id', 'www-authenticate', 'mcp-protocol-version']) assert.ok(exposed.includes(header), header);
  });

  it('exposes WWW-Authenticate on a 401 so browser clients can start OAuth', async () => {
    const { app } = testApp();
    const response = await app.request('/mcp', mcpPost(INIT, { authorization: '', origin: 'https://inspector.example' }));
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('access-control-allow-origin'), 'https://inspector.example');
    assert.match(response.headers.get('access-control-expose-headers') ?? '', /WWW-Authenticate/);
  });

  it('refuses a request from an Origin not in CORS_ALLOWED_ORIGINS with 403, before authentication', async () => {
    const { app } = testApp({ config: testConfig({ server: { corsAllowedOrigins: ['https://chatgpt.com'] } }) });
    const denied = await app.request('/mcp', mcpPost(INIT, { origin: 'https://evil.example' }));
    assert.equal(denied.status, 403);
    assert.equal(((await denied.json()) as { error: { code: string } }).error.code, 'ORIGIN_NOT_ALLOWED');
    const preflight = await app.request('/mcp', { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    assert.equal(preflight.status, 403);
    const allowed = await app.request('/mcp', mcpPost(INIT, { origin: 'https://chatgpt.com' }));
    assert.equal(allowed.status, 200);
    await allowed.text();
    const serverToServer = await app.request('/mcp', mcpPost(INIT));
    assert.equal(serverToServer.status, 200, 'no Origin (server-side clients) is fine');
    await serverToServer.text();
  });

  it('with anonymous access on and no allow-list, accepts only loopback browser origins (DNS rebinding)', async () => {
    const { app } = testApp({ config: testConfig({ auth: { apiKeys: [], allowUnauthMethods: true } }) });
    const list = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
    const evil = await app.request('/mcp', mcpPost(list, { authorization: '', origin: 'http://evil.example' }));
    assert.equal(evil.status, 403);
    for (const origin of ['http://localhost:6274', 'http://127.0.0.1:3000']) {
      const local = await app.request('/mcp', mcpPost(list, { authorization: '', origin }));
      assert.equal(local.status, 200, origin);
      await local.text();
    }
  });

  it('serves health with Access-Control-Allow-Origin: * and a 204 preflight', async () => {
    const { app } = testApp();
    const health = await app.request('/health', { headers: { origin: 'https://x.example' } });
    assert.equal(health.headers.get('access-control-allow-origin'), '*');
    assert.equal((await app.request('/health', { method: 'OPTIONS' })).status, 204);
  });
});

describe('rate limiting', () => {
  it('answers 429 with Retry-After and a JSON body once a principal exceeds RATE_LIMIT_PER_MINUTE, then recovers', async () => {
    // A one-second window, so the test sees the allowance come back (the default is a minute).
    const rateLimiter = createRateLimiter({ perMinute: 3, name: 'edge', windowSeconds: 1 });
    const { app } = testApp({ config: testConfig({ server: { rateLimitPerMinute: 3 } }), rateLimiter });
    for (let i = 0; i < 3; i++) {
      const ok = await app.request('/mcp', mcpPost(SEARCH));
      assert.equal(ok.status, 200);
      await ok.text();
    }
    const limited = await app.request('/mcp', mcpPost(SEARCH));
    assert.equal(limited.status, 429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, String(retryAfter));
    assert.equal(((await limited.json()) as { error: { code: string } }).error.code, 'RATE_LIMITED');
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 50));
    const again = await app.request('/mcp', mcpPost(SEARCH));
    assert.equal(again.status, 200);
    await again.text();
  });

  it('limits failed attempts per client address too (key guessing)', async () => {
    const { app } = testApp({ config: testConfig({ server: { rateLimitPerMinute: 2 } }) });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await app.request('/mcp', mcpPost(INIT, { authorization: 'Bearer guess-guess-guess-guess' }))).status);
    assert.deepEqual(statuses, [401, 401, 429, 429]);
  });

  it('gives each principal its own bucket behind one shared address (ChatGPT egress)', async () => {
    const second = 'second-key-abcdefghijklmnop';
    const config = testConfig({ server: { rateLimitPerMinute: 2 }, auth: { apiKeys: [API_KEY, second] } });
    const { app } = testApp({ config });
    const as = async (key: string) => {
      const response = await app.request('/mcp', mcpPost(SEARCH, { authorization: `Bearer ${key}` }));
      await response.text();
      return response.status;
    };
    assert.deepEqual([await as(API_KEY), await as(API_KEY), await as(API_KEY)], [200, 200, 429]);
    assert.deepEqual([await as(second), await as(second)], [200, 200]);
  });

  it('refuses even a valid key from an address that exhausted its bucket with failed attempts', async () => {
    const { app } = testApp({ config: testConfig({ server: { rateLimitPerMinute: 2 } }) });
    for (let i = 0; i < 2; i++) await app.request('/mcp', mcpPost(INIT, { authorization: 'Bearer guess-guess-guess-guess' }));
    assert.equal((await app.request('/mcp', mcpPost(INIT))).status, 429);
  });

  it('keeps separate buckets for separate addresses', async () => {
    const config = testConfig({ server: { rateLimitPerMinute: 1 } });
    let peer = '198.51.100.1';
    const { app } = testApp({ config, peerAddress: () => peer });
    assert.equal((await app.request('/mcp', mcpPost(INIT, { authorization: '' }))).status, 401);
    assert.equal((await app.request('/mcp', mcpPost(INIT, { authorization: '' }))).status, 429);
    peer = '198.51.100.2';
    assert.equal((await app.request('/mcp', mcpPost(INIT, { authorization: '' }))).status, 401);
  });

  it('never limits preflight, HEAD probes or health', async () => {
    const { app } = testApp({ config: testConfig({ server: { rateLimitPerMinute: 1 } }) });
    for (let i = 0; i < 3; i++) {
      assert.equal((await app.request('/mcp', { method: 'OPTIONS' })).status, 204);
      assert.equal((await app.request('/sse', { method: 'HEAD' })).status, 200);
      assert.equal((await app.request('/healthz')).status, 200);
    }
  });
});

describe('public URL resolution (item 7)', () => {
  async function recordUrl(app: ReturnType<typeof testApp>['app'], path: string, headers: Record<string, string> = {}) {
    const response = await app.request(path, mcpPost(SEARCH, headers));
    const body = (await rpcResult(response)) as { result: { structuredContent: { results: { url: string }[] } } };
    return body.result.structuredContent.results[0]?.url ?? '';
  }

  it('uses X-Environment-Path from a trusted proxy', async () => {
    const { app } = testApp({ peer: '127.0.0.1' });
    assert.match(await recordUrl(app, '/mcp', { 'x-environment-path': '/team-a' }), /^https:\/\/data\.example\.com\/team-a\/records\//);
  });

  it('trusts an IPv4-mapped loopback peer like 127.0.0.1', async () => {
    const { app } = testApp({ peer: '::ffff:127.0.0.1' });
    assert.match(await recordUrl(app, '/mcp', { 'x-environment-path': '/team-a' }), /\/team-a\/records\//);
  });

  it('ignores X-Environment-Path, X-Forwarded-Host and X-Forwarded-Proto from an untrusted peer', async () => {
    const { app } = testApp({ peer: '203.0.113.9' });
    const url = await recordUrl(app, '/mcp', {
      'x-environment-path': '/evil',
      'x-forwarded-host': 'evil.example',
      'x-forwarded-proto': 'http',
    });
    assert.match(url, /^https:\/\/data\.example\.com\/chatgpt\/records\//);
  });

  it('ignores X-Forwarded-Host even from a trusted proxy and an invalid announced prefix', async () => {
    const { app } = testApp({ peer: '127.0.0.1' });
    const url = await recordUrl(app, '/mcp', { 'x-forwarded-host': 'evil.example', 'x-environment-path': '/../x' });
    assert.match(url, /^https:\/\/data\.example\.com\/chatgpt\/records\//);
  });

  it('rate-limits the client named by X-Forwarded-For only behind a trusted proxy', async () => {
    const config = testConfig({ server: { rateLimitPerMinute: 1 } });
    const proxied = testApp({ config, peer: '127.0.0.1' }).app;
    const send = (xff: string) => proxied.request('/mcp', mcpPost(INIT, { authorization: '', 'x-forwarded-for': xff }));
    assert.equal((await send('198.51.100.1')).status, 401);
    assert.equal((await send('198.51.100.2')).status, 401, 'a different client behind the same proxy has its own bucket');
    assert.equal((await send('198.51.100.1')).status, 429);
    const direct = testApp({ config, peer: '203.0.113.9' }).app;
    const spoof = (xff: string) => direct.request('/mcp', mcpPost(INIT, { authorization: '', 'x-forwarded-for': xff }));
    assert.equal((await spoof('198.51.100.1')).status, 401);
    assert.equal((await spoof('198.51.100.2')).status, 429, 'an untrusted peer cannot rotate X-Forwarded-For to escape');
  });
});
