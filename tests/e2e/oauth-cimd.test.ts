/**
 * The whole CIMD flow as ChatGPT and Claude run it, over real sockets, driven by a real OAuth client
 * library (oauth4webapi) and the MCP SDK client: a local HTTPS server (its certificate generated
 * here) serves the client's metadata document and JWKS; authorize with PKCE and `resource`, sign
 * in and consent through the real forms, exchange the code authenticated with a `private_key_jwt`
 * assertion signed by the test's own key (ChatGPT) or with `none` (Claude), refresh, call a tool.
 * Once in process (the CA injected), once as the real `node src/index.ts` process on the sandbox
 * database with the CA in NODE_EXTRA_CA_CERTS and OAUTH_CIMD_ALLOW_PRIVATE_ADDRESSES.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import * as oauth from 'oauth4webapi';
import { databaseEnv, startTestDatabase } from '../helpers/database.ts';
import { chatgptDocument, clientKey, outboundFor, startClientHost, type ClientHost, type ClientKey } from '../oauth/client-host.ts';
import { signInAndConsent } from '../oauth/flow.ts';
import { operatorHash, USER } from '../oauth/helpers.ts';
import { startOAuthServer } from '../oauth/server.ts';

const CHATGPT_REDIRECT = 'https://chatgpt.com/connector/oauth/c-e2e';
const CLAUDE_REDIRECT = 'https://claude.ai/api/mcp/auth_callback';
const insecure = { [oauth.allowInsecureRequests]: true };
const realFetch = (url: string, init?: RequestInit) => fetch(url, init);

let host: ClientHost;
let key: ClientKey;
before(async () => {
  host = await startClientHost('127.0.0.1');
  key = await clientKey('RS256');
  host.json('/oauth/jwks.json', { keys: [key.publicJwk] }, { 'Cache-Control': 'max-age=3600' });
});
after(() => host.close());

/** Publishes the ChatGPT and Claude documents under `hostName` and returns their client ids. */
function publish(hostName: string): { chatgpt: string; claude: string } {
  const chatgpt = host.url('/oauth/c-e2e/client.json', hostName);
  host.json('/oauth/c-e2e/client.json', chatgptDocument(chatgpt, host.url('/oauth/jwks.json', hostName), CHATGPT_REDIRECT));
  const claude = host.url('/oauth/mcp-oauth-client-metadata', hostName);
  host.json('/oauth/mcp-oauth-client-metadata', {
    client_id: claude,
    client_name: 'Claude',
    redirect_uris: [CLAUDE_REDIRECT],
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
  });
  return { chatgpt, claude };
}

/** Discovery from the MCP URL's protected-resource metadata, as the clients do it. */
async function discover(mcpUrl: URL, origin: string) {
  const prmUrl = `${origin}/.well-known/oauth-protected-resource${mcpUrl.pathname}`;
  const prm = (await (await fetch(prmUrl)).json()) as { resource: string; authorization_servers: string[] };
  const issuer = new URL(prm.authorization_servers[0] ?? '');
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
  assert.equal(as.client_id_metadata_document_supported, true, 'item 46: advertised');
  return { as, resource: prm.resource };
}

/**
 * One client's flow: authorize (PKCE, state, resource) → sign-in and consent → the library
 * validates the response (RFC 9207 `iss`) → code exchange and refresh with `clientAuth` → tools.
 */
async function runFlow(
  mcpUrl: URL,
  origin: string,
  client: oauth.Client,
  redirectUri: string,
  clientAuth: oauth.ClientAuth,
): Promise<{ toolNames: string[]; searchText: string }> {
  const { as, resource } = await discover(mcpUrl, origin);
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(String(as.authorization_endpoint));
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: client.client_id,
    redirect_uri: redirectUri,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    resource,
    scope: 'mssql:read',
  }).toString();
  const callback = await signInAndConsent(realFetch, url.href);
  assert.equal(`${callback.origin}${callback.pathname}`, redirectUri);
  const params = oauth.validateAuthResponse(as, client, callback, state);
  const tokens = await oauth.processAuthorizationCodeResponse(
    as,
    client,
    await oauth.authorizationCodeGrantRequest(as, client, clientAuth, params, redirectUri, verifier, {
      additionalParameters: { resource },
      ...insecure,
    }),
  );
  const refreshed = await oauth.processRefreshTokenResponse(
    as,
    client,
    await oauth.refreshTokenGrantRequest(as, client, clientAuth, String(tokens.refresh_token), insecure),
  );
  assert.notEqual(refreshed.refresh_token, tokens.refresh_token);

  const mcp = new Client({ name: 'cimd-e2e', version: '1.0.0' });
  await mcp.connect(
    new StreamableHTTPClientTransport(mcpUrl, { requestInit: { headers: { Authorization: `Bearer ${refreshed.access_token}` } } }),
  );
  try {
    const { tools } = await mcp.listTools();
    const result = await mcp.callTool({ name: 'search', arguments: { query: 'list tables' } });
    assert.notEqual(result.isError, true, JSON.stringify(result));
    return { toolNames: tools.map((tool) => tool.name).sort(), searchText: JSON.stringify(result.structuredContent) };
  } finally {
    await mcp.close();
  }
}

