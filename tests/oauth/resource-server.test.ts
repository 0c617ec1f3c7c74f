import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { generateKeyPair, SignJWT } from 'jose';
import { signAccessToken } from '../../src/oauth/core/tokens.ts';
import { exchange } from './flow.ts';
import { INIT, memoryResearch, rpcResult } from '../http/fixtures.ts';
import { BASE, createHarness, type Harness, ORIGIN } from './helpers.ts';

// The OAuth server mounted in the real application: every check below goes through the product's
// bearer middleware (src/http/auth/bearer.ts) and MCP route, exactly as createApp wires them.
const research = memoryResearch();
const h = await createHarness({ edge: 'app', research });
const { tokens, client } = await exchange(h);
/** An MCP `initialize` POST, with `token` as the bearer credential when given. */
const mcpInit = (harness: Harness, token?: string, path = `${BASE}/mcp`) =>
  harness.fetch(path, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(INIT),
  });
const call = (token?: string, path = `${BASE}/mcp`) => mcpInit(h, token, path);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const payloadOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>;
const headerOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as Record<string, unknown>;

const claims = (overrides: Partial<Parameters<typeof signAccessToken>[3]> = {}) => ({
  issuer: BASE,
  audience: `${BASE}/mcp`,
  subject: 'ann',
  clientId: client.client_id,
  scopes: ['mssql:read'],
  familyId: String(payloadOf(tokens.access_token).fid),
  ...overrides,
});

async function expectInvalidToken(token: string) {
  const response = await call(token);
  assert.equal(response.status, 401);
  const challenge = response.headers.get('WWW-Authenticate') ?? '';
  assert.match(challenge, /error="invalid_token"/);
  assert.match(challenge, /resource_metadata="https:\/\/data\.example\.com\/\.well-known\/oauth-protected-resource\/chatgpt\/mcp"/);
}

