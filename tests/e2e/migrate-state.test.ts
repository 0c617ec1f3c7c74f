/**
 * `npm run migrate-state` (issue 12, moving from one machine to scale-out): a connector on its
 * embedded store (sqlite in DATA_DIR) issues a grant through the real OAuth flow; the CLI, spawned
 * as an operator runs it, copies that state into a real redis-server; a connector on
 * STATE_STORE_URL then honours what the user already holds: the access token (signing keys), the
 * refresh token (its grant, with the rotation history), the registered client.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../src/logger.ts';
import { connectRedis, type RedisConnection } from '../../src/state/redis.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { postJsonRpc } from '../helpers/post-json-rpc.ts';
import { runProcess } from '../helpers/run-process.ts';
import { codeFor, type Fetcher, REDIRECT, registerClient, tokenRequest } from '../oauth/flow.ts';
import { ORIGIN } from '../oauth/helpers.ts';
import { startOAuthServer, type OAuthServer } from '../oauth/server.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'migrate-state-'));
let redis: TestRedis;
let connection: RedisConnection;
let clientId = '';
/** The user's state after the flow on the sqlite connector: the pair from a refresh, and the token that refresh spent. */
let held: { access: string; refresh: string; spent: string; rotatedAt: number };

const on =
  (server: OAuthServer): Fetcher =>
  (url, init) =>
    fetch(url.replace(ORIGIN, server.url), init);

const refreshOn = (server: OAuthServer, refreshToken: string) =>
  tokenRequest(on(server), { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId });

/** Runs the CLI like an operator (npm run migrate-state -- …), with `env` on top of this process's. */
async function migrate(args: string[], env: Record<string, string> = {}) {
  const result = await runProcess(process.execPath, ['src/migrate/cli.ts', ...args], {
    env: { ...process.env, DATA_DIR: '', STATE_STORE_URL: '', ...env },
  });
  return { ...result, report: result.status === 0 ? (JSON.parse(result.stdout) as Record<string, unknown>) : undefined };
}

/** The MCP endpoint's status for a ping with `token` (401 when the token is refused). */
async function mcpStatus(server: OAuthServer, token: string): Promise<number> {
  const response = await postJsonRpc(`${server.url}/chatgpt/mcp`, token, { jsonrpc: '2.0', id: 1, method: 'ping' });
  await response.arrayBuffer();
  return response.status;
}

before(async () => {
  redis = await startTestRedis({ password: randomBytes(12).toString('hex') });
  connection = connectRedis({ url: redis.url, logger: createLogger({ level: 'silent' }) });
  await connection.ready(5_000);
  const single = await startOAuthServer({ dataDir, env: { PUBLIC_BASE_URL: ORIGIN } });
  try {
    clientId = (await registerClient(on(single))).client_id;
    const got = await codeFor(on(single), clientId, REDIRECT, { state: 'migrate' });
    const issued = await tokenRequest(on(single), {
      grant_type: 'authorization_code',
      code: got.code,
      redirect_uri: REDIRECT,
      code_verifier: got.pkce.verifier,
      client_id: clientId,
    });
    assert.equal(issued.status, 200, JSON.stringify(issued.body));
    const refreshed = await refreshOn(single, String(issued.body.refresh_token));
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    held = {
      access: String(refreshed.body.access_token),
      refresh: String(refreshed.body.refresh_token),
      spent: String(issued.body.refresh_token),
      rotatedAt: Date.now(),
    };
  } finally {
    await single.close();
  }
});

