/**
 * The MCP SDK client's own OAuth support (an `OAuthClientProvider` on the Streamable HTTP
 * transport) completing against the server mounted under `/chatgpt`, over real HTTP: it discovers
 * from the 401, registers with a loopback redirect URI, and — once a person has signed in and
 * consented through the real forms — exchanges the code and calls tools.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { signInAndConsent } from '../oauth/flow.ts';
import { startOAuthServer, type OAuthServer } from '../oauth/server.ts';

let server: OAuthServer;
before(async () => {
  server = await startOAuthServer();
});
after(async () => server?.close());

/** An in-memory provider, like a desktop MCP client's, whose "browser" is the form-submitting helper. */
function provider() {
  const state: { client?: OAuthClientInformationMixed; tokens?: OAuthTokens; verifier?: string; authorizationUrl?: URL } = {};
  const redirectUrl = 'http://127.0.0.1:33418/oauth/callback';
  const impl: OAuthClientProvider = {
    get redirectUrl() {
      return redirectUrl;
    },
    get clientMetadata(): OAuthClientMetadata {
      return {
        client_name: 'sdk-e2e',
        redirect_uris: [redirectUrl],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
      };
    },
    clientInformation: () => state.client,
    saveClientInformation: (info) => void (state.client = info),
    tokens: () => state.tokens,
    saveTokens: (tokens) => void (state.tokens = tokens),
    redirectToAuthorization: (url) => void (state.authorizationUrl = url),
    saveCodeVerifier: (verifier) => void (state.verifier = verifier),
    codeVerifier: () => {
      if (!state.verifier) throw new Error('no verifier saved');
      return state.verifier;
    },
  };
  return { impl, state };
}

describe('MCP SDK client OAuth against the server under /chatgpt', () => {
  it('auth() via the transport: 401 → discovery → registration → consent → code exchange → tools/list', async () => {
    const { impl, state } = provider();
    const first = new StreamableHTTPClientTransport(server.mcpUrl, { authProvider: impl });
    await assert.rejects(new Client({ name: 'sdk-e2e', version: '1.0.0' }).connect(first), UnauthorizedError);
    assert.ok(state.client?.client_id, 'the SDK registered a client dynamically');
    const authorizationUrl = state.authorizationUrl;
    assert.ok(authorizationUrl, 'the SDK asked to open the authorization URL');
    assert.equal(`${authorizationUrl.origin}${authorizationUrl.pathname}`, `${server.base}/authorize`, 'prefix kept');
    assert.equal(authorizationUrl.searchParams.get('resource'), server.mcpUrl.href);
    assert.equal(authorizationUrl.searchParams.get('code_challenge_method'), 'S256');

    const callback = await signInAndConsent((url, init) => fetch(url, init), authorizationUrl.href);
    assert.equal(callback.searchParams.get('iss'), server.base);
    await first.finishAuth(callback.searchParams.get('code') ?? '');
    assert.ok(state.tokens?.access_token);
    assert.ok(state.tokens?.refresh_token);

    const client = new Client({ name: 'sdk-e2e', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(server.mcpUrl, { authProvider: impl }));
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((tool) => tool.name).sort(), ['fetch', 'search']);
    const found = await client.callTool({ name: 'search', arguments: { query: 'list tables' } });
    assert.notEqual(found.isError, true);
    await client.close();
    const granted = server.logs.find((line) => line.msg === 'oauth.token_issued');
    assert.equal(granted?.client_id, state.client?.client_id, 'audit line names the client');
    assert.equal(granted?.operator, 'ann', 'audit line names the operator');
  });

  it('with an expired access token the SDK refreshes (rotation) and carries on', async () => {
    const { impl, state } = provider();
    const first = new StreamableHTTPClientTransport(server.mcpUrl, { authProvider: impl });
    await assert.rejects(new Client({ name: 'sdk-e2e', version: '1.0.0' }).connect(first), UnauthorizedError);
    const callback = await signInAndConsent((url, init) => fetch(url, init), state.authorizationUrl?.href ?? '');
    await first.finishAuth(callback.searchParams.get('code') ?? '');
    const original = state.tokens;
    assert.ok(original);
    state.tokens = { ...original, access_token: 'expired.or.garbage' };
    const client = new Client({ name: 'sdk-e2e', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(server.mcpUrl, { authProvider: impl }));
    assert.equal((await client.listTools()).tools.length, 2);
    assert.notEqual(state.tokens?.refresh_token, original.refresh_token, 'the refresh token was rotated');
    await client.close();
  });
});
