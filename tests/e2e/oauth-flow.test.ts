/**
 * The whole ChatGPT-style OAuth flow over real HTTP against the server's real app (`createApp`:
 * public-URL middleware, bearer auth, MCP transports; the in-memory Research seam instead of a
 * database) with the OAuth routes mounted as `src/index.ts` mounts them, driven by a real OAuth
 * client library (oauth4webapi) and the MCP SDK client.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import * as oauth from 'oauth4webapi';
import { signInAndConsent } from '../oauth/flow.ts';
import { startOAuthServer, type OAuthServer } from '../oauth/server.ts';

const realFetch = (url: string, init?: RequestInit) => fetch(url, init);
const dataDir = mkdtempSync(join(tmpdir(), 'oauth-e2e-'));
let server: OAuthServer;

async function startWithOAuth(port?: number) {
  // Let the client's pooled keep-alive sockets notice the previous server went away.
  await delay(50);
  return startOAuthServer({ dataDir, ...(port ? { port } : {}) });
}

async function mcpClient(accessToken: string): Promise<Client> {
  const client = new Client({ name: 'oauth-e2e', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(server.mcpUrl, {
    requestInit: { headers: { Authorization: `Bearer ${accessToken}` } },
  });
  await client.connect(transport);
  return client;
}

before(async () => {
  server = await startWithOAuth();
});

after(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('OAuth end to end over real HTTP (oauth4webapi + MCP SDK)', () => {
  it('discovery from a 401, registration, sign-in and consent forms, PKCE exchange, tools/list, refresh, revocation', async () => {
    // 1. The MCP endpoint challenges with the absolute protected-resource metadata URL (item 23).
    const challenge = await fetch(server.mcpUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    assert.equal(challenge.status, 401);
    const wwwAuthenticate = challenge.headers.get('WWW-Authenticate') ?? '';
    const prmUrl = /resource_metadata="([^"]+)"/.exec(wwwAuthenticate)?.[1];
    assert.equal(prmUrl, `${server.url}/.well-known/oauth-protected-resource/chatgpt/mcp`);

    // 2. Protected resource metadata → the issuer (items 1, 3).
    const prm = (await (await fetch(prmUrl)).json()) as { resource: string; authorization_servers: string[] };
    assert.equal(prm.resource, server.mcpUrl.href);
    const issuer = new URL(prm.authorization_servers[0] ?? '');
    assert.equal(issuer.href, `${server.base}`);
    const insecure = { [oauth.allowInsecureRequests]: true };
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
    assert.equal(as.issuer, server.base);

    // 3. Dynamic client registration with a loopback redirect URI (items 8-9).
    const redirectUri = 'http://127.0.0.1:9/callback';
    const registered = await oauth.processDynamicClientRegistrationResponse(
      await oauth.dynamicClientRegistrationRequest(
        as,
        { redirect_uris: [redirectUri], token_endpoint_auth_method: 'none', client_name: 'e2e' },
        insecure,
      ),
    );
    const client: oauth.Client = { client_id: registered.client_id, token_endpoint_auth_method: 'none' };

    // 4. Authorization request with PKCE, state and resource; sign in and consent by submitting the real forms.
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const authorizationUrl = new URL(String(as.authorization_endpoint));
    for (const [name, value] of Object.entries({
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: redirectUri,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      resource: prm.resource,
    }))
      authorizationUrl.searchParams.set(name, value);
    const callback = await signInAndConsent(realFetch, authorizationUrl.href);

    // 5. The response is validated by the library, including RFC 9207 iss (item 17), then exchanged (item 19).
    const params = oauth.validateAuthResponse(as, client, callback, state);
    const tokenResponse = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri, verifier, {
      additionalParameters: { resource: prm.resource },
      ...insecure,
    });
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, tokenResponse);
    assert.equal(tokens.token_type, 'bearer');
    assert.ok(tokens.refresh_token);

    // 6. An MCP call through the real server with the token.
    const mcp = await mcpClient(tokens.access_token);
    const { tools } = await mcp.listTools();
    assert.deepEqual(tools.map((tool) => tool.name).sort(), ['fetch', 'search']);
    await mcp.close();

    // 7. Refresh rotation: a new pair; the new access token works too.
    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, oauth.None(), tokens.refresh_token, insecure),
    );
    assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
    const again = await mcpClient(refreshed.access_token);
    assert.equal((await again.listTools()).tools.length, 2);
    await again.close();

    // 8. Revocation (RFC 7009): the grant ends; the access token is refused with invalid_token.
    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, client, oauth.None(), String(refreshed.refresh_token), insecure),
    );
    const refused = await fetch(server.mcpUrl, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${refreshed.access_token}`,
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    assert.equal(refused.status, 401);
    assert.match(refused.headers.get('WWW-Authenticate') ?? '', /error="invalid_token"/);
  });

  it('a restart with the sqlite store keeps the client, refresh token and keys valid', async () => {
    const insecure = { [oauth.allowInsecureRequests]: true };
    const issuer = new URL(server.base);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
    const redirectUri = 'http://localhost:9/cb';
    const registered = await oauth.processDynamicClientRegistrationResponse(
      await oauth.dynamicClientRegistrationRequest(as, { redirect_uris: [redirectUri], token_endpoint_auth_method: 'none' }, insecure),
    );
    const client: oauth.Client = { client_id: registered.client_id, token_endpoint_auth_method: 'none' };
    const verifier = oauth.generateRandomCodeVerifier();
    const url = new URL(String(as.authorization_endpoint));
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: redirectUri,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    }).toString();
    const callback = await signInAndConsent(realFetch, url.href);
    const params = oauth.validateAuthResponse(as, client, callback, oauth.expectNoState);

    // Restart between consent and code exchange: a new process state over the same data directory.
    const port = Number(new URL(server.url).port);
    await server.close();
    server = await startWithOAuth(port);
    assert.equal(Number(new URL(server.url).port), port);

    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri, verifier, insecure),
    );
    await server.close();
    server = await startWithOAuth(port);
    const mcp = await mcpClient(tokens.access_token);
    assert.equal((await mcp.listTools()).tools.length, 2, 'the access token signed before the restart verifies');
    await mcp.close();
    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, oauth.None(), String(tokens.refresh_token), insecure),
    );
    assert.ok(refreshed.access_token);
  });
});
