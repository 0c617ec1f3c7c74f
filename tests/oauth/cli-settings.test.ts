/**
 * The operator CLIs and the server read DATA_DIR (and ACCESS_TOKEN_TTL_SECONDS) through one
 * schema: without DATA_DIR, `npm run rotate-keys` must rotate the keys of the store the server
 * uses (it used to default to ./data while the server used ./.data, and exited 0 on the wrong one).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadCliSettings, loadConfig } from '../../src/config.ts';
import { hashPassword } from '../../src/oauth/core/password.ts';

const OPERATOR = `op:${await hashPassword('correct horse battery staple', 10)}`;
const root = resolve(new URL('../../', import.meta.url).pathname);
const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function runIn(cwd: string, script: string, env: Record<string, string>, ...args: string[]) {
  const { DATA_DIR: _d, ACCESS_TOKEN_TTL_SECONDS: _t, ...rest } = process.env;
  return spawnSync(process.execPath, [join(root, script), ...args], { cwd, env: { ...rest, ...env }, encoding: 'utf8' });
}

describe('one configuration source for the server and the CLIs', () => {
  it('the CLIs default DATA_DIR exactly as the server does', () => {
    const server = loadConfig({ MSSQL_HOST: 'h', MSSQL_USER: 'u', MSSQL_PASSWORD: 'p', MSSQL_DATABASE: 'd', AUTH_USERS: OPERATOR });
    assert.equal(loadCliSettings({}).dataDir, server.dataDir);
    assert.equal(loadCliSettings({}).accessTokenTtlSeconds, server.oauth?.accessTokenTtlSeconds);
    assert.equal(loadCliSettings({ DATA_DIR: '/srv/x', ACCESS_TOKEN_TTL_SECONDS: '600' }).accessTokenTtlSeconds, 600);
  });

  it('rotate-keys without DATA_DIR writes the store in the server default folder, then clients lists from it', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'cli-settings-'));
    dirs.push(cwd);
    const rotated = runIn(cwd, 'src/oauth/cli/rotate-keys.ts', {});
    assert.equal(rotated.status, 0, rotated.stderr);
    assert.ok(existsSync(join(cwd, '.data', 'oauth.sqlite')), 'store created under ./.data');
    assert.ok(!existsSync(join(cwd, 'data')), 'no store under ./data');
    const listed = runIn(cwd, 'src/oauth/cli/clients.ts', {}, 'list');
    assert.equal(listed.status, 0, listed.stderr);
  });

  for (const [value, why] of [
    ['0x10', 'hexadecimal'],
    ['-5', 'negative'],
    ['ten', 'not a number'],
  ] as const) {
    it(`rotate-keys refuses ACCESS_TOKEN_TTL_SECONDS=${value} (${why}) naming the variable, exit 1`, () => {
      const cwd = mkdtempSync(join(tmpdir(), 'cli-settings-'));
      dirs.push(cwd);
      const run = runIn(cwd, 'src/oauth/cli/rotate-keys.ts', { ACCESS_TOKEN_TTL_SECONDS: value });
      assert.equal(run.status, 1);
      assert.match(run.stderr, /^rotate-keys: ACCESS_TOKEN_TTL_SECONDS: /);
      assert.ok(!existsSync(join(cwd, '.data')), 'nothing written');
    });
  }
});
