import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/config.ts';
import type { RunningServer, ServerOverrides } from '../../src/index.ts';
import { startServer } from '../../src/index.ts';
import { createLogger } from '../../src/logger.ts';
import type { TestDatabase } from './database.ts';
import { databaseEnv, startTestDatabase } from './database.ts';

export interface TestServerOptions {
  /** Extra environment for loadConfig (e.g. `{ QUERY_TIMEOUT_MS: '300' }`). */
  env?: Record<string, string>;
  /** Reuse a database started by the test file (else one is started and closed with the server). */
  database?: TestDatabase;
  /** Without `database`: a sandbox of the server's own rather than the run's shared one (a test that stops it). */
  freshDatabase?: boolean;
  /** Which sandbox login the connector uses (default: the reader). */
  login?: 'reader' | 'owner';
  overrides?: ServerOverrides;
  /** Fixed keys (e.g. the same on two replicas); default: two random ones. */
  apiKeys?: [string, string];
}

export interface TestServer {
  /** Listening origin, e.g. `http://127.0.0.1:53121`. */
  url: string;
  /** `<url>/chatgpt` when ENVIRONMENT_PATH is /chatgpt (the default here), else the url. */
  base: string;
  mcpUrl: URL;
  sseUrl: URL;
  healthUrl: URL;
  /** Two keys, so tests can act as two principals. */
  apiKey: string;
  otherApiKey: string;
  database: TestDatabase;
  server: RunningServer;
  /** Parsed JSON log lines the server wrote. */
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * Starts the real connector (real mssql driver, guard, research, cache, Hono on a real socket on
 * 127.0.0.1 and a free port) against the sandbox — or the SQL Server named by MSSQL_TEST_HOST —
 * on the reader login. ENVIRONMENT_PATH is `/chatgpt` unless `env` says otherwise, so tests
 * exercise the prefixed paths the way ChatGPT calls them.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const ownDatabase = options.database === undefined;
  const database = options.database ?? (await startTestDatabase({ fresh: options.freshDatabase === true }));
  const login = options.login === 'owner' ? database.owner : database.reader;
  const [apiKey, otherApiKey] = options.apiKeys ?? [randomBytes(18).toString('base64url'), randomBytes(18).toString('base64url')];
  const logs: Record<string, unknown>[] = [];
  try {
    const config = loadConfig({
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      ENVIRONMENT_PATH: '/chatgpt',
      ...databaseEnv(database, login),
      MCP_API_KEY: `${apiKey},${otherApiKey}`,
      RATE_LIMIT_PER_MINUTE: '10000',
      ...options.env,
    });
    const logger = createLogger({ level: 'debug', write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>) });
    const server = await startServer(config, { logger, shutdownGraceMs: 2_000, ...options.overrides });
    const base = server.url + config.server.environmentPath;
    return {
      url: server.url,
      base,
      mcpUrl: new URL(`${base}/mcp`),
      sseUrl: new URL(`${base}/sse`),
      healthUrl: new URL(`${base}/health`),
      apiKey,
      otherApiKey,
      database,
      server,
      logs,
      async close() {
        await server.close();
        if (ownDatabase) await database.close();
      },
    };
  } catch (error) {
    if (ownDatabase) await database.close();
    throw error;
  }
}

/** Headers for the MCP SDK client transports (`requestInit`), as the Responses API sends them. */
export function bearer(key: string): { requestInit: RequestInit } {
  return { requestInit: { headers: { Authorization: `Bearer ${key}` } } };
}
