import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { after, before, beforeEach, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { createMemoryStore } from '../../src/oauth/core/store-memory.ts';
import { createSqliteStore } from '../../src/oauth/core/store-sqlite.ts';
import { createRedisOAuthStore } from '../../src/oauth/core/store-redis.ts';
import type { EmbeddedOAuthStore, OAuthStore } from '../../src/oauth/core/types.ts';
import { createLogger } from '../../src/logger.ts';
import { connectRedis, type RedisConnection } from '../../src/state/redis.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { exchange, obtainCode, REDIRECT, tokenRequest } from './flow.ts';
import { BASE, browser, createHarness, formPost, operatorHash, parseForm, PASSWORD, steppingClock, USER } from './helpers.ts';

const run = promisify(execFile);
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'oauth-store-'));
  dirs.push(dir);
  return dir;
};
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

let redis: TestRedis;
let connection: RedisConnection;
before(async () => {
  redis = await startTestRedis();
  connection = connectRedis({ url: redis.url, logger: createLogger({ level: 'silent' }) });
  await connection.ready(5_000);
});
after(async () => {
  await connection?.close();
  await redis?.close();
});
/** The caller's time as the Redis store reads it (the embedded stores are told at `purge`). */
let logicalNow = 0;
let prefixes = 0;
const purgeAt = async (store: OAuthStore, now: number) => {
  logicalNow = now;
  await store.purge(now);
};

const family = {
  familyId: 'f1',
  clientId: 'c1',
  subject: 'ann',
  scopes: ['mssql:read'],
  resource: `${BASE}/mcp`,
  createdAt: 0,
  revoked: false,
};
const code = {
  codeHash: 'h1',
  clientId: 'c1',
  redirectUri: REDIRECT,
  redirectUriExplicit: true,
  codeChallenge: 'x',
  scopes: ['mssql:read'],
  resource: `${BASE}/mcp`,
  subject: 'ann',
  expiresAt: 60_000,
};

