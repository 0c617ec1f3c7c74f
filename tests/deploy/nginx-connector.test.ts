/**
 * The real nginx (project templates) in front of the real connector (OAuth on) and the sandbox:
 * every discovery path ChatGPT and the SDK try ends at the right document with the /chatgpt
 * issuer, the 401 challenge points at the public URL, SSE streams through unbuffered, and a
 * search/fetch round trip works through the proxy.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { httpRequest, httpStream } from '../../src/doctor/http.ts';
import { startDeployStack } from './helpers/stack.ts';
import type { DeployStack } from './helpers/stack.ts';

let dir: string;
let stack: DeployStack;

before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'nginx-connector-'));
  stack = await startDeployStack(dir, { extraEnvironments: ['/claude /claude;'] });
});

after(async () => {
  await stack?.close();
  await rm(dir, { recursive: true, force: true });
});

const get = (p: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
  httpRequest(`${stack.origin}${p}`, init, { ca: stack.ca });

describe('discovery through nginx ends at the right document with the /chatgpt issuer', () => {
  const asPaths = [
    '/.well-known/oauth-authorization-server',
    '/.well-known/oauth-authorization-server/chatgpt',
    '/.well-known/oauth-authorization-server/chatgpt/mcp',
    '/.well-known/oauth-authorization-server/chatgpt/sse',
    '/chatgpt/sse/.well-known/oauth-authorization-server',
    '/chatgpt/.well-known/oauth-authorization-server',
    '/.well-known//oauth-authorization-server//chatgpt',
  ];
  for (const p of asPaths) {
    test(`${p} → authorization-server metadata, issuer https://localhost:<port>/chatgpt`, async () => {
      const res = await get(p);
      assert.equal(res.status, 200, res.body);
      const doc = JSON.parse(res.body) as Record<string, unknown>;
      assert.equal(doc.issuer, stack.issuer);
      assert.equal(doc.token_endpoint, `${stack.issuer}/token`);
      assert.equal(doc.registration_endpoint, `${stack.issuer}/register`);
      assert.ok((doc.code_challenge_methods_supported as string[]).includes('S256'));
    });
  }

  test('HEAD on the authorization-server metadata answers 200 (ChatGPT sends HEAD, then GET)', async () => {
    const res = await get('/.well-known/oauth-authorization-server/chatgpt', { method: 'HEAD' });
    assert.equal(res.status, 200);
  });

  const prm: [string, string][] = [
    ['/.well-known/oauth-protected-resource/chatgpt/mcp', '/chatgpt/mcp'],
    ['/.well-known/oauth-protected-resource/chatgpt/sse', '/chatgpt/sse'],
    ['/chatgpt/mcp/.well-known/oauth-protected-resource', '/chatgpt/mcp'],
    ['//.well-known/oauth-protected-resource//chatgpt//mcp', '/chatgpt/mcp'],
  ];
  for (const [p, resource] of prm) {
    test(`${p} → protected-resource metadata for ${resource}`, async () => {
      const res = await get(p);
      assert.equal(res.status, 200, res.body);
      const doc = JSON.parse(res.body) as { resource: string; authorization_servers: string[] };
      assert.equal(doc.resource, `${stack.origin}${resource}`);
      assert.deepEqual(doc.authorization_servers, [stack.issuer]);
    });
  }

  test('root protected-resource metadata names a same-origin prefix of the MCP URL', async () => {
    const res = await get('/.well-known/oauth-protected-resource');
    assert.equal(res.status, 200, res.body);
    const doc = JSON.parse(res.body) as { resource: string; authorization_servers: string[] };
    assert.ok(`${stack.issuer}/mcp`.startsWith(doc.resource), doc.resource);
    assert.deepEqual(doc.authorization_servers, [stack.issuer]);
  });

  for (const p of [
    '/.well-known/openid-configuration',
    '/.well-known/openid-configuration/chatgpt',
    '/chatgpt/.well-known/openid-configuration',
    '/chatgpt/sse/.well-known/unknown',
    '/.well-known/unknown',
  ]) {
    test(`${p} → a JSON 404 or a complete OIDC document, never 401/5xx/HTML`, async () => {
      const res = await get(p);
      assert.match(String(res.headers['content-type']), /json/);
      if (res.status === 200) {
        const doc = JSON.parse(res.body) as Record<string, unknown>;
        assert.equal(doc.issuer, stack.issuer);
        assert.ok(doc.jwks_uri);
      } else {
        assert.equal(res.status, 404);
      }
    });
  }
});

describe('a second prefix (one line in snippets/environments.conf) is its own issuer and resource', () => {
  test('/claude has issuer origin/claude, its own PRM, and a 401 pointing there', async () => {
    const as = await get('/.well-known/oauth-authorization-server/claude');
    assert.equal((JSON.parse(as.body) as { issuer: string }).issuer, `${stack.origin}/claude`);
    const prm = await get('/.well-known/oauth-protected-resource/claude/mcp');
    assert.equal((JSON.parse(prm.body) as { resource: string }).resource, `${stack.origin}/claude/mcp`);
    const challenge = await get('/claude/mcp', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"jsonrpc":"2.0","id":1,"method":"ping"}',
    });
    assert.equal(challenge.status, 401);
    assert.match(String(challenge.headers['www-authenticate']), /oauth-protected-resource\/claude\/mcp/);
  });
});

describe('the connector behind nginx', () => {
  test('POST /chatgpt/mcp without a token → 401 whose resource_metadata is the public https URL', async () => {
    const res = await get('/chatgpt/mcp', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}',
    });
    assert.equal(res.status, 401);
    assert.match(
      String(res.headers['www-authenticate']),
      new RegExp(`resource_metadata="${stack.origin}/\\.well-known/oauth-protected-resource/chatgpt/mcp"`),
    );
  });

  test('a forged X-Environment-Path cannot move the issuer', async () => {
    const res = await get('/.well-known/oauth-authorization-server/chatgpt', {
      headers: { 'x-environment-path': '/evil', 'x-forwarded-host': 'evil.example' },
    });
    assert.equal((JSON.parse(res.body) as { issuer: string }).issuer, stack.issuer);
  });

  test("registration with ChatGPT's redirect URI through nginx → 201, client_secret_post echoed", async () => {
    const res = await get('/chatgpt/register', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        redirect_uris: ['https://chatgpt.com/connector_platform_oauth_redirect'],
        token_endpoint_auth_method: 'client_secret_post',
        client_name: 'nginx test',
      }),
    });
    assert.equal(res.status, 201, res.body);
    assert.equal((JSON.parse(res.body) as { token_endpoint_auth_method: string }).token_endpoint_auth_method, 'client_secret_post');
  });

  test('the SSE endpoint event arrives through nginx while the stream stays open, with the prefix', async () => {
    const stream = await httpStream(
      `${stack.origin}/chatgpt/sse`,
      { headers: { accept: 'text/event-stream', authorization: `Bearer ${stack.apiKey}` } },
      { ca: stack.ca },
    );
    try {
      assert.equal(stream.status, 200);
      const text = await stream.waitFor((t) => t.includes('\n\n'), 3000);
      assert.match(text, /event: endpoint\ndata: \/chatgpt\/messages\?sessionId=/);
      assert.equal(stream.ended(), false);
    } finally {
      stream.close();
    }
  });

  test('HEAD, GET and OPTIONS on /chatgpt/mcp never give 404 or 5xx', async () => {
    for (const method of ['HEAD', 'GET', 'OPTIONS']) {
      const res = await get('/chatgpt/mcp', {
        method,
        headers: { origin: 'https://chatgpt.com', 'access-control-request-method': 'POST' },
      });
      assert.ok(res.status !== 404 && res.status < 500, `${method} → ${res.status}`);
    }
  });
});
