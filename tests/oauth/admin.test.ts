/**
 * The operator console's HTTP behaviour through the real OAuth routes (app.request, memory store):
 * who may open it, escaping, CSRF and unknown clients. The browser journey itself is
 * tests/e2e/admin-console.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import type { IsAdmin } from '../../src/oauth/core/admin-access.ts';
import { createOAuth } from '../../src/oauth/http/index.ts';
import { createMemoryStore } from '../../src/oauth/core/store-memory.ts';
import { createActivityLog } from '../../src/telemetry/activity.ts';
import { actionUrl } from './flow.ts';
import { BASE, browser, formPost, memoryLogger, parseForm, PASSWORD, steppingClock, stripPrefix, testConfig, USER } from './helpers.ts';

async function consoleApp(isAdmin?: IsAdmin) {
  const store = createMemoryStore();
  const activity = createActivityLog(10);
  const oauth = createOAuth({
    store,
    clock: steppingClock(Date.now()),
    config: await testConfig(),
    logger: memoryLogger(),
    publicBase: () => BASE,
    clientIp: () => '127.0.0.1',
    admin: {
      isAdmin,
      activity,
      pingDatabase: async () => ({ ok: true, latencyMs: 1, pool: { size: 1, available: 1, borrowed: 0, pending: 0 } }),
    },
  });
  const app = new Hono();
  app.route('/', oauth.routes);
  const agent = browser(async (url, init) => app.request(stripPrefix(url), init));
  // Sign in through the real form.
  const signin = `${BASE}/signin?return_to=%2Fadmin`;
  const form = parseForm(await (await agent.go(signin)).text());
  const signedIn = await agent.go(actionUrl(signin, form.action), formPost({ ...form.fields, username: USER, password: PASSWORD }));
  assert.equal(signedIn.status, 303);
  assert.equal(signedIn.headers.get('location'), `${BASE}/admin`, 'sign-in returns to the console');
  return { store, activity, agent };
}

const client = (clientId: string, clientName: string) => ({
  clientId,
  clientName,
  redirectUris: ['https://chatgpt.com/connector_platform_oauth_redirect'],
  grantTypes: ['authorization_code', 'refresh_token'],
  responseTypes: ['code'],
  tokenEndpointAuthMethod: 'none' as const,
  issuedAt: Math.floor(Date.now() / 1000),
});

describe('operator console routes', () => {
  it('answers 403 to a signed-in person who is not an administrator', async () => {
    const { agent } = await consoleApp(() => false);
    const response = await agent.go(`${BASE}/admin`);
    assert.equal(response.status, 403);
    assert.equal(response.headers.get('x-frame-options'), 'DENY');
    assert.doesNotMatch(await response.text(), /Operator console/);
  });

  it('redirects a browser without a session to the sign-in page, returning to /admin', async () => {
    const { agent } = await consoleApp();
    agent.jar.clear();
    const response = await agent.go(`${BASE}/admin`);
    assert.equal(response.status, 302);
    assert.equal(response.headers.get('location'), `${BASE}/signin?return_to=%2Fadmin`);
  });

  it('escapes client names and activity it did not write', async () => {
    const { store, activity, agent } = await consoleApp();
    await store.saveClient(client('c-1', '<script>alert(1)</script>'));
    activity.record({ at: Date.now(), tool: 'search', principal: '<img src=x>', outcome: 'ok', rows: 1, durationMs: 2 });
    const page = await (await agent.go(`${BASE}/admin`)).text();
    assert.doesNotMatch(page, /<script>alert|<img src=x>/);
    assert.match(page, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });

  it('revokes only with the session CSRF token, and answers 404 for an unknown client', async () => {
    const { store, agent } = await consoleApp();
    await store.saveClient(client('c-2', 'Two'));
    const page = await (await agent.go(`${BASE}/admin`)).text();
    const form = parseForm(page);
    assert.equal(form.fields.client_id, 'c-2');
    const url = actionUrl(`${BASE}/admin`, form.action);
    assert.equal(url, `${BASE}/admin/revoke`);
    assert.equal((await agent.go(url, formPost({ ...form.fields, csrf: 'x' }))).status, 403);
    assert.ok(await store.getClient('c-2'), 'still registered after a forged post');
    assert.equal((await agent.go(url, formPost({ ...form.fields, client_id: 'nope' }))).status, 404);
    const done = await agent.go(url, formPost(form.fields));
    assert.equal(done.status, 303);
    assert.equal(done.headers.get('location'), `${BASE}/admin?revoked=0`);
    assert.equal(await store.getClient('c-2'), undefined);
  });
});