for (const [name, make] of [
  ['memory', () => createMemoryStore()],
  ['sqlite', () => createSqliteStore(tempDir())],
  ['redis', () => createRedisOAuthStore(connection, { now: () => logicalNow }, `t${++prefixes}:`)],
] as Array<[string, () => OAuthStore]>) {
  describe(`${name} store contract`, () => {
    beforeEach(() => {
      logicalNow = 0;
    });
    it('an assertion marker is used once until it expires, then free again; purge drops expired markers', async () => {
      const store = make();
      assert.equal(await store.useOnce('jti-a', 1_000, 0), true);
      assert.equal(await store.useOnce('jti-a', 1_000, 999), false, 'replay before expiry');
      assert.equal(await store.useOnce('jti-b', 1_000, 10), true, 'markers are per key');
      assert.equal(await store.useOnce('jti-a', 5_000, 1_000), true, 'expired markers do not block');
      assert.equal(await store.useOnce('jti-a', 5_000, 2_000), false);
      await purgeAt(store, 6_000);
      assert.equal(await store.useOnce('jti-a', 9_000, 6_000), true);
      assert.deepEqual(
        await Promise.all([store.useOnce('race', 9_000, 0), store.useOnce('race', 9_000, 0)]).then((r) => r.sort()),
        [false, true],
        'concurrent uses: exactly one wins',
      );
    });

    it('a code is consumed once; the second attempt reports a replay with the family it issued', async () => {
      const store = make();
      await store.saveCode(code);
      assert.equal((await store.consumeCode('h1', 1, 100_000)).status, 'ok');
      assert.deepEqual(await store.consumeCode('h1', 2, 100_000), { status: 'replayed', code });
      await store.setCodeFamily('h1', 'f1');
      assert.deepEqual(await store.consumeCode('h1', 3, 100_000), { status: 'replayed', code, familyId: 'f1' });
      assert.equal((await store.consumeCode('nope', 3, 100_000)).status, 'unknown');
      await store.close();
    });

    it('refresh rotation is a compare-and-set: only the first rotation wins', async () => {
      const store = make();
      await store.createFamily(family, { tokenHash: 'r1', familyId: 'f1', expiresAt: 1000 });
      assert.equal(await store.rotateRefresh('r1', 5, 'blob', { tokenHash: 'r2', familyId: 'f1', expiresAt: 2000 }), true);
      assert.equal(await store.rotateRefresh('r1', 6, 'blob2', { tokenHash: 'r3', familyId: 'f1', expiresAt: 2000 }), false);
      assert.deepEqual(await store.findRefresh('r1'), {
        tokenHash: 'r1',
        familyId: 'f1',
        expiresAt: 1000,
        rotatedAt: 5,
        graceBlob: 'blob',
      });
      assert.equal(await store.findRefresh('r3'), undefined);
      await store.revokeFamily('f1');
      assert.equal((await store.getFamily('f1'))?.revoked, true);
      await store.close();
    });

    it('under concurrency a code is exchanged once and a refresh token rotates once', async () => {
      const store = make();
      await store.saveCode({ ...code, codeHash: 'race-code' });
      const consumed = await Promise.all(Array.from({ length: 20 }, (_, i) => store.consumeCode('race-code', i, 100_000)));
      assert.equal(consumed.filter((result) => result.status === 'ok').length, 1);
      assert.equal(consumed.filter((result) => result.status === 'replayed').length, 19);
      await store.createFamily({ ...family, familyId: 'race-f' }, { tokenHash: 'race-r', familyId: 'race-f', expiresAt: 60_000 });
      const rotated = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          store.rotateRefresh('race-r', 10 + i, `blob${i}`, { tokenHash: `race-n${i}`, familyId: 'race-f', expiresAt: 60_000 }),
        ),
      );
      assert.equal(rotated.filter(Boolean).length, 1);
      const winner = rotated.indexOf(true);
      assert.equal((await store.findRefresh('race-r'))?.graceBlob, `blob${winner}`);
      assert.ok(await store.findRefresh(`race-n${winner}`));
      assert.equal(await store.findRefresh(`race-n${(winner + 1) % 50}`), undefined);
      await store.close();
    });

    it('clients list oldest first, delete once, and grants show their latest rotation and revocation', async () => {
      const store = make();
      const client = (clientId: string, issuedAt: number) => ({
        clientId,
        redirectUris: [REDIRECT],
        grantTypes: ['authorization_code'],
        responseTypes: ['code'],
        tokenEndpointAuthMethod: 'none' as const,
        issuedAt,
      });
      await store.saveClient(client('late', 20));
      await store.saveClient(client('early', 10));
      assert.deepEqual(
        (await store.listClients()).map((c) => c.clientId),
        ['early', 'late'],
      );
      assert.deepEqual(await store.getClient('early'), client('early', 10));
      await store.createFamily(
        { ...family, familyId: 'g1', clientId: 'early', createdAt: 100 },
        { tokenHash: 'g1-r', familyId: 'g1', expiresAt: 60_000 },
      );
      await store.createFamily(
        { ...family, familyId: 'g2', clientId: 'early', createdAt: 200 },
        { tokenHash: 'g2-r', familyId: 'g2', expiresAt: 60_000 },
      );
      await store.rotateRefresh('g1-r', 500, 'b', { tokenHash: 'g1-r2', familyId: 'g1', expiresAt: 60_000 });
      await store.revokeFamily('g2');
      assert.deepEqual(
        (await store.listGrants('early')).map((g) => [g.familyId, g.lastIssuedAt, g.revoked]),
        [
          ['g1', 500, false],
          ['g2', 200, true],
        ],
      );
      assert.deepEqual(await store.listGrants('late'), []);
      assert.equal(await store.deleteClient('early'), true);
      assert.equal(await store.deleteClient('early'), false);
      assert.equal(await store.getClient('early'), undefined);
      assert.deepEqual(
        (await store.listClients()).map((c) => c.clientId),
        ['late'],
      );
      await store.close();
    });

    it('adding a key retires the previous ones; purge drops expired sessions and codes', async () => {
      const store = make();
      await store.addKey({ kid: 'a', privateJwk: '{}', publicJwk: '{}', createdAt: 1 });
      await store.addKey({ kid: 'b', privateJwk: '{}', publicJwk: '{}', createdAt: 2 });
      assert.deepEqual(
        (await store.listKeys()).map((key) => [key.kid, key.retiredAt]),
        [
          ['a', 2],
          ['b', undefined],
        ],
      );
      await store.saveSession({ idHash: 's', subject: 'ann', csrf: 'c', expiresAt: 10 });
      await store.saveCode(code);
      await purgeAt(store, 100_000);
      assert.equal(await store.getSession('s'), undefined);
      assert.equal((await store.consumeCode('h1', 100_000, 100_001)).status, 'unknown');
      await store.close();
    });
  });
}

for (const [name, make] of [
  ['memory', () => createMemoryStore()],
  ['sqlite', () => createSqliteStore(tempDir())],
] as Array<[string, () => EmbeddedOAuthStore]>) {
  describe(`${name} store: embedded counters`, () => {
    it('counters count within their window and reset after it', async () => {
      const store = make();
      assert.equal(store.hitCounter('k', 0, 100), 1);
      assert.equal(store.hitCounter('k', 50, 100), 2);
      assert.equal(store.getCounter('k', 99), 2);
      assert.equal(store.getCounter('k', 100), 0);
      assert.equal(store.hitCounter('k', 150, 100), 1);
      store.resetCounter('k');
      assert.equal(store.getCounter('k', 150), 0);
      await store.close();
    });

    it('reserveCounter counts up to max atomically, refuses with the window end, and release gives one back', async () => {
      const store = make();
      const taken = Array.from({ length: 5 }, () => store.reserveCounter('r', 0, 100, 3));
      assert.deepEqual(taken, [
        { ok: true, count: 1 },
        { ok: true, count: 2 },
        { ok: true, count: 3 },
        { ok: false, resetAt: 100 },
        { ok: false, resetAt: 100 },
      ]);
      assert.equal(store.getCounter('r', 50), 3, 'refused reservations are not counted');
      store.releaseCounter('r');
      assert.deepEqual(store.reserveCounter('r', 60, 100, 3), { ok: true, count: 3 });
      assert.deepEqual(store.reserveCounter('r', 100, 100, 3), { ok: true, count: 1 }, 'a new window after the old one ends');
      await store.close();
    });
  });
}

