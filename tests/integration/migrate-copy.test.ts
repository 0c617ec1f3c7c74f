/**
 * The state migration's parts on real stores: an embedded sqlite store written through its own
 * seam (`createSqliteStore`, so a change of its layout breaks `readSqliteState` here), read back,
 * and copied into a real redis-server through the Redis stores. What is live moves; what expired,
 * or could only move unfaithfully, stays behind; a second copy changes nothing.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../src/logger.ts';
import { copyState, type MigrationReport, rotationChain } from '../../src/migrate/copy-state.ts';
import { readSqliteState, type StateSnapshot } from '../../src/migrate/sqlite-source.ts';
import { createRedisOAuthStore } from '../../src/oauth/core/store-redis.ts';
import { createSqliteStore } from '../../src/oauth/core/store-sqlite.ts';
import type { OAuthStore, RefreshFamily, RefreshTokenRecord } from '../../src/oauth/core/types.ts';
import { createRedisCounters } from '../../src/state/counters-redis.ts';
import type { Counters } from '../../src/state/counters.ts';
import { connectRedis, type RedisConnection } from '../../src/state/redis.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';

const NOW = Date.now();
const dataDir = mkdtempSync(join(tmpdir(), 'migrate-copy-'));
let redis: TestRedis;
let connection: RedisConnection;
let target: { store: OAuthStore; counters: Counters };

const family = (familyId: string, revoked = false): RefreshFamily => ({
  familyId,
  clientId: 'client-1',
  subject: 'ann',
  scopes: ['mssql:read'],
  resource: 'https://data.example.com/chatgpt/mcp',
  createdAt: NOW - 60_000,
  revoked,
});
const token = (tokenHash: string, familyId: string, expiresAt: number): RefreshTokenRecord => ({ tokenHash, familyId, expiresAt });

/** [copy, present, skipped] of the kinds this file's source holds. */
const copied = (report: MigrationReport) =>
  Object.fromEntries(
    (['families', 'sessions', 'counters', 'assertions'] as const).map((kind) => [
      kind,
      [report[kind].copy, report[kind].present, report[kind].skipped],
    ]),
  );

before(async () => {
  const source = createSqliteStore(dataDir);
  await source.createFamily(family('live'), token('live-1', 'live', NOW + 86_400_000));
  await source.rotateRefresh('live-1', NOW - 1000, 'sealed-pair', token('live-2', 'live', NOW + 86_400_000));
  await source.createFamily(family('revoked', true), token('revoked-1', 'revoked', NOW + 86_400_000));
  await source.createFamily(family('expired'), token('expired-1', 'expired', NOW - 1));
  await source.saveSession({ idHash: 'session-live', subject: 'ann', csrf: 'c1', expiresAt: NOW + 3_600_000 });
  await source.saveSession({ idHash: 'session-old', subject: 'ann', csrf: 'c2', expiresAt: NOW - 1 });
  for (let i = 0; i < 3; i++) source.hitCounter('signin:ann', NOW, 600_000);
  source.hitCounter('signin:old', NOW - 700_000, 600_000);
  await source.useOnce('jti-live', NOW + 60_000, NOW);
  await source.useOnce('jti-old', NOW - 1, NOW - 60_000);
  await source.close();

  redis = await startTestRedis({ password: randomBytes(12).toString('hex') });
  connection = connectRedis({ url: redis.url, logger: createLogger({ level: 'silent' }) });
  await connection.ready(5_000);
  target = { store: createRedisOAuthStore(connection, { now: Date.now }), counters: createRedisCounters(connection) };
});

