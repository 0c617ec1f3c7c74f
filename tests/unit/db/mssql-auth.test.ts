import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig } from '../../../src/config.ts';
import { driverConfig, type PoolOptions } from '../../../src/db/pool.ts';
import { ConfigError } from '../../../src/errors.ts';

const BASE = { MSSQL_HOST: 'sql.example', MSSQL_DATABASE: 'RetailDB', MCP_API_KEY: 'k'.repeat(32) };
const dir = mkdtempSync(join(tmpdir(), 'mssql-auth-'));
const tokenFile = join(dir, 'token');
writeFileSync(tokenFile, 'first-token\n');
after(() => rmSync(dir, { recursive: true, force: true }));

const poolOptions = (env: Record<string, string>): PoolOptions => {
  const config = loadConfig({ ...BASE, ...env });
  return { ...config.mssql, poolMax: 2, connectTimeoutMs: 1_000, appName: 'test' };
};

/** The driver's authentication and options as mssql hands them to tedious (the getter read like Object.assign does). */
const driverOf = (env: Record<string, string>) => {
  const config = driverConfig(poolOptions(env));
  return {
    auth: { ...(config.authentication as object) } as { type: string; options: Record<string, string> },
    options: config.options ?? {},
    config,
  };
};

describe('MSSQL_AUTH: the driver authentication built for each login mode', () => {
  const cases: Array<{ name: string; env: Record<string, string>; type: string; options: Record<string, string> }> = [
    {
      name: 'sql (default)',
      env: { MSSQL_USER: 'reader', MSSQL_PASSWORD: 'pw' },
      type: 'default',
      options: { userName: 'reader', password: 'pw' },
    },
    {
      name: 'ntlm',
      env: { MSSQL_AUTH: 'ntlm', MSSQL_USER: 'svc', MSSQL_PASSWORD: 'pw', MSSQL_DOMAIN: 'CORP' },
      type: 'ntlm',
      options: { userName: 'svc', password: 'pw', domain: 'CORP' },
    },
    {
      name: 'entra-service-principal',
      env: { MSSQL_AUTH: 'entra-service-principal', MSSQL_CLIENT_ID: 'app-id', MSSQL_CLIENT_SECRET: 's3cret', MSSQL_TENANT_ID: 'tenant' },
      type: 'azure-active-directory-service-principal-secret',
      options: { clientId: 'app-id', clientSecret: 's3cret', tenantId: 'tenant' },
    },
    {
      name: 'entra-managed-identity (system-assigned)',
      env: { MSSQL_AUTH: 'entra-managed-identity' },
      type: 'azure-active-directory-msi-vm',
      options: {},
    },
    {
      name: 'entra-managed-identity (user-assigned)',
      env: { MSSQL_AUTH: 'entra-managed-identity', MSSQL_CLIENT_ID: 'uami' },
      type: 'azure-active-directory-msi-vm',
      options: { clientId: 'uami' },
    },
    { name: 'entra-default', env: { MSSQL_AUTH: 'entra-default' }, type: 'azure-active-directory-default', options: {} },
    {
      name: 'entra-access-token',
      env: { MSSQL_AUTH: 'entra-access-token', MSSQL_ACCESS_TOKEN_FILE: tokenFile },
      type: 'azure-active-directory-access-token',
      options: { token: 'first-token' },
    },
  ];
  for (const c of cases) {
    it(`maps ${c.name} to tedious' ${c.type}`, () => {
      const { auth } = driverOf(c.env);
      assert.equal(auth.type, c.type);
      assert.deepEqual(auth.options, c.options);
    });
  }

  const missing: Array<[Record<string, string>, string]> = [
    [{ MSSQL_PASSWORD: 'pw' }, 'MSSQL_USER'],
    [{ MSSQL_USER: 'u' }, 'MSSQL_PASSWORD'],
    [{ MSSQL_AUTH: 'ntlm', MSSQL_USER: 'u', MSSQL_PASSWORD: 'pw' }, 'MSSQL_DOMAIN'],
    [{ MSSQL_AUTH: 'entra-service-principal', MSSQL_CLIENT_SECRET: 's', MSSQL_TENANT_ID: 't' }, 'MSSQL_CLIENT_ID'],
    [{ MSSQL_AUTH: 'entra-service-principal', MSSQL_CLIENT_ID: 'c', MSSQL_TENANT_ID: 't' }, 'MSSQL_CLIENT_SECRET'],
    [{ MSSQL_AUTH: 'entra-service-principal', MSSQL_CLIENT_ID: 'c', MSSQL_CLIENT_SECRET: 's' }, 'MSSQL_TENANT_ID'],
    [{ MSSQL_AUTH: 'entra-access-token' }, 'MSSQL_ACCESS_TOKEN_FILE'],
    [{ MSSQL_AUTH: 'kerberos' }, 'MSSQL_AUTH'],
  ];
  for (const [env, variable] of missing) {
    it(`refuses ${env.MSSQL_AUTH ?? 'sql'} without ${variable}, naming it`, () => {
      assert.throws(
        () => loadConfig({ ...BASE, ...env }),
        (e: unknown) => e instanceof ConfigError && e.message.includes(variable),
      );
    });
  }

  it('re-reads the access token file when it changes, for the next connection', () => {
    const { config } = driverOf({ MSSQL_AUTH: 'entra-access-token', MSSQL_ACCESS_TOKEN_FILE: tokenFile });
    const read = (): unknown => (({ ...(config.authentication as object) }) as { options: { token: string } }).options.token;
    assert.equal(read(), 'first-token');
    writeFileSync(tokenFile, 'second-token-longer\n');
    utimesSync(tokenFile, new Date(), new Date(Date.now() + 5_000));
    assert.equal(read(), 'second-token-longer');
  });

  it('sets ApplicationIntent=ReadOnly and a named instance when asked (SQL Browser gives the port)', () => {
    const { options } = driverOf({ MSSQL_USER: 'u', MSSQL_PASSWORD: 'p', MSSQL_READ_ONLY_INTENT: 'true', MSSQL_INSTANCE: 'SQLEXPRESS' });
    assert.equal((options as { readOnlyIntent?: boolean }).readOnlyIntent, true);
    assert.equal((options as { instanceName?: string }).instanceName, 'SQLEXPRESS');
    const plain = driverOf({ MSSQL_USER: 'u', MSSQL_PASSWORD: 'p' }).options as { readOnlyIntent?: boolean; instanceName?: string };
    assert.equal(plain.readOnlyIntent, undefined);
    assert.equal(plain.instanceName, undefined);
  });
});
