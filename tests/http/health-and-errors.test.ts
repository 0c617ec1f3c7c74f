import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createApp } from '../../src/app.ts';
import type { DbHealth } from '../../src/db/types.ts';
import { API_KEY, dbDown, mcpPost, memoryLogger, memoryResearch, ORIGIN, testApp, testConfig } from './fixtures.ts';

describe('health', () => {
  it('reports ok with the database check, transports, tools and versions, without secrets', async () => {
    const { app } = testApp();
    const response = await app.request('/health');
    assert.equal(response.status, 200);
    const body = (await response.json()) as Record<string, unknown> & { database: { ok: boolean; latencyMs: number; pool: object } };
    assert.equal(body.status, 'ok');
    assert.equal(body.database.ok, true);
    assert.equal(typeof body.database.latencyMs, 'number');
    assert.ok(body.database.pool);
    assert.deepEqual(body.tools, ['search', 'fetch']);
    assert.equal(body.oauth, false);
    assert.equal(body.version, '0.0.0-test');
    assert.match(String(body.mcp_version), /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(Array.isArray(body.compatible_with));
    assert.deepEqual((body.transport as { streamable_http: string[] }).streamable_http, ['/chatgpt/mcp', '/chatgpt/sse']);
    assert.doesNotMatch(JSON.stringify(body), new RegExp(API_KEY));
  });

  it('answers 503 degraded when the database is down, on both paths', async () => {
    const { app } = testApp({ db: dbDown() });
    for (const path of ['/health', '/chatgpt/health']) {
      const response = await app.request(path);
      assert.equal(response.status, 503);
      const body = (await response.json()) as { status: string; database: { ok: boolean; error: string } };
      assert.equal(body.status, 'degraded');
      assert.equal(body.database.ok, false);
    }
  });

  it('answers degraded when the database check hangs past the timeout', async () => {
    const { app } = testApp({ db: { ping: () => new Promise<DbHealth>(() => {}) }, healthTimeoutMs: 50 });
    const response = await app.request('/health');
    assert.equal(response.status, 503);
    assert.match(((await response.json()) as { database: { error: string } }).database.error, /50 ms/);
  });

  it('answers degraded without leaking the reason when the database check throws', async () => {
    const throws = {
      ping: async (): Promise<DbHealth> => {
        throw new Error('ECONNREFUSED 10.0.0.5 password=x');
      },
    };
    const { app } = testApp({ db: throws });
    const response = await app.request('/health');
    assert.equal(response.status, 503);
    assert.doesNotMatch(await response.text(), /password|10\.0\.0\.5/);
  });

  it('serves /healthz without touching the database', async () => {
    let pinged = false;
    const { app } = testApp({
      db: {
        ping: async () => {
          pinged = true;
          return dbDown().ping();
        },
      },
    });
    const response = await app.request('/healthz');
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { status: string }).status, 'ok');
    assert.equal(pinged, false);
  });

  it('needs no authentication', async () => {
    const { app } = testApp();
    assert.equal((await app.request('/health', { headers: { authorization: 'Bearer wrong' } })).status, 200);
  });
});

describe('errors', () => {
  it('answers unknown paths with a JSON 404 and a request id, including unknown /.well-known documents (item 6)', async () => {
    const { app } = testApp();
    for (const path of ['/nope', '/.well-known/openid-configuration', '/chatgpt/sse/.well-known/oauth-protected-resource']) {
      const response = await app.request(path);
      assert.equal(response.status, 404, path);
      const body = (await response.json()) as { error: { code: string }; request_id: string };
      assert.equal(body.error.code, 'NOT_FOUND');
      assert.equal(body.request_id, response.headers.get('x-request-id'));
    }
  });

  it('turns an unexpected failure into a 500 without a stack trace and logs it', async () => {
    const { logger, lines } = memoryLogger();
    const research = memoryResearch({ instructions: async () => 'x' });
    const broken = { ping: async (): Promise<DbHealth> => ({ ok: true, latencyMs: 0, pool: undefined as never }) };
    const app = createApp({ config: testConfig(), research, db: broken, logger, version: 't', publicOrigin: ORIGIN });
    app.get('/boom', () => {
      throw new Error('driver said: Login failed for user sa');
    });
    const response = await app.request('/boom');
    assert.equal(response.status, 500);
    const text = await response.text();
    assert.doesNotMatch(text, /Login failed|at .*\.ts/);
    assert.ok(lines.some((line) => line.msg === 'unhandled_error'));
  });

  it('never logs the bearer token', async () => {
    const { logger, lines } = memoryLogger();
    const app = createApp({ config: testConfig(), research: memoryResearch(), db: dbDown(), logger, version: 't', publicOrigin: ORIGIN });
    const call = { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'search', arguments: { query: 'customers' } } };
    await (await app.request('/mcp', mcpPost(call))).text();
    await (await app.request('/mcp', mcpPost(call, { authorization: 'Bearer not-the-key-000000000' }))).text();
    assert.ok(lines.length > 0);
    assert.doesNotMatch(JSON.stringify(lines), new RegExp(`${API_KEY}|not-the-key`));
  });

  it('writes one access line per request with the final status and without the query string', async () => {
    const { app, lines } = testApp();
    await app.request('/messages?sessionId=secret-session-id', mcpPost({ jsonrpc: '2.0', id: 1, method: 'ping' }, { authorization: '' }));
    const access = lines.filter((line) => line.msg === 'http_request');
    assert.equal(access.length, 1);
    assert.equal(access[0]!.status, 401);
    assert.equal(access[0]!.path, '/messages');
    assert.doesNotMatch(JSON.stringify(lines), /secret-session-id/);
  });
});