after(async () => {
  await connection?.close();
  await redis?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('migrating the embedded OAuth store into Redis', () => {
  it('reads only what is live: grants with a usable token, unexpired sessions, counters and assertion markers', () => {
    const snapshot = readSqliteState(dataDir, NOW);
    assert.deepEqual(snapshot.families.map((f) => [f.family.familyId, f.family.revoked, f.tokens.length]).sort(), [
      ['live', false, 2],
      ['revoked', true, 1],
    ]);
    assert.deepEqual(
      snapshot.sessions.map((s) => s.idHash),
      ['session-live'],
    );
    assert.deepEqual(
      snapshot.counters.map((c) => [c.key, c.count]),
      [['signin:ann', 3]],
    );
    assert.deepEqual(
      snapshot.assertions.map((a) => a.key),
      ['jti-live'],
    );
  });

  it('copies them with their history: the rotated token stays rotated, the revoked grant revoked, the lockout count whole', async () => {
    const report = await copyState(readSqliteState(dataDir, NOW), target, { dryRun: false, now: Date.now() });
    assert.deepEqual(copied(report), { families: [2, 0, 0], sessions: [1, 0, 0], counters: [1, 0, 0], assertions: [1, 0, 0] });
    const { store, counters } = target;
    assert.deepEqual(await store.findRefresh('live-1'), {
      ...token('live-1', 'live', NOW + 86_400_000),
      rotatedAt: NOW - 1000,
      graceBlob: 'sealed-pair',
    });
    assert.deepEqual(await store.findRefresh('live-2'), token('live-2', 'live', NOW + 86_400_000));
    assert.equal((await store.getFamily('revoked'))?.revoked, true);
    assert.equal(await store.getFamily('expired'), undefined);
    assert.equal((await store.getSession('session-live'))?.csrf, 'c1');
    assert.equal(await counters.get('signin:ann', Date.now()), 3);
    assert.equal(await store.useOnce('jti-live', NOW + 60_000, Date.now()), false, 'the marker still refuses a replay');
  });

  it('a second copy finds everything present and leaves a grant revoked on the target revoked', async () => {
    await target.store.revokeFamily('live');
    const report = await copyState(readSqliteState(dataDir, NOW), target, { dryRun: false, now: Date.now() });
    assert.deepEqual(copied(report), { families: [0, 2, 0], sessions: [0, 1, 0], counters: [0, 1, 0], assertions: [0, 1, 0] });
    assert.equal((await target.store.getFamily('live'))?.revoked, true);
    assert.equal(await target.counters.get('signin:ann', Date.now()), 3);
  });
});

describe('an interrupted migration', () => {
  it('resumes a grant left half-written: the tokens rotated on the source end up rotated, the usable one copied', async () => {
    const rotated = (hash: string, at: number): RefreshTokenRecord => ({
      ...token(hash, 'resume', NOW + 86_400_000),
      rotatedAt: at,
      graceBlob: `blob-${hash}`,
    });
    const snapshot: StateSnapshot = {
      clients: [],
      keys: [],
      families: [
        {
          family: family('resume'),
          tokens: [rotated('r1', NOW - 3000), rotated('r2', NOW - 2000), token('r3', 'resume', NOW + 86_400_000)],
        },
      ],
      sessions: [],
      counters: [],
      assertions: [],
    };
    // What a run stopped right after its first step leaves: the grant with its first token, unrotated.
    await target.store.createFamily(family('resume'), token('r1', 'resume', NOW + 86_400_000));
    const report = await copyState(snapshot, target, { dryRun: false, now: Date.now() });
    assert.deepEqual(report.families, { copy: 1, present: 0, skipped: 0 });
    assert.equal((await target.store.findRefresh('r1'))?.rotatedAt, NOW - 3000);
    assert.equal((await target.store.findRefresh('r2'))?.graceBlob, 'blob-r2');
    assert.equal((await target.store.findRefresh('r3'))?.rotatedAt, undefined);
    const again = await copyState(snapshot, target, { dryRun: false, now: Date.now() });
    assert.deepEqual(again.families, { copy: 0, present: 1, skipped: 0 });
  });
});

describe('rotationChain orders a grant’s tokens as they were rotated', () => {
  const t = (hash: string, expiresAt: number, rotatedAt?: number): RefreshTokenRecord => ({
    ...token(hash, 'f', expiresAt),
    ...(rotatedAt === undefined ? {} : { rotatedAt, graceBlob: 'b' }),
  });
  const cases: Array<[string, RefreshTokenRecord[], string[], number]> = [
    ['one usable token', [t('a', 10)], ['a'], 0],
    ['rotated then usable, given out of order', [t('b', 20), t('a', 10, 5)], ['a', 'b'], 0],
    ['equal expiries (capped by the grant end) ordered by rotation', [t('c', 9), t('b', 9, 7), t('a', 9, 3)], ['a', 'b', 'c'], 0],
    ['every token rotated: nothing usable to copy', [t('a', 10, 5), t('b', 20, 6)], [], 2],
    ['a second unrotated token is dropped', [t('a', 10, 5), t('b', 20), t('c', 30)], ['a', 'b'], 1],
  ];
  for (const [name, tokens, chain, dropped] of cases) {
    it(name, () => {
      const got = rotationChain(tokens);
      assert.deepEqual(
        got.chain.map((x) => x.tokenHash),
        chain,
      );
      assert.equal(got.dropped, dropped);
    });
  }
});
