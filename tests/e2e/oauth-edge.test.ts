/**
 * The OAuth routes inside the server's real app over real sockets: discovery paths with and
 * without the prefix, proxy-header forgery, the query-string token refusal, and the record page
 * a person reaches from a citation.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { exchange } from '../oauth/flow.ts';
import { browser, formPost, parseForm, PASSWORD, USER } from '../oauth/helpers.ts';
import { startOAuthServer, type OAuthServer } from '../oauth/server.ts';

let trusting: OAuthServer;
let untrusting: OAuthServer;
before(async () => {
  trusting = await startOAuthServer();
  untrusting = await startOAuthServer({ env: { TRUSTED_PROXIES: '10.255.0.0/16' } });
});
after(async () => {
  await trusting?.close();
  await untrusting?.close();
});

const issuerOf = async (server: OAuthServer, path: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${server.url}${path}`, { headers });
  assert.equal(response.status, 200, path);
  return ((await response.json()) as { issuer: string }).issuer;
};

describe('OAuth inside the real app', () => {
  for (const path of [
    '/.well-known/oauth-authorization-server',
    '/.well-known/oauth-authorization-server/chatgpt',
    '/.well-known/oauth-authorization-server/chatgpt/mcp',
    '/.well-known/oauth-authorization-server/chatgpt/sse',
    '/chatgpt/.well-known/oauth-authorization-server',
    '/.well-known/openid-configuration/chatgpt',
    '/chatgpt/.well-known/openid-configuration',
  ]) {
    it(`items 3-5: ${path} answers GET and HEAD with issuer = public base + prefix`, async () => {
      assert.equal(await issuerOf(trusting, path), `${trusting.url}/chatgpt`);
      const head = await fetch(`${trusting.url}${path}`, { method: 'HEAD' });
      assert.equal(head.status, 200);
    });
  }

  for (const path of ['/.well-known/oauth-protected-resource/chatgpt/mcp', '/.well-known/oauth-protected-resource/chatgpt/sse']) {
    it(`item 1: ${path} through the app names its resource`, async () => {
      const body = (await (await fetch(`${trusting.url}${path}`)).json()) as { resource: string };
      assert.equal(body.resource, `${trusting.url}${path.replace('/.well-known/oauth-protected-resource', '')}`);
    });
  }

  for (const path of ['/chatgpt/sse/.well-known/oauth-protected-resource', '/.well-known/nothing', '/chatgpt/.well-known/nothing']) {
    it(`item 6: ${path} is a JSON 404 through the app, never 401`, async () => {
      const response = await fetch(`${trusting.url}${path}`);
      assert.equal(response.status, 404);
      assert.match(response.headers.get('Content-Type') ?? '', /json/);
    });
  }

  it('item 7: a forged X-Environment-Path or X-Forwarded-Host from an untrusted peer does not change the issuer', async () => {
    const path = '/.well-known/oauth-authorization-server/chatgpt';
    const forged = { 'X-Environment-Path': '/evil', 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'https' };
    assert.equal(await issuerOf(untrusting, path, forged), `${untrusting.url}/chatgpt`);
    const prm = (await (await fetch(`${untrusting.url}/.well-known/oauth-protected-resource/chatgpt/mcp`, { headers: forged })).json()) as {
      authorization_servers: string[];
    };
    assert.deepEqual(prm.authorization_servers, [`${untrusting.url}/chatgpt`]);
  });

  it('item 7: from a trusted proxy X-Environment-Path sets the prefix, X-Forwarded-Host still never the host', async () => {
    const issuer = await issuerOf(trusting, '/.well-known/oauth-authorization-server', {
      'X-Environment-Path': '/claude',
      'X-Forwarded-Host': 'evil.example',
    });
    assert.equal(issuer, `${trusting.url}/claude`);
  });

  it('item 25: a valid token sent in the query string is refused', async () => {
    const { tokens } = await exchangeOn(trusting);
    const response = await fetch(`${trusting.base}/mcp?access_token=${encodeURIComponent(tokens.access_token)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    assert.equal(response.status, 400);
  });

  it('item 36: preflight for metadata, register, token and revoke is 204 with any origin through the app', async () => {
    for (const path of ['/.well-known/oauth-authorization-server/chatgpt', '/chatgpt/register', '/chatgpt/token', '/chatgpt/revoke']) {
      const response = await fetch(`${trusting.url}${path}`, {
        method: 'OPTIONS',
        headers: { Origin: 'https://inspector.example', 'Access-Control-Request-Method': 'POST' },
      });
      assert.equal(response.status, 204, path);
      assert.equal(response.headers.get('Access-Control-Allow-Origin'), '*', path);
    }
  });

  it('an OAuth token works on the legacy SSE transport too (same server, same issuer)', async () => {
    const { tokens } = await exchangeOn(trusting);
    const client = new Client({ name: 'oauth-sse', version: '1.0.0' });
    await client.connect(
      new SSEClientTransport(new URL(`${trusting.base}/sse`), {
        requestInit: { headers: { Authorization: `Bearer ${tokens.access_token}` } },
        eventSourceInit: {
          fetch: (url, init) =>
            fetch(url, {
              ...init,
              headers: { ...(init?.headers as Record<string, string>), Authorization: `Bearer ${tokens.access_token}` },
            }),
        },
      }),
    );
    assert.equal((await client.listTools()).tools.length, 2);
    await client.close();
  });

  it('a citation link opens the record page after the operator signs in, and only then', async () => {
    const agent = browser((url, init) => fetch(url, init));
    const recordUrl = `${trusting.base}/records/${encodeURIComponent('table:dbo.Orders')}`;
    const first = await agent.go(recordUrl);
    assert.equal(first.status, 302);
    const signinUrl = first.headers.get('Location') ?? '';
    assert.ok(signinUrl.startsWith(`${trusting.base}/signin?`), signinUrl);
    const form = parseForm(await (await agent.go(signinUrl)).text());
    const back = await agent.go(new URL(form.action, signinUrl).href, formPost({ ...form.fields, username: USER, password: PASSWORD }));
    assert.equal(back.headers.get('Location'), recordUrl);
    const page = await agent.go(recordUrl);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /dbo\.Orders/);
  });
});

/** Runs the in-process flow helpers against a real server by rewriting their fixed origin. */
async function exchangeOn(server: OAuthServer) {
  const fetcher = (url: string, init?: RequestInit) => fetch(url.replace('https://data.example.com/chatgpt', server.base), init);
  return exchange({ fetch: fetcher });
}
