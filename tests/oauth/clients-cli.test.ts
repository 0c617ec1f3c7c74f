/**
 * `npm run clients -- list | revoke <client_id>`: the CLI is spawned against a temporary DATA_DIR
 * whose sqlite store was filled through the real OAuth routes (registration, sign-in, consent,
 * code exchange); the verifier and the token endpoint then read the same file.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { listClientSummaries, revokeClient } from '../../src/oauth/core/client-admin.ts';
import { createMemoryStore } from '../../src/oauth/core/store-memory.ts';
import { createSqliteStore } from '../../src/oauth/core/store-sqlite.ts';
import type { EmbeddedOAuthStore } from '../../src/oauth/core/types.ts';
import { exchange, registerClient, tokenRequest } from './flow.ts';
import { BASE, createHarness } from './helpers.ts';

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'clients-cli-'));
  dirs.push(dir);
  return dir;
}

function cli(dataDir: string | undefined, ...args: string[]) {
  const result = spawnSync(process.execPath, ['src/oauth/cli/clients.ts', ...args], {
    env: { ...process.env, DATA_DIR: dataDir ?? '' },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const callStatus = async (h: Awaited<ReturnType<typeof createHarness>>, token: string) =>
  (await h.fetch(`${BASE}/mcp`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } })).status;

describe('npm run clients', () => {
  it('list shows each client with its name, redirect hosts, creation, last token issuance and active grants', async () => {
    const dataDir = tempDir();
    const store = createSqliteStore(dataDir);
    const h = await createHarness({ store });
    const { client } = await exchange(h);
    const idle = await registerClient(h.fetch, {
      client_name: 'Idle one',
      redirect_uris: ['https://claude.ai/api/cb', 'https://claude.ai/other'],
    });

    const json = cli(dataDir, 'list', '--json');
    assert.equal(json.status, 0, json.stderr);
    const rows = json.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const active = rows.find((row) => row.clientId === client.client_id);
    const unused = rows.find((row) => row.clientId === idle.client_id);
    assert.deepEqual(
      { name: active?.clientName, hosts: active?.redirectHosts, grants: active?.activeGrants, last: active?.lastUsedAt },
      { name: 'ChatGPT', hosts: ['chatgpt.com'], grants: 1, last: new Date(h.clock.now()).toISOString() },
    );
    assert.match(String(active?.createdAt), /^\d{4}-\d\d-\d\dT/);
    assert.deepEqual(
      { name: unused?.clientName, hosts: unused?.redirectHosts, grants: unused?.activeGrants, last: unused?.lastUsedAt },
      { name: 'Idle one', hosts: ['claude.ai'], grants: 0, last: undefined },
    );

    const human = cli(dataDir, 'list');
    assert.equal(human.status, 0, human.stderr);
    assert.match(human.stdout, /CLIENT ID\s+NAME\s+REDIRECT HOSTS\s+CREATED\s+LAST USED\s+ACTIVE GRANTS/);
    assert.ok(human.stdout.includes(client.client_id) && human.stdout.includes('Idle one'));
    await store.close();
  });

  it('revoke deletes the client and its grants: an access token issued before is refused and the refresh fails', async () => {
    const dataDir = tempDir();
    const store = createSqliteStore(dataDir);
    const h = await createHarness({ store });
    const { client, tokens } = await exchange(h);
    const bystander = await exchange(h);
    assert.equal(await callStatus(h, tokens.access_token), 200);

    const revoked = cli(dataDir, 'revoke', client.client_id);
    assert.equal(revoked.status, 0, revoked.stderr);
    assert.deepEqual(JSON.parse(revoked.stdout), { clientId: client.client_id, deleted: true, grantsRevoked: 1 });

    // The running server's verifier reads the same file: refused at the next check, not at expiry.
    assert.equal(await callStatus(h, tokens.access_token), 401);
    const refresh = await tokenRequest(h.fetch, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: client.client_id,
    });
    assert.ok(refresh.status >= 400 && !('access_token' in refresh.body), JSON.stringify(refresh.body));
    assert.equal(await callStatus(h, bystander.tokens.access_token), 200, 'other clients keep working');

    const listed = cli(dataDir, 'list', '--json').stdout;
    assert.ok(!listed.includes(client.client_id) && listed.includes(bystander.client.client_id));
    const again = cli(dataDir, 'revoke', client.client_id);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /no client/);
    await store.close();
  });

  it('refuses bad usage and a data directory without a store', () => {
    const dataDir = tempDir();
    for (const args of [[], ['revoke'], ['list', 'extra'], ['drop', 'x'], ['list', '--bogus']]) {
      assert.equal(cli(dataDir, ...args).status, 2, args.join(' '));
    }
    const missing = cli(join(dataDir, 'nope'), 'list');
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no OAuth store/);
  });
});

describe('client administration on both stores', () => {
  for (const [name, make] of [
    ['memory', () => createMemoryStore()],
    ['sqlite', () => createSqliteStore(tempDir())],
  ] as Array<[string, () => EmbeddedOAuthStore]>) {
    it(`${name}: lists clients oldest first, counts only unrevoked grants, and revoke ends every grant`, async () => {
      const store = make();
      const h = await createHarness({ store });
      const first = await exchange(h);
      h.clock.advance(60_000);
      const second = await registerClient(h.fetch);
      const ids = (await listClientSummaries(store)).map((row) => row.clientId);
      assert.ok(ids.indexOf(first.client.client_id) < ids.indexOf(second.client_id));
      assert.deepEqual(await revokeClient(store, first.client.client_id), { deleted: true, grantsRevoked: 1 });
      assert.equal(await store.getClient(first.client.client_id), undefined);
      assert.ok((await store.listGrants(first.client.client_id)).every((grant) => grant.revoked));
      assert.deepEqual(await revokeClient(store, first.client.client_id), { deleted: false, grantsRevoked: 0 });
      await store.close();
    });
  }
});
