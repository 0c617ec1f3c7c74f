import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_TRUSTED_PROXIES, loadConfig } from '../../src/config.ts';
import { ConfigError } from '../../src/errors.ts';
import { oauthConfigFromEnv, oauthEnvSchema } from '../../src/oauth/core/env.ts';
import { hashPassword } from '../../src/oauth/core/password.ts';
import { operatorHash } from '../oauth/helpers.ts';

const BASE = {
  MSSQL_HOST: 'db.internal',
  MSSQL_USER: 'reader',
  MSSQL_PASSWORD: 'S3cret-password!',
  MSSQL_DATABASE: 'RetailDB',
  MCP_API_KEY: 'k'.repeat(24),
};

function refused(env: Record<string, string>, variable: string, pattern?: RegExp): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    assert.equal(error.variable, variable);
    assert.match(error.message, new RegExp(`^${variable}: `));
    if (pattern) assert.match(error.message, pattern);
    return error;
  }
  assert.fail(`expected ${variable} to be refused`);
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(BASE);
    assert.equal(config.server.port, 8008);
    assert.equal(config.server.host, '0.0.0.0');
    assert.equal(config.mssql.port, 1433);
    assert.equal(config.mssql.encrypt, true);
    assert.equal(config.mssql.trustServerCertificate, false);
    assert.equal(config.limits.maxSearchResults, 50);
    assert.equal(config.limits.queryTimeoutMs, 15_000);
    assert.equal(config.limits.maxConcurrentQueries, 4);
    assert.equal(config.cache.ttlSeconds, 3600);
    assert.equal(config.server.rateLimitPerMinute, 100);
    assert.deepEqual(config.server.trustedProxies, DEFAULT_TRUSTED_PROXIES);
    assert.equal(config.server.environmentPath, '');
    assert.equal(config.dataDir, './.data');
    assert.equal(config.mssql.allowWritableLogin, false);
  });

  it('treats blank values as unset', () => {
    assert.equal(loadConfig({ ...BASE, PORT: '', LOG_LEVEL: '  ' }).server.port, 8008);
  });

  const booleans: [string, boolean][] = [
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['yes', true],
    ['Yes', true],
    ['false', false],
    ['0', false],
    ['no', false],
    ['NO', false],
  ];
  for (const [text, value] of booleans) {
    it(`parses boolean "${text}" as ${value}`, () => {
      assert.equal(loadConfig({ ...BASE, MSSQL_ENCRYPT: text }).mssql.encrypt, value);
    });
  }

  for (const text of ['maybe', 'on', 'enabled', '2', 'tru']) {
    it(`refuses boolean "${text}" naming the variable`, () => {
      refused({ ...BASE, MSSQL_ENCRYPT: text }, 'MSSQL_ENCRYPT', /true\/false/);
    });
  }

  const badValues: [string, string][] = [
    ['PORT', '70000'],
    ['PORT', 'eighty'],
    ['MSSQL_PORT', '-1'],
    ['MAX_SEARCH_RESULTS', '0'],
    ['QUERY_TIMEOUT_MS', '1.5'],
    ['RATE_LIMIT_PER_MINUTE', 'lots'],
    ['NODE_ENV', 'staging'],
    ['LOG_LEVEL', 'verbose'],
    ['ENVIRONMENT_PATH', 'chatgpt'],
    ['ENVIRONMENT_PATH', '/chat gpt'],
    ['ENVIRONMENT_PATH', '/../admin'],
    ['TRUSTED_PROXIES', '10.0.0.0/33'],
    ['TRUSTED_PROXIES', 'nginx'],
    ['PUBLIC_BASE_URL', 'data.example.com'],
    ['PUBLIC_BASE_URL', 'https://data.example.com/chatgpt'],
    ['PUBLIC_BASE_URL', 'http://data.example.com'],
    ['PUBLIC_BASE_URL', 'https://u:p@data.example.com'],
    ['PUBLIC_BASE_URL', 'ftp://data.example.com'],
    ['CACHE_MAX_MB', '0'],
  ];
  for (const [variable, value] of badValues) {
    it(`refuses ${variable}=${JSON.stringify(value)} naming ${variable}`, () => {
      refused({ ...BASE, [variable]: value }, variable);
    });
  }

  for (const variable of ['MSSQL_HOST', 'MSSQL_USER', 'MSSQL_PASSWORD', 'MSSQL_DATABASE']) {
    it(`requires ${variable}`, () => {
      const env: Record<string, string> = { ...BASE };
      delete env[variable];
      refused(env, variable, /required/);
    });
  }

  it('accepts several API keys and refuses a short one without echoing it', () => {
    const keys = `${'a'.repeat(16)}, ${'b'.repeat(40)}`;
    assert.deepEqual(loadConfig({ ...BASE, MCP_API_KEY: keys }).auth.apiKeys, ['a'.repeat(16), 'b'.repeat(40)]);
    const error = refused({ ...BASE, MCP_API_KEY: `${'a'.repeat(16)},short-key` }, 'MCP_API_KEY', /key #2 is 9 characters/);
    assert.doesNotMatch(error.message, /short-key/);
  });

  it('refuses to start with no authentication configured', () => {
    refused({ ...BASE, MCP_API_KEY: '' }, 'MCP_API_KEY', /no authentication/);
  });

  it('starts without keys when an unauthenticated switch is on outside production', () => {
    const config = loadConfig({ ...BASE, MCP_API_KEY: '', ALLOW_UNAUTH_METHODS: 'true' });
    assert.equal(config.auth.allowUnauthMethods, true);
  });

  for (const variable of ['ALLOW_UNAUTH_METHODS', 'ALLOW_UNAUTH_TOOLS_CALL', 'OAUTH_CIMD_ALLOW_PRIVATE_ADDRESSES']) {
    it(`refuses ${variable} in production`, () => {
      refused({ ...BASE, NODE_ENV: 'production', PUBLIC_BASE_URL: 'https://d.example.com', [variable]: 'true' }, variable, /production/);
    });
  }

  it('CIMD is on by default and OAUTH_CIMD=false turns it off; the private-address switch works outside production', async () => {
    const users = { AUTH_USERS: `ann:${await operatorHash()}` };
    const on = loadConfig({ ...BASE, ...users });
    assert.deepEqual(on.oauth?.cimd, { enabled: true, allowPrivateAddresses: false });
    assert.equal(loadConfig({ ...BASE, ...users, OAUTH_CIMD: 'false' }).oauth?.cimd.enabled, false);
    const test = loadConfig({ ...BASE, ...users, NODE_ENV: 'test', OAUTH_CIMD_ALLOW_PRIVATE_ADDRESSES: 'true' });
    assert.equal(test.oauth?.cimd.allowPrivateAddresses, true);
  });

  it('requires PUBLIC_BASE_URL in production and only https there', () => {
    refused({ ...BASE, NODE_ENV: 'production' }, 'PUBLIC_BASE_URL', /required in production/);
    refused({ ...BASE, NODE_ENV: 'production', PUBLIC_BASE_URL: 'http://localhost:8008' }, 'PUBLIC_BASE_URL', /https/);
  });

  it('accepts plain http for loopback hosts outside production, normalised to the origin', () => {
    for (const url of ['http://localhost:8008', 'http://127.0.0.1:9000/', 'http://[::1]:8008']) {
      const origin = loadConfig({ ...BASE, PUBLIC_BASE_URL: url }).server.publicBaseUrl;
      assert.equal(origin, url.replace(/\/$/, ''));
    }
    assert.equal(loadConfig({ ...BASE, PUBLIC_BASE_URL: 'https://Data.Example.com/' }).server.publicBaseUrl, 'https://data.example.com');
  });

  it('normalises ENVIRONMENT_PATH', () => {
    assert.equal(loadConfig({ ...BASE, ENVIRONMENT_PATH: '/chatgpt/' }).server.environmentPath, '/chatgpt');
    assert.equal(loadConfig({ ...BASE, ENVIRONMENT_PATH: '/' }).server.environmentPath, '');
    assert.equal(loadConfig({ ...BASE, ENVIRONMENT_PATH: '/team-a/chatgpt' }).server.environmentPath, '/team-a/chatgpt');
  });

  it('reads TrustServerCertificate when MSSQL_TRUST_SERVER_CERTIFICATE is unset, the explicit name winning', () => {
    assert.equal(loadConfig({ ...BASE, TrustServerCertificate: 'yes' }).mssql.trustServerCertificate, true);
    assert.equal(
      loadConfig({ ...BASE, TrustServerCertificate: 'yes', MSSQL_TRUST_SERVER_CERTIFICATE: 'false' }).mssql.trustServerCertificate,
      false,
    );
  });

  it('parses lists and byte sizes', () => {
    const config = loadConfig({
      ...BASE,
      DENY_SCHEMAS: 'audit, hr',
      ALLOW_TABLES: '',
      TRUSTED_PROXIES: '172.18.0.2, fd00::/8',
      CORS_ALLOWED_ORIGINS: 'https://a.example, https://b.example',
      CACHE_MAX_MB: '2',
    });
    assert.deepEqual(config.policy.denySchemas, ['audit', 'hr']);
    assert.equal(config.policy.allowTables, undefined);
    assert.deepEqual(config.server.trustedProxies, ['172.18.0.2', 'fd00::/8']);
    assert.deepEqual(config.server.corsAllowedOrigins, ['https://a.example', 'https://b.example']);
    assert.equal(config.cache.maxBytes, 2 * 1024 * 1024);
  });

  it('never puts the password in an error message', () => {
    const error = refused({ ...BASE, PORT: 'x' }, 'PORT');
    assert.doesNotMatch(error.message, /S3cret/);
  });

  it('turns OAuth on when AUTH_USERS is set, which is enough authentication without MCP_API_KEY', async () => {
    const hash = await hashPassword('correct horse battery staple', 10);
    const config = loadConfig({ ...BASE, MCP_API_KEY: '', AUTH_USERS: `operator:${hash}` });
    assert.ok(config.oauth);
    assert.equal(config.oauth.enabled, true);
    assert.equal(config.oauth.users[0]?.user, 'operator');
  });

  it('leaves OAuth off without AUTH_USERS and refuses OAUTH_ENABLED=true without an operator', () => {
    assert.equal(loadConfig(BASE).oauth, undefined);
    refused({ ...BASE, OAUTH_ENABLED: 'true' }, 'AUTH_USERS', /needs at least one account when OAUTH_ENABLED is true/);
  });

  it('reads OAUTH_ENABLED like every other boolean (yes/no/1/0, any case) and refuses anything else', () => {
    refused({ ...BASE, OAUTH_ENABLED: 'YES' }, 'AUTH_USERS');
    assert.equal(loadConfig({ ...BASE, OAUTH_ENABLED: 'no' }).oauth, undefined);
    refused({ ...BASE, OAUTH_ENABLED: 'perhaps' }, 'OAUTH_ENABLED', /must be true\/false\/1\/0\/yes\/no/);
  });

  it('reads every number as a plain decimal integer: 0x10, 1e3 and 12.5 are refused', () => {
    for (const value of ['0x10', '1e3', '12.5', ' 7 7']) {
      refused({ ...BASE, ACCESS_TOKEN_TTL_SECONDS: value }, 'ACCESS_TOKEN_TTL_SECONDS', /must be an integer/);
      refused({ ...BASE, QUERY_TIMEOUT_MS: value }, 'QUERY_TIMEOUT_MS', /must be an integer/);
    }
  });

  it('compares OAUTH_DEFAULT_SCOPES case-insensitively, as OAUTH_SCOPES', () => {
    const built = oauthConfigFromEnv(oauthEnvSchema.parse({ OAUTH_SCOPES: 'mssql:read,Extra:Scope', OAUTH_DEFAULT_SCOPES: 'EXTRA:scope' }));
    assert.deepEqual(built.defaultScopes, ['extra:scope']);
  });

  it('names the OAuth variable at fault', () => {
    refused({ ...BASE, ACCESS_TOKEN_TTL_SECONDS: '-5' }, 'ACCESS_TOKEN_TTL_SECONDS');
    refused({ ...BASE, AUTH_USERS: 'operator:not-a-hash' }, 'AUTH_USERS');
  });
});