const chatgptClient = (id: string): oauth.Client => ({ client_id: id, token_endpoint_auth_method: 'private_key_jwt' });
const claudeClient = (id: string): oauth.Client => ({ client_id: id, token_endpoint_auth_method: 'none' });
const signed = () => oauth.PrivateKeyJwt({ key: key.privateKey, kid: key.kid });

describe('CIMD end to end (oauth4webapi + MCP SDK, documents over real TLS)', () => {
  it('ChatGPT (private_key_jwt) and Claude (none) on the in-process server with an injected CA', async () => {
    const ids = publish('client.test');
    const server = await startOAuthServer({ overrides: { oauthOutbound: outboundFor(host) } });
    try {
      const chatgpt = await runFlow(server.mcpUrl, server.url, chatgptClient(ids.chatgpt), CHATGPT_REDIRECT, signed());
      assert.deepEqual(chatgpt.toolNames, ['fetch', 'search']);
      const claude = await runFlow(server.mcpUrl, server.url, claudeClient(ids.claude), CLAUDE_REDIRECT, oauth.None());
      assert.deepEqual(claude.toolNames, ['fetch', 'search']);
      const issued = server.logs
        .filter((line) => line.msg === 'oauth.token_issued')
        .map((line) => [line.client_id, line.registration, line.auth_method]);
      assert.deepEqual(issued, [
        [ids.chatgpt, 'cimd', 'private_key_jwt'],
        [ids.chatgpt, 'cimd', 'private_key_jwt'],
        [ids.claude, 'cimd', 'none'],
        [ids.claude, 'cimd', 'none'],
      ]);
    } finally {
      await server.close();
    }
  });

  it('the real process: CA from NODE_EXTRA_CA_CERTS, documents on 127.0.0.1 allowed by the test switch, search on the database', {
    timeout: 120_000,
  }, async () => {
    const ids = publish(`127.0.0.1`);
    const dir = mkdtempSync(join(tmpdir(), 'cimd-process-'));
    const caFile = join(dir, 'test-ca.pem');
    writeFileSync(caFile, host.ca);
    const database = await startTestDatabase();
    const child = spawn(process.execPath, ['src/index.ts'], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        NODE_EXTRA_CA_CERTS: caFile,
        HOST: '127.0.0.1',
        PORT: '0',
        ENVIRONMENT_PATH: '/chatgpt',
        DATA_DIR: join(dir, 'data'),
        AUTH_USERS: `${USER}:${await operatorHash()}`,
        OAUTH_CIMD_ALLOW_PRIVATE_ADDRESSES: 'true',
        RATE_LIMIT_PER_MINUTE: '10000',
        ...databaseEnv(database, database.reader),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const logs: Record<string, unknown>[] = [];
    try {
      let url: string | undefined;
      for await (const line of createInterface({ input: child.stdout })) {
        const record = JSON.parse(line) as Record<string, unknown>;
        logs.push(record);
        if (record.msg === 'listening') {
          url = String(record.url);
          break;
        }
      }
      assert.ok(url, stderr);
      child.stdout.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
      });
      const mcpUrl = new URL(`${url}/chatgpt/mcp`);
      const chatgpt = await runFlow(mcpUrl, url, chatgptClient(ids.chatgpt), CHATGPT_REDIRECT, signed());
      assert.deepEqual(chatgpt.toolNames, ['fetch', 'search']);
      assert.match(chatgpt.searchText, /Products/i, 'the search ran on the sandbox database');
      const claude = await runFlow(mcpUrl, url, claudeClient(ids.claude), CLAUDE_REDIRECT, oauth.None());
      assert.deepEqual(claude.toolNames, ['fetch', 'search']);
      assert.ok(logs.some((line) => line.msg === 'oauth.cimd_fetched' && line.client_id === ids.chatgpt));
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the real process refuses OAUTH_CIMD_ALLOW_PRIVATE_ADDRESSES when NODE_ENV=production', async () => {
    const child = spawn(process.execPath, ['src/index.ts'], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        PUBLIC_BASE_URL: 'https://data.example.com',
        MSSQL_HOST: 'h',
        MSSQL_USER: 'u',
        MSSQL_PASSWORD: 'p',
        MSSQL_DATABASE: 'd',
        AUTH_USERS: `${USER}:${await operatorHash()}`,
        OAUTH_CIMD_ALLOW_PRIVATE_ADDRESSES: 'true',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(code, 1);
    assert.match(stderr, /^Configuration error: OAUTH_CIMD_ALLOW_PRIVATE_ADDRESSES: is refused when NODE_ENV=production/);
  });
});
