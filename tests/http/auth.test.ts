import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import type { OAuthIntegration } from '../../src/http/auth/oauth-integration.ts';
import type { TokenVerifier } from '../../src/auth/verifier.ts';
import { API_KEY, INIT, mcpPost, memoryResearch, ORIGIN, rpcResult, testApp, testConfig } from './fixtures.ts';

/** A real alternative verifier: accepts `jwt-good`, refuses `jwt-expired`, lacks scope on `jwt-noscope`. */
function oauthLike(): OAuthIntegration & { resources: string[] } {
  const resources: string[] = [];
  const verifier: TokenVerifier = {
    async verify(token, request) {
      resources.push(request.resource);
      if (!token.startsWith('jwt-')) return null;
      if (token === 'jwt-good')
        return { ok: true, principal: { id: 'oauth:alice', kind: 'oauth', clientId: 'c1', subject: 'alice', scopes: ['mssql:read'] } };
      if (token === 'jwt-noscope') return { ok: false, error: 'insufficient_scope', description: 'mssql:read is required' };
      return { ok: false, error: 'invalid_token', description: 'The token expired' };
    },
  };
  return { routes: new Hono(), verifier, challengeScopes: ['mssql:read'], resources };
}

describe('bearer authentication on the MCP endpoints', () => {
  it('answers 401 with a realm challenge and a JSON body when no token is sent (OAuth off)', async () => {
    const { app } = testApp();
    const response = await app.request('/mcp', mcpPost(INIT, { authorization: '' }));
    assert.equal(response.status, 401);
    assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="mssql-deep-research"');
    const body = (await response.json()) as { error: { code: string } };
    assert.equal(body.error.code, 'UNAUTHORIZED');
  });

  it('answers 401 invalid_token when a wrong key is sent', async () => {
    const { app } = testApp();
    const response = await app.request('/mcp', mcpPost(INIT, { authorization: 'Bearer wrong-key-000000000000' }));
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer realm="[^"]+", error="invalid_token"/);
  });

  it('accepts every configured key and the Bearer scheme in any case', async () => {
    const second = 'second-key-abcdefghijklmnop';
    const { app } = testApp({ config: testConfig({ auth: { apiKeys: [API_KEY, second] } }) });
    for (const header of [`Bearer ${API_KEY}`, `bearer ${second}`]) {
      const response = await app.request('/mcp', mcpPost(INIT, { authorization: header }));
      assert.equal(response.status, 200, header);
    }
  });

  it('refuses another scheme (Basic) with a plain 401 challenge', async () => {
    const { app } = testApp();
    const response = await app.request('/mcp', mcpPost(INIT, { authorization: `Basic ${btoa(`x:${API_KEY}`)}` }));
    assert.equal(response.status, 401);
    assert.doesNotMatch(response.headers.get('www-authenticate') ?? '', /error=/);
  });

  for (const param of ['access_token', 'api_key', 'token']) {
    it(`refuses a credential in the query string (${param}) even alongside a valid header`, async () => {
      const { app } = testApp();
      const response = await app.request(`/mcp?${param}=${API_KEY}`, mcpPost(INIT));
      assert.equal(response.status, 400);
      assert.match(response.headers.get('www-authenticate') ?? '', /error="invalid_request"/);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'TOKEN_IN_QUERY');
    });
  }

  it('with OAuth on, challenges with an absolute resource_metadata URL on the public prefix and scope (item 23)', async () => {
    const { app } = testApp({ oauth: oauthLike() });
    for (const [path, resource] of [
      ['/chatgpt/mcp', '/chatgpt/mcp'],
      ['/mcp', '/chatgpt/mcp'],
      ['/chatgpt/sse', '/chatgpt/sse'],
    ] as const) {
      const response = await app.request(path, mcpPost(INIT, { authorization: '' }));
      assert.equal(response.status, 401);
      assert.equal(
        response.headers.get('www-authenticate'),
        `Bearer resource_metadata="${ORIGIN}/.well-known/oauth-protected-resource${resource}", scope="mssql:read"`,
      );
    }
  });

  it('with OAuth on, a bad token gets invalid_token plus resource_metadata (item 24)', async () => {
    const { app } = testApp({ oauth: oauthLike() });
    const response = await app.request('/mcp', mcpPost(INIT, { authorization: 'Bearer jwt-expired' }));
    assert.equal(response.status, 401);
    const header = response.headers.get('www-authenticate') ?? '';
    assert.match(header, /error="invalid_token"/);
    assert.match(header, /resource_metadata="https:\/\/data\.example\.com\/\.well-known\/oauth-protected-resource\/chatgpt\/mcp"/);
  });

  it('with OAuth on, a token lacking scope gets 403 insufficient_scope (item 24)', async () => {
    const { app } = testApp({ oauth: oauthLike() });
    const response = await app.request('/mcp', mcpPost(INIT, { authorization: 'Bearer jwt-noscope' }));
    assert.equal(response.status, 403);
    assert.match(response.headers.get('www-authenticate') ?? '', /error="insufficient_scope".*scope="mssql:read"/);
  });

  it('chains API keys before OAuth and passes the absolute resource to the verifier', async () => {
    const oauth = oauthLike();
    const { app } = testApp({ oauth });
    assert.equal((await app.request('/chatgpt/mcp', mcpPost(INIT))).status, 200);
    assert.deepEqual(oauth.resources, [], 'a matching API key never reaches the OAuth verifier');
    assert.equal((await app.request('/chatgpt/sse', mcpPost(INIT, { authorization: 'Bearer jwt-good' }))).status, 200);
    assert.deepEqual(oauth.resources, [`${ORIGIN}/chatgpt/sse`]);
  });

  it('passes the OAuth principal down to the tools (cache scope)', async () => {
    const research = memoryResearch();
    const { app } = testApp({ oauth: oauthLike(), research });
    const call = { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'search', arguments: { query: 'orders' } } };
    const response = await app.request('/mcp', mcpPost(call, { authorization: 'Bearer jwt-good' }));
    assert.equal(response.status, 200);
    await rpcResult(response);
    assert.equal(research.calls[0]?.ctx.principal, 'oauth:alice');
  });

  it('lets anonymous callers list tools but not call them with ALLOW_UNAUTH_METHODS only', async () => {
    const { app } = testApp({ config: testConfig({ auth: { apiKeys: [], allowUnauthMethods: true } }) });
    const anonymous = { authorization: '' };
    const list = await app.request('/mcp', mcpPost({ jsonrpc: '2.0', id: 1, method: 'tools/list' }, anonymous));
    assert.equal(list.status, 200);
    const call = { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'search', arguments: { query: 'x' } } };
    const refused = await app.request('/mcp', mcpPost(call, anonymous));
    assert.equal(refused.status, 401);
    assert.match(refused.headers.get('www-authenticate') ?? '', /^Bearer /);
  });

  it('lets anonymous callers call tools with ALLOW_UNAUTH_TOOLS_CALL, but still refuses a bad token', async () => {
    const { app } = testApp({ config: testConfig({ auth: { apiKeys: [API_KEY], allowUnauthToolsCall: true } }) });
    const call = { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'search', arguments: { query: 'x' } } };
    assert.equal((await app.request('/mcp', mcpPost(call, { authorization: '' }))).status, 200);
    assert.equal((await app.request('/mcp', mcpPost(call, { authorization: 'Bearer nope-nope-nope-nope' }))).status, 401);
  });
});
