import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../src/config.ts';
import { ConfigError } from '../../../src/errors.ts';

const BASE = {
  MSSQL_HOST: 'db.internal',
  MSSQL_USER: 'reader',
  MSSQL_PASSWORD: 'pw',
  MSSQL_DATABASE: 'RetailDB',
  MCP_API_KEY: 'k'.repeat(24),
};

function refusal(env: Record<string, string>): ConfigError {
  try {
    loadConfig({ ...BASE, ...env });
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error;
  }
  assert.fail('expected a ConfigError');
}

describe('STATE_STORE_URL', () => {
  it('is off by default: state stays in the process', () => {
    assert.equal(loadConfig(BASE).stateStore, undefined);
    assert.equal(loadConfig({ ...BASE, STATE_STORE_URL: '  ' }).stateStore, undefined);
  });

  const accepted: Array<[string, string]> = [
    ['redis://redis:6379/0', 'redis://redis:6379/0'],
    ['redis://default:s3cr3t@redis:6379', 'redis://default:***@redis:6379'],
    ['rediss://connector:p%40ss@cache.example.com:6380/2', 'rediss://connector:***@cache.example.com:6380/2'],
  ];
  for (const [url, display] of accepted) {
    it(`accepts ${display} and shows it with the password masked`, () => {
      assert.equal(loadConfig({ ...BASE, STATE_STORE_URL: url }).stateStore?.display, display);
    });
  }

  const refused: Array<[string, RegExp]> = [
    ['http://redis:6379', /redis:\/\/ or rediss:\/\//],
    ['redis-host:6379', /redis:\/\/|rediss:\/\//],
    ['redis://:hunter2@redis:6379/db', /database must be a number/],
    ['not a url with hunter2', /redis:\/\//],
  ];
  for (const [url, pattern] of refused) {
    it(`refuses ${JSON.stringify(url.replace('hunter2', '…'))} naming the variable and never the password`, () => {
      const error = refusal({ STATE_STORE_URL: url });
      assert.equal(error.variable, 'STATE_STORE_URL');
      assert.match(error.message, pattern);
      assert.doesNotMatch(error.message, /hunter2/);
    });
  }

  it('takes STATE_STORE_CA_FILE only with a rediss:// URL', () => {
    assert.equal(
      loadConfig({ ...BASE, STATE_STORE_URL: 'rediss://redis:6380', STATE_STORE_CA_FILE: '/etc/ca.pem' }).stateStore?.caFile,
      '/etc/ca.pem',
    );
    assert.equal(refusal({ STATE_STORE_URL: 'redis://redis:6379', STATE_STORE_CA_FILE: '/etc/ca.pem' }).variable, 'STATE_STORE_CA_FILE');
    assert.equal(refusal({ STATE_STORE_CA_FILE: '/etc/ca.pem' }).variable, 'STATE_STORE_CA_FILE');
  });
});
