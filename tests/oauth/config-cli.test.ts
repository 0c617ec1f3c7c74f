import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { OAuthConfigError, oauthConfigFromEnv, oauthEnvSchema } from '../../src/oauth/core/env.ts';
import { hashCost, hashPassword, parseAuthUsers, verifyPassword } from '../../src/oauth/core/password.ts';
import { createSqliteStore } from '../../src/oauth/core/store-sqlite.ts';
import { operatorHash } from './helpers.ts';

const run = promisify(execFile);

function runWithStdin(args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, args, (error, stdout, stderr) =>
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
    child.stdin?.end(input);
  });
}

describe('OAuth configuration', () => {
  it('defaults: off without AUTH_USERS, the documented TTLs, hosts and scopes', () => {
    const config = oauthConfigFromEnv(oauthEnvSchema.parse({}));
    assert.equal(config.enabled, false);
    assert.deepEqual(config.allowedRedirectHosts, ['chatgpt.com', 'openai.com', 'claude.ai', 'claude.com']);
    assert.equal(config.accessTokenTtlSeconds, 3600);
    assert.equal(config.refreshTokenTtlDays, 30);
    assert.deepEqual(config.scopes, ['mssql:read']);
    assert.deepEqual(config.defaultScopes, ['mssql:read']);
    assert.equal(config.codeTtlSeconds, 60);
  });

  it('AUTH_USERS implies OAuth on and accepts comma- and newline-separated entries', async () => {
    const hash = await operatorHash();
    const config = oauthConfigFromEnv(oauthEnvSchema.parse({ AUTH_USERS: `ann:${hash},\nbob:${hash}\n` }));
    assert.equal(config.enabled, true);
    assert.deepEqual(
      config.users.map((user) => user.user),
      ['ann', 'bob'],
    );
    assert.equal(oauthConfigFromEnv(oauthEnvSchema.parse({ AUTH_USERS: `ann:${hash}`, OAUTH_ENABLED: 'false' })).enabled, false);
  });

  for (const [label, value] of [
    ['a plain password', 'ann:secret'],
    ['no username', `:scrypt$15$8$1$${'a'.repeat(22)}$${'b'.repeat(43)}`],
    ['an absurd cost', `ann:scrypt$30$8$1$${'a'.repeat(22)}$${'b'.repeat(43)}`],
  ]) {
    it(`AUTH_USERS with ${label} is refused without echoing the value`, () => {
      const result = oauthEnvSchema.safeParse({ AUTH_USERS: value });
      assert.equal(result.success, false);
      assert.doesNotMatch(JSON.stringify(result.error?.issues), /secret|bbbb/);
    });
  }

  it('enabling OAuth without accounts, or default scopes outside OAUTH_SCOPES, names the variable', () => {
    assert.throws(
      () => oauthConfigFromEnv(oauthEnvSchema.parse({ OAUTH_ENABLED: 'true' })),
      (error: unknown) => error instanceof OAuthConfigError && error.variable === 'AUTH_USERS',
    );
    assert.throws(
      () => oauthConfigFromEnv(oauthEnvSchema.parse({ OAUTH_DEFAULT_SCOPES: 'admin' })),
      (error: unknown) => error instanceof OAuthConfigError && error.variable === 'OAUTH_DEFAULT_SCOPES',
    );
  });

  it('scrypt hashes verify the right password only; duplicate usernames are refused', async () => {
    const hash = await hashPassword('right password', 10);
    assert.equal(await verifyPassword('right password', hash), true);
    assert.equal(await verifyPassword('wrong password', hash), false);
    assert.equal(await verifyPassword('right password', 'scrypt$garbage'), false);
    assert.throws(() => parseAuthUsers(`ann:${hash},ann:${hash}`), /repeats/);
    assert.equal(hashCost(hash), 10, 'unknown users are checked against a dummy hash of this same cost');
  });
});

describe('OAuth command-line tools', () => {
  it('npm run hash-password prints a user:scrypt$ line that verifies, reading the password from stdin', async () => {
    const { code, stdout } = await runWithStdin(['src/oauth/cli/hash-password.ts', 'carol'], 'a long enough password\n');
    assert.equal(code, 0);
    const [user] = parseAuthUsers(stdout.trim());
    assert.equal(user?.user, 'carol');
    assert.equal(await verifyPassword('a long enough password', user?.hash ?? ''), true);
    assert.doesNotMatch(stdout, /a long enough password/);
  });

  it('hash-password refuses short passwords', async () => {
    const { code, stdout } = await runWithStdin(['src/oauth/cli/hash-password.ts', 'carol'], 'short');
    assert.notEqual(code, 0);
    assert.equal(stdout, '');
  });

  it('npm run rotate-keys adds a key that becomes active and keeps the previous one verifying', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rotate-'));
    try {
      const first = JSON.parse((await run(process.execPath, ['src/oauth/cli/rotate-keys.ts', '--data-dir', dir])).stdout) as {
        active: string;
      };
      const second = JSON.parse((await run(process.execPath, ['src/oauth/cli/rotate-keys.ts', '--data-dir', dir])).stdout) as {
        active: string;
        verifying: string[];
      };
      assert.notEqual(first.active, second.active);
      assert.deepEqual(second.verifying.sort(), [first.active, second.active].sort());
      const store = createSqliteStore(dir);
      const keys = await store.listKeys();
      await store.close();
      assert.equal(keys.find((key) => key.kid === first.active)?.retiredAt !== undefined, true);
      assert.equal(keys.find((key) => key.kid === second.active)?.retiredAt, undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