describe('resource server (checklist items 23-25) and token attacks', () => {
  it('item 23: no token → 401 with an absolute resource_metadata and scope, no error parameter', async () => {
    const response = await call();
    assert.equal(response.status, 401);
    const challenge = response.headers.get('WWW-Authenticate') ?? '';
    assert.equal(challenge, `Bearer resource_metadata="${ORIGIN}/.well-known/oauth-protected-resource/chatgpt/mcp", scope="mssql:read"`);
    assert.equal(h.oauth.prmUrlFor(BASE, '/sse'), `${ORIGIN}/.well-known/oauth-protected-resource/chatgpt/sse`);
    assert.equal(h.oauth.prmUrlFor(ORIGIN, '/mcp'), `${ORIGIN}/.well-known/oauth-protected-resource/mcp`);
  });

  it('item 24: a valid token passes and the tool call runs as the client and operator', async () => {
    const init = await call(tokens.access_token);
    assert.equal(init.status, 200);
    assert.equal(((await rpcResult(init)).result as { serverInfo?: unknown }).serverInfo !== undefined, true);
    const search = await h.fetch(`${BASE}/mcp`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        Authorization: `Bearer ${tokens.access_token}`,
        'MCP-Protocol-Version': '2025-06-18',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'search', arguments: { query: 'orders' } } }),
    });
    assert.equal(search.status, 200);
    assert.equal(((await rpcResult(search)).result as { isError?: boolean }).isError ?? false, false);
    assert.equal(research.calls.at(-1)?.ctx.principal, `oauth:${client.client_id}:ann`);
  });

  it('item 24: alg none is refused', async () => {
    const token = `${b64({ alg: 'none', typ: 'at+jwt', kid: headerOf(tokens.access_token).kid })}.${tokens.access_token.split('.')[1]}.`;
    await expectInvalidToken(token);
  });

  it('item 24: HS256 signed with our public key is refused', async () => {
    const jwks = (await (await h.fetch(`${BASE}/jwks.json`)).json()) as { keys: unknown[] };
    const secret = JSON.stringify(jwks.keys[0]);
    const header = b64({ alg: 'HS256', typ: 'at+jwt', kid: headerOf(tokens.access_token).kid });
    const body = tokens.access_token.split('.')[1];
    const signature = createHmac('sha256', secret).update(`${header}.${body}`).digest('base64url');
    await expectInvalidToken(`${header}.${body}.${signature}`);
  });

  it('item 24: a token signed by a foreign key claiming our kid is refused', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const payload = payloadOf(tokens.access_token);
    const forged = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: String(headerOf(tokens.access_token).kid) })
      .sign(privateKey);
    await expectInvalidToken(forged);
  });

  it('item 24: a tampered payload is refused', async () => {
    const [header, , signature] = tokens.access_token.split('.');
    await expectInvalidToken(`${header}.${b64({ ...payloadOf(tokens.access_token), sub: 'mallory' })}.${signature}`);
  });

  it('item 24: an expired token is refused', async () => {
    const local = await createHarness({ edge: 'app' });
    const got = await exchange(local);
    local.clock.advance(3_601_000);
    const response = await mcpInit(local, got.tokens.access_token);
    assert.equal(response.status, 401);
    assert.match(response.headers.get('WWW-Authenticate') ?? '', /invalid_token/);
  });

  for (const [label, override] of [
    ['a foreign audience', { audience: 'https://other.example/mcp' }],
    ['another deployment prefix as audience', { audience: `${ORIGIN}/other/mcp` }],
    ['a foreign issuer', { issuer: 'https://evil.example/chatgpt' }],
    ['an issuer with a trailing slash', { issuer: `${BASE}/` }],
  ] as const) {
    it(`item 24: ${label} is refused`, async () => {
      const token = await signAccessToken(h.oauth.keys, h.clock, 600, claims(override));
      await expectInvalidToken(token);
    });
  }

  it('item 24: a token without the required scope gets 403 insufficient_scope', async () => {
    const local = await createHarness({ edge: 'app', env: { OAUTH_SCOPES: 'mssql:read mssql:extra', OAUTH_DEFAULT_SCOPES: 'mssql:read' } });
    const got = await exchange(local);
    const token = await signAccessToken(local.oauth.keys, local.clock, 600, {
      issuer: BASE,
      audience: `${BASE}/mcp`,
      subject: 'ann',
      clientId: got.client.client_id,
      scopes: ['mssql:extra'],
      familyId: String(payloadOf(got.tokens.access_token).fid),
    });
    const response = await mcpInit(local, token);
    assert.equal(response.status, 403);
    assert.match(response.headers.get('WWW-Authenticate') ?? '', /error="insufficient_scope"/);
  });

  it('item 25: a token in the query string is refused', async () => {
    const response = await call(undefined, `${BASE}/mcp?access_token=${tokens.access_token}`);
    assert.equal(response.status, 400);
    assert.match(response.headers.get('WWW-Authenticate') ?? '', /error="invalid_request"/);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'TOKEN_IN_QUERY');
  });

  it('item 25: non-JWT bearer strings are left to the next verifier (null), JWT-shaped garbage is invalid', async () => {
    assert.equal(await h.oauth.verifier.verify('static-api-key-123', { resource: `${BASE}/mcp` }), null);
    const garbage = await h.oauth.verifier.verify('aaa.bbb.ccc', { resource: `${BASE}/mcp` });
    assert.equal(garbage?.ok, false);
  });

  it('the verifier accepts the token at every endpoint of the same server and names the principal', async () => {
    for (const resource of [`${BASE}/mcp`, `${BASE}/sse`, `${BASE}/messages`]) {
      const result = await h.oauth.verifier.verify(tokens.access_token, { resource });
      assert.equal(result?.ok, true, resource);
      if (result?.ok) assert.equal(result.principal.id, `oauth:${client.client_id}:ann`);
    }
    const elsewhere = await h.oauth.verifier.verify(tokens.access_token, { resource: `${ORIGIN}/claude/mcp` });
    assert.equal(elsewhere?.ok, false, 'another prefix on the same host is another issuer');
  });
});
