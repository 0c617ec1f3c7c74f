import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { demoEnvironment } from '../../scripts/demo-env.ts';
import { configVariableNames, loadConfig } from '../../src/config.ts';

const DEFAULTS: Record<string, string> = {
  NODE_ENV: 'development',
  LOG_LEVEL: 'warn',
  HOST: '127.0.0.1',
  PORT: '0',
  MSSQL_HOST: '127.0.0.1',
  MSSQL_PORT: '14330',
  MSSQL_DATABASE: 'sample',
  MSSQL_USER: 'reader',
  MSSQL_PASSWORD: 'reader-password',
  MCP_API_KEY: 'demo-key-0123456789abcdef',
  DATA_DIR: './.data/demo',
};

describe('npm run demo passes connector variables through (issue 9, item 6)', () => {
  it('lets every variable of the config schema override the demo default, and nothing else through', () => {
    const env: Record<string, string> = { PATH: '/usr/bin', SANDBOX_PORT: '5', HOME: '/root' };
    for (const name of configVariableNames) env[name] = `value-of-${name}`;
    const merged = demoEnvironment(DEFAULTS, env);
    for (const name of configVariableNames) assert.equal(merged[name], `value-of-${name}`, name);
    for (const name of ['PATH', 'SANDBOX_PORT', 'HOME']) assert.equal(merged[name], undefined, name);
  });

  it('keeps the demo default where a variable is unset or empty', () => {
    const merged = demoEnvironment(DEFAULTS, { LOG_LEVEL: '', MCP_API_KEY: '   ', QUERY_TIMEOUT_MS: undefined as unknown as string });
    assert.deepEqual(merged, DEFAULTS);
  });

  const cases: { name: string; value: string; read: (config: ReturnType<typeof loadConfig>) => unknown; expected: unknown }[] = [
    { name: 'QUERY_TIMEOUT_MS', value: '750', read: (c) => c.limits.queryTimeoutMs, expected: 750 },
    { name: 'RATE_LIMIT_PER_MINUTE', value: '7', read: (c) => c.server.rateLimitPerMinute, expected: 7 },
    { name: 'MAX_SEARCH_RESULTS', value: '3', read: (c) => c.limits.maxSearchResults, expected: 3 },
    { name: 'LOG_LEVEL', value: 'debug', read: (c) => c.logLevel, expected: 'debug' },
    { name: 'ENVIRONMENT_PATH', value: '/chatgpt', read: (c) => c.server.environmentPath, expected: '/chatgpt' },
  ];
  for (const { name, value, read, expected } of cases) {
    it(`${name}=${value} in the environment reaches the connector's configuration`, () => {
      const config = loadConfig(demoEnvironment(DEFAULTS, { [name]: value }));
      assert.deepEqual(read(config), expected);
    });
  }
});
