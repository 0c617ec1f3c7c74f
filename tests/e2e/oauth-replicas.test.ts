/**
 * The OAuth state shared by replicas (issue 12): two connector processes with separate DATA_DIRs
 * and one Redis (STATE_STORE_URL), the same public URL, real sockets. A client registered on one
 * replica is authorized on the other, tokens move freely between them, and the single-use steps
 * (code exchange, refresh rotation) hold across replicas under concurrency.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { decodeProtectedHeader } from 'jose';
import { after, before, describe, it } from 'node:test';
import type { TestRedis } from '../helpers/redis.ts';
import { startTestRedis } from '../helpers/redis.ts';
import { codeFor, type Fetcher, REDIRECT, registerClient, tokenRequest } from '../oauth/flow.ts';
import { ORIGIN } from '../oauth/helpers.ts';
import type { OAuthServer } from '../oauth/server.ts';
import { startOAuthServer } from '../oauth/server.ts';

let redis: TestRedis;
let a: OAuthServer;
let b: OAuthServer;
/** Requests to the public URL land on one replica, as a load balancer would send them. */
const on =
  (server: OAuthServer): Fetcher =>
  (url, init) =>
    fetch(url.replace(ORIGIN, server.url), init);

before(async () => {
  redis = await startTestRedis({ password: randomBytes(12).toString('hex') });
  const env = { STATE_STORE_URL: redis.url, PUBLIC_BASE_URL: ORIGIN };
  a = await startOAuthServer({ env });
  b = await startOAuthServer({ env });
});

after(async () => {
  await b?.close();
  await a?.close();
  await redis?.close();
});

async function codeOn(server: OAuthServer, clientId: string) {
  return codeFor(on(server), clientId, REDIRECT, { state: 'replicas' });
}

const exchangeOn = (server: OAuthServer, clientId: string, got: { code: string; pkce: { verifier: string } }) =>
  tokenRequest(on(server), {
    grant_type: 'authorization_code',
    code: got.code,
    redirect_uri: REDIRECT,
    code_verifier: got.pkce.verifier,
    client_id: clientId,
  });

const refreshOn = (server: OAuthServer, clientId: string, refreshToken: string) =>
  tokenRequest(on(server), { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId });

/** The MCP endpoint's status for a ping with `token` (401 when the token is refused). */
async function mcpStatus(server: OAuthServer, token: string): Promise<number> {
  const response = await on(server)(`${ORIGIN}/chatgpt/mcp`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
  });
  await response.arrayBuffer();
  return response.status;
}

describe('OAuth state shared by two replicas through Redis', () => {
  it('register on A, authorize on B, token on A, refresh on B, the access token works on both, revoke on A ends it on B', async () => {
    const client = await registerClient(on(a));
    const got = await codeOn(b, client.client_id);
    const issued = await exchangeOn(a, client.client_id, got);
    assert.equal(issued.status, 200, JSON.stringify(issued.body));
    const refreshed = await refreshOn(b, client.client_id, String(issued.body.refresh_token));
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    for (const server of [a, b]) {
      assert.notEqual(
        await mcpStatus(server, String(refreshed.body.access_token)),
        401,
        `the access token issued on B is accepted on ${server === a ? 'A' : 'B'}`,
      );
    }
    const revoked = await on(a)(`${ORIGIN}/chatgpt/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: String(refreshed.body.refresh_token), client_id: client.client_id }).toString(),
    });
    assert.equal(revoked.status, 200);
    const after = await refreshOn(b, client.client_id, String(refreshed.body.refresh_token));
    assert.equal(after.status, 400);
    assert.equal(after.body.error, 'invalid_grant');
  });

  it('a code raced at both replicas is exchanged once', async () => {
    const client = await registerClient(on(a));
    const got = await codeOn(a, client.client_id);
    const results = await Promise.all([exchangeOn(a, client.client_id, got), exchangeOn(b, client.client_id, got)]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 400]);
  });

  it('50 concurrent refreshes of one token spread over both replicas yield exactly one new pair', async () => {
    const client = await registerClient(on(b));
    const issued = await exchangeOn(b, client.client_id, await codeOn(b, client.client_id));
    assert.equal(issued.status, 200);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => refreshOn(i % 2 === 0 ? a : b, client.client_id, String(issued.body.refresh_token))),
    );
    const pairs = new Set(results.filter((r) => r.status === 200).map((r) => String(r.body.refresh_token)));
    assert.equal(pairs.size, 1, `distinct new refresh tokens: ${pairs.size}; statuses ${results.map((r) => r.status).join(',')}`);
    assert.ok(!pairs.has(String(issued.body.refresh_token)));
  });

  it('a key rotated by the operator signs on every replica, and tokens signed before and after verify on both', async () => {
    const jwks = async (server: OAuthServer) => {
      const response = await on(server)(`${ORIGIN}/chatgpt/jwks.json`);
      assert.equal(response.status, 200);
      return ((await response.json()) as { keys: Array<{ kid: string }> }).keys.map((key) => key.kid).sort();
    };
    const client = await registerClient(on(a));
    const before = await exchangeOn(a, client.client_id, await codeOn(a, client.client_id));
    const rotated = await promisify(execFile)(process.execPath, ['src/oauth/cli/rotate-keys.ts'], {
      env: { ...process.env, STATE_STORE_URL: redis.url },
    });
    const { active } = JSON.parse(rotated.stdout) as { active: string };
    assert.deepEqual(await jwks(a), await jwks(b));
    assert.ok((await jwks(b)).includes(active));
    const afterRotation = await refreshOn(b, client.client_id, String(before.body.refresh_token));
    assert.equal(afterRotation.status, 200);
    assert.equal(
      decodeProtectedHeader(String(afterRotation.body.access_token)).kid,
      active,
      'replica B signs with the key rotated through Redis',
    );
    for (const token of [before.body.access_token, afterRotation.body.access_token]) {
      for (const server of [a, b]) assert.notEqual(await mcpStatus(server, String(token)), 401);
    }
  });

  // Last: stops Redis for the rest of the file.
  it('while Redis is away the token endpoint answers 503 temporarily_unavailable with Retry-After, on both replicas', async () => {
    const client = await registerClient(on(a));
    const issued = await exchangeOn(a, client.client_id, await codeOn(a, client.client_id));
    assert.equal(issued.status, 200);
    await redis.stop();
    for (const server of [a, b]) {
      const refused = await refreshOn(server, client.client_id, String(issued.body.refresh_token));
      assert.equal(refused.status, 503);
      assert.equal(refused.body.error, 'temporarily_unavailable');
      assert.equal(refused.headers.get('retry-after'), '5');
    }
  });
});