describe('restart with the sqlite store', () => {
  it('a restart mid-flow keeps the client, the pending code, refresh tokens and signing keys valid', async () => {
    const dir = tempDir();
    const clock = steppingClock();
    const first = await createHarness({ store: createSqliteStore(dir), clock });
    const pending = await obtainCode(first);
    const earlier = await exchange(first);
    await first.store.close();

    const second = await createHarness({ store: createSqliteStore(dir), clock });
    assert.ok(await second.store.getClient(pending.client.client_id), 'client survived');
    const exchanged = await tokenRequest(second.fetch, {
      grant_type: 'authorization_code',
      code: pending.code,
      redirect_uri: REDIRECT,
      code_verifier: pending.pkce.verifier,
      client_id: pending.client.client_id,
    });
    assert.equal(exchanged.status, 200, 'the code issued before the restart is still exchangeable');
    const call = await second.fetch(`${BASE}/mcp`, { method: 'POST', headers: { Authorization: `Bearer ${earlier.tokens.access_token}` } });
    assert.equal(call.status, 200, 'an access token signed before the restart verifies (key persisted)');
    const refreshed = await tokenRequest(second.fetch, {
      grant_type: 'refresh_token',
      refresh_token: earlier.tokens.refresh_token,
      client_id: earlier.client.client_id,
    });
    assert.equal(refreshed.status, 200, 'a refresh token issued before the restart works');
    await second.store.close();

    const third = await createHarness({ store: createSqliteStore(dir), clock });
    const reuse = await tokenRequest(third.fetch, {
      grant_type: 'refresh_token',
      refresh_token: earlier.tokens.refresh_token,
      client_id: earlier.client.client_id,
    });
    assert.equal(reuse.status, 200, 'within the grace window the same pair comes back after a restart too');
    assert.equal(reuse.body.refresh_token, refreshed.body.refresh_token);
    await third.store.close();
  });

  it('npm run rotate-keys against the data directory of a running server takes effect on its next token', async () => {
    const dir = tempDir();
    const h = await createHarness({ store: createSqliteStore(dir), clock: steppingClock(Date.now()) });
    const kidOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()).kid as string;
    const before = await exchange(h);
    const { stdout } = await run(process.execPath, ['src/oauth/cli/rotate-keys.ts', '--data-dir', dir]);
    const rotated = JSON.parse(stdout) as { active: string };
    const after = await exchange(h);
    assert.notEqual(kidOf(before.tokens.access_token), rotated.active);
    assert.equal(kidOf(after.tokens.access_token), rotated.active);
    const call = await h.fetch(`${BASE}/mcp`, { method: 'POST', headers: { Authorization: `Bearer ${before.tokens.access_token}` } });
    assert.equal(call.status, 200, 'the token of the previous key still verifies');
    await h.store.close();
  });

  it('removing an operator from AUTH_USERS ends their tokens, refresh tokens and browser sessions after a restart', async () => {
    const dir = tempDir();
    const clock = steppingClock();
    const first = await createHarness({ store: createSqliteStore(dir), clock });
    const { tokens, client } = await exchange(first);
    const agent = browser(first.fetch);
    const form = parseForm(await (await agent.go(`${BASE}/signin`)).text());
    await agent.go(`${BASE}/signin`, formPost({ ...form.fields, username: USER, password: PASSWORD }));
    await first.store.close();

    const second = await createHarness({ store: createSqliteStore(dir), clock, env: { AUTH_USERS: `bob:${await operatorHash()}` } });
    const call = await second.fetch(`${BASE}/mcp`, { method: 'POST', headers: { Authorization: `Bearer ${tokens.access_token}` } });
    assert.equal(call.status, 401);
    const refresh = await tokenRequest(second.fetch, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: client.client_id,
    });
    assert.equal(refresh.body.error, 'invalid_grant');
    const sessionCookie = `mdr_session=${agent.jar.get('mdr_session')}`;
    const record = await second.fetch(`${BASE}/records/x`, { headers: { Cookie: sessionCookie } });
    assert.equal(record.status, 302, 'the old session no longer signs anyone in');
    await second.store.close();
  });

  it('the database file is private to the service user', () => {
    const dir = tempDir();
    createSqliteStore(dir).close();
    assert.equal(statSync(join(dir, 'oauth.sqlite')).mode & 0o077, 0);
  });
});