after(async () => {
  await connection?.close();
  await redis?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run migrate-state: the OAuth state of one machine into the Redis replicas share', () => {
  it('--dry-run reports what it would copy and writes nothing', async () => {
    const run = await migrate(['--from', dataDir, '--to', redis.url, '--dry-run']);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.report?.dryRun, true);
    assert.deepEqual(run.report?.clients, { copy: 1, present: 0, skipped: 0 });
    assert.deepEqual(run.report?.keys, { copy: 1, present: 0, skipped: 0 });
    assert.deepEqual(run.report?.families, { copy: 1, present: 0, skipped: 0 });
    assert.equal(await connection.client.dbSize(), 0);
    assert.doesNotMatch(run.stdout, new RegExp(new URL(redis.url).password), 'the report masks the password');
  });

  it('copies from DATA_DIR to STATE_STORE_URL (the defaults), then a second run finds everything present; the source is only read', async () => {
    const digest = () =>
      createHash('sha256')
        .update(readFileSync(join(dataDir, 'oauth.sqlite')))
        .digest('hex');
    const before = digest();
    const first = await migrate([], { DATA_DIR: dataDir, STATE_STORE_URL: redis.url });
    assert.equal(first.status, 0, first.stderr);
    assert.deepEqual(first.report?.families, { copy: 1, present: 0, skipped: 0 });
    assert.deepEqual(first.report?.keys, { copy: 1, present: 0, skipped: 0 });
    const size = await connection.client.dbSize();
    const second = await migrate([], { DATA_DIR: dataDir, STATE_STORE_URL: redis.url });
    assert.equal(second.status, 0, second.stderr);
    for (const kind of ['clients', 'keys', 'families']) assert.deepEqual(second.report?.[kind], { copy: 0, present: 1, skipped: 0 }, kind);
    assert.equal(await connection.client.dbSize(), size, 'the second run wrote no new key');
    assert.equal(digest(), before);
  });

  it('a connector on STATE_STORE_URL honours the migrated access token, refresh token and client; the token it spent still counts as spent', async () => {
    const shared = await startOAuthServer({ env: { STATE_STORE_URL: redis.url, PUBLIC_BASE_URL: ORIGIN } });
    try {
      assert.equal(await mcpStatus(shared, held.access), 200, 'the access token verifies with the migrated signing key');
      const jwks = (await (await on(shared)(`${ORIGIN}/chatgpt/jwks.json`)).json()) as { keys: unknown[] };
      assert.equal(jwks.keys.length, 1, 'no new key was generated: the migrated one signs');
      const refreshed = await refreshOn(shared, held.refresh);
      assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
      assert.equal(await mcpStatus(shared, String(refreshed.body.access_token)), 200);
      // The token the first refresh rotated away, presented again: within the 30 s grace window the
      // pair it was rotated into comes back (the sealed copy was migrated); after it, a replay.
      const withinGrace = Date.now() - held.rotatedAt < 28_000;
      const replay = await refreshOn(shared, held.spent);
      if (withinGrace) {
        assert.equal(replay.status, 200, JSON.stringify(replay.body));
        assert.equal(replay.body.refresh_token, held.refresh);
      } else {
        assert.equal(replay.status, 400, JSON.stringify(replay.body));
        assert.equal(replay.body.error, 'invalid_grant');
      }
      const got = await codeFor(on(shared), clientId, REDIRECT, { state: 'after-migration' });
      assert.ok(got.code, 'the registered client authorizes on the new store');
    } finally {
      await shared.close();
    }
  });

  it('refuses (exit 2, nothing written) a target that already has a signing key of its own', async () => {
    const url = `${redis.url}/1`;
    const rotated = await runProcess(process.execPath, ['src/oauth/cli/rotate-keys.ts'], {
      env: { ...process.env, STATE_STORE_URL: url },
    });
    assert.equal(rotated.status, 0, rotated.stderr);
    const run = await migrate(['--from', dataDir, '--to', url]);
    assert.equal(run.status, 2, run.stdout);
    assert.match(run.stderr, /signing key/);
    const db1 = connectRedis({ url, logger: createLogger({ level: 'silent' }) });
    try {
      await db1.ready(5_000);
      assert.deepEqual(await db1.client.keys('*'), ['mdr:oauth:keys']);
    } finally {
      await db1.close();
    }
  });

  it('names the problem and exits 1 without a source store or a target', async () => {
    const missing = await migrate(['--from', join(dataDir, 'nope'), '--to', redis.url]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /no OAuth store at .*nope/);
    const noTarget = await migrate(['--from', dataDir]);
    assert.equal(noTarget.status, 1);
    assert.match(noTarget.stderr, /STATE_STORE_URL/);
    const bad = await migrate(['--from', dataDir, '--to', 'http://example.com']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /redis:\/\//);
  });
});
