import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { fedAuthFromEnv } from '../../sandbox/fedauth-env.ts';
import { startSandbox, type Sandbox } from '../../sandbox/index.ts';
import { loadConfig } from '../../src/config.ts';
import { createDb, DbError } from '../../src/db/index.ts';
import type { Db } from '../../src/db/types.ts';

const AUDIENCE = 'https://database.windows.net/';
const ISSUER = 'https://sts.windows.net/00000000-0000-0000-0000-000000000001/';
const dir = mkdtempSync(join(tmpdir(), 'fedauth-'));
const tokenFile = join(dir, 'access-token');
let sandbox: Sandbox;
let key: CryptoKey;
let otherKey: CryptoKey;
const opened: Db[] = [];

const sign = (
  claims: Record<string, unknown>,
  options: { signer?: CryptoKey; audience?: string; expiresIn?: string } = {},
): Promise<string> =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '1h')
    .sign(options.signer ?? key);

let stamp = 0;
function writeToken(token: string): void {
  writeFileSync(tokenFile, `${token}\n`);
  stamp += 10;
  utimesSync(tokenFile, new Date(), new Date(Date.now() + stamp * 1000));
}

/** The connector's own Db, configured as an operator would: MSSQL_AUTH=entra-access-token. */
function connectorDb(poolMax = 2): Db {
  const config = loadConfig({
    MSSQL_HOST: sandbox.host,
    MSSQL_PORT: String(sandbox.port),
    MSSQL_DATABASE: sandbox.database,
    MSSQL_ENCRYPT: 'false',
    MSSQL_AUTH: 'entra-access-token',
    MSSQL_ACCESS_TOKEN_FILE: tokenFile,
    MCP_API_KEY: 'k'.repeat(32),
  });
  const db = createDb({
    ...config.mssql,
    poolMax,
    maxConcurrent: poolMax,
    lockTimeoutMs: 10_000,
    connectTimeoutMs: 5_000,
    appName: 'fedauth-test',
  });
  opened.push(db);
  return db;
}

const opts = { maxRows: 5, timeoutMs: 10_000 };
const loginName = async (db: Db): Promise<unknown> => (await db.query('SELECT SUSER_SNAME() AS login', [], opts)).rows[0]?.[0];

describe('sandbox federated authentication (LOGIN7 FEDAUTH access token) with the real mssql driver', () => {
  before(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    key = pair.privateKey;
    ({ privateKey: otherKey } = await generateKeyPair('RS256'));
    sandbox = await startSandbox({
      port: 0,
      fedAuth: {
        jwks: { keys: [publicJwk] },
        issuer: ISSUER,
        logins: { 'alice@corp.example': 'reader', 'bob@corp.example': 'reader', '11111111-2222-3333-4444-555555555555': 'reader' },
      },
    });
  });
  after(async () => {
    for (const db of opened) await db.close();
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs in as the upn of a valid token, and the startup privilege check sees a read-only login', async () => {
    writeToken(await sign({ upn: 'alice@corp.example', oid: 'aaaaaaaa-0000-0000-0000-000000000000' }));
    const db = connectorDb();
    assert.equal(await loginName(db), 'alice@corp.example');
    const report = await db.checkPrivileges();
    assert.equal(report.canWrite, false, report.findings.join('; '));
  });

  it("maps an application's token by its oid (a service principal or managed identity)", async () => {
    writeToken(await sign({ oid: '11111111-2222-3333-4444-555555555555', appid: 'app' }));
    assert.equal(await loginName(connectorDb()), '11111111-2222-3333-4444-555555555555');
  });

  it('re-reads the token file for new connections when it changes', async () => {
    writeToken(await sign({ upn: 'alice@corp.example' }));
    const db = connectorDb(2);
    assert.equal(await loginName(db), 'alice@corp.example');
    writeToken(await sign({ upn: 'bob@corp.example' }));
    // Alice's pooled connection stays busy, so the second query needs a new connection: it logs in with the new token.
    const busy = db.query("WAITFOR DELAY '00:00:01.500'; SELECT SUSER_SNAME() AS login", [], opts);
    await delay(200);
    const fresh = await db.query('SELECT SUSER_SNAME() AS login', [], opts);
    assert.equal((await busy).rows[0]?.[0], 'alice@corp.example');
    assert.equal(fresh.rows[0]?.[0], 'bob@corp.example');
  });

  const refused: Array<[string, () => Promise<string>]> = [
    ['signed with another key', () => sign({ upn: 'alice@corp.example' }, { signer: otherKey })],
    ['for another audience', () => sign({ upn: 'alice@corp.example' }, { audience: 'https://management.azure.com/' })],
    ['expired', () => sign({ upn: 'alice@corp.example' }, { expiresIn: '-1m' })],
    ['for a principal with no login', () => sign({ upn: 'mallory@corp.example' })],
    ['that is not a JWT', async () => 'not-a-token'],
  ];
  for (const [name, make] of refused) {
    it(`refuses a token ${name} (login failed, no session)`, async () => {
      writeToken(await make());
      const err = await loginName(connectorDb(1)).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof DbError, String(err));
      assert.match(`${err.message} ${String((err.cause as Error | undefined)?.message)}`, /Login failed|18456|login/i);
    });
  }
});

describe('sandbox federated authentication settings from its environment', () => {
  const envDir = mkdtempSync(join(tmpdir(), 'fedauth-env-'));
  after(() => rmSync(envDir, { recursive: true, force: true }));
  it('is off without SANDBOX_FEDAUTH_JWKS, and reads the key set, logins, issuer and audience', () => {
    assert.equal(fedAuthFromEnv({}), undefined);
    const file = join(envDir, 'jwks.json');
    writeFileSync(file, JSON.stringify({ keys: [{ kty: 'RSA', n: 'x', e: 'AQAB' }] }));
    const options = fedAuthFromEnv({
      SANDBOX_FEDAUTH_JWKS: file,
      SANDBOX_FEDAUTH_LOGINS: 'alice@corp.example=reader, admin@corp.example=owner',
      SANDBOX_FEDAUTH_ISSUER: ISSUER,
    });
    assert.deepEqual(options?.logins, { 'alice@corp.example': 'reader', 'admin@corp.example': 'owner' });
    assert.equal(options?.issuer, ISSUER);
    assert.equal(options?.jwks.keys.length, 1);
  });

  it('refuses a login entry without a known role, naming the variable', () => {
    const file = join(envDir, 'jwks2.json');
    writeFileSync(file, JSON.stringify({ keys: [] }));
    assert.throws(
      () => fedAuthFromEnv({ SANDBOX_FEDAUTH_JWKS: file, SANDBOX_FEDAUTH_LOGINS: 'alice@corp.example=admin' }),
      /SANDBOX_FEDAUTH_LOGINS/,
    );
  });
});
