/**
 * The operator CLIs with STATE_STORE_URL: `npm run clients` and `npm run rotate-keys` are spawned
 * against a real redis-server and work on the OAuth state the replicas share, not on DATA_DIR.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../src/logger.ts';
import { createRedisOAuthStore } from '../../src/oauth/core/store-redis.ts';
import type { OAuthStore } from '../../src/oauth/core/types.ts';
import { connectRedis, type RedisConnection } from '../../src/state/redis.ts';
import { startTestRedis, type TestRedis } from '../helpers/redis.ts';
import { REDIRECT } from './flow.ts';
import { BASE } from './helpers.ts';

let redis: TestRedis;
let connection: RedisConnection;
let store: OAuthStore;
const dataDir = mkdtempSync(join(tmpdir(), 'cli-redis-'));

before(async () => {
  redis = await startTestRedis({ password: 'cli-secret' });
  connection = connectRedis({ url: redis.url, logger: createLogger({ level: 'silent' }) });
  await connection.ready(5_000);
  store = createRedisOAuthStore(connection, { now: Date.now });
});

after(async () => {
  await connection?.close();
  await redis?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function cli(script: string, env: Record<string, string>, ...args: string[]) {
  const result = spawnSync(process.execPath, [`src/oauth/cli/${script}.ts`, ...args], {
    env: { ...process.env, DATA_DIR: dataDir, ...env },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('operator CLIs on the shared state (STATE_STORE_URL)', () => {
  it('clients list and revoke work on the clients and grants in Redis; DATA_DIR stays untouched', async () => {
    const now = Date.now();
    await store.saveClient({
      clientId: 'shared-1',
      clientName: 'Shared',
      redirectUris: [REDIRECT],
      grantTypes: ['authorization_code'],
      responseTypes: ['code'],
      tokenEndpointAuthMethod: 'none',
      issuedAt: Math.floor(now / 1000),
    });
    const family = {
      familyId: 'fam-1',
      clientId: 'shared-1',
      subject: 'ann',
      scopes: ['mssql:read'],
      resource: `${BASE}/mcp`,
      createdAt: now,
      revoked: false,
    };
    await store.createFamily(family, { tokenHash: 'tok-1', familyId: 'fam-1', expiresAt: now + 60_000 });

    const listed = cli('clients', { STATE_STORE_URL: redis.url }, 'list', '--json');
    assert.equal(listed.status, 0, listed.stderr);
    const rows = listed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(
      rows.map((row) => [row.clientId, row.clientName, row.activeGrants]),
      [['shared-1', 'Shared', 1]],
    );

    const revoked = cli('clients', { STATE_STORE_URL: redis.url }, 'revoke', 'shared-1');
    assert.equal(revoked.status, 0, revoked.stderr);
    assert.deepEqual(JSON.parse(revoked.stdout), { clientId: 'shared-1', deleted: true, grantsRevoked: 1 });
    assert.equal(await store.getClient('shared-1'), undefined);
    assert.equal((await store.getFamily('fam-1'))?.revoked, true);
    assert.deepEqual(readdirSync(dataDir), [], 'no sqlite store was created in DATA_DIR');
  });

  it('rotate-keys adds the signing key every replica reads from Redis, retiring the previous one', async () => {
    const first = cli('rotate-keys', { STATE_STORE_URL: redis.url });
    const second = cli('rotate-keys', { STATE_STORE_URL: redis.url });
    assert.equal(second.status, 0, second.stderr);
    const active = [JSON.parse(first.stdout).active as string, JSON.parse(second.stdout).active as string];
    const keys = await store.listKeys();
    assert.deepEqual(
      keys.map((key) => [key.kid, key.retiredAt === undefined]),
      [
        [active[0], false],
        [active[1], true],
      ],
    );
  });

  it('an unreachable state store is a clear error with exit code 2, not a fallback to DATA_DIR', () => {
    const result = cli('clients', { STATE_STORE_URL: 'redis://127.0.0.1:1' }, 'list');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^clients: the state store at .* does not answer \(STATE_STORE_URL\)/);
  });
});
