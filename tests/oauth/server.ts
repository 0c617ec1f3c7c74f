/**
 * Starts the real connector through its composition root (`loadConfig` → `startServer`): the OAuth
 * server built from AUTH_USERS with its sqlite store in DATA_DIR, the public-URL middleware,
 * bearer auth and MCP transports on a real socket on 127.0.0.1. Research is the seam's in-memory
 * implementation (tests/http/fixtures.ts) and the Db answers only the startup privilege check
 * and health, so these end-to-end tests need no database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/types.ts';
import { startServer, type ServerOverrides } from '../../src/index.ts';
import { createLogger } from '../../src/logger.ts';
import { dbUp, memoryResearch } from '../http/fixtures.ts';
import { operatorHash, USER } from './helpers.ts';

export interface OAuthServer {
  /** Listening origin, e.g. `http://127.0.0.1:41234` (the public origin in development). */
  url: string;
  /** url + `/chatgpt`: the issuer. */
  base: string;
  mcpUrl: URL;
  /** The server's JSON log lines (`msg` is the event). */
  logs: Record<string, unknown>[];
  /** The Prometheus scrape URL, when METRICS_PORT is set in `env`. */
  metricsUrl: string | undefined;
  close(): Promise<void>;
}

/** A Db for a server whose research is in memory: a reader login, healthy, nothing else. */
function readerOnlyDb(): Db {
  const unused = async (): Promise<never> => {
    throw new Error('the in-memory research does not query');
  };
  return {
    query: unused,
    catalog: unused,
    ping: dbUp().ping,
    checkPrivileges: async () => ({ login: 'reader', canWrite: false, findings: [] }),
    close: async () => undefined,
  };
}

/**
 * `dataDir` keeps the OAuth state across a stop and a new start on the same directory; without it
 * a temporary directory is used and removed on close.
 */
export async function startOAuthServer(
  options: { dataDir?: string; port?: number; env?: Record<string, string>; overrides?: ServerOverrides } = {},
): Promise<OAuthServer> {
  const ownDir = options.dataDir === undefined ? mkdtempSync(join(tmpdir(), 'oauth-server-')) : undefined;
  const logs: Record<string, unknown>[] = [];
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(options.port ?? 0),
    ENVIRONMENT_PATH: '/chatgpt',
    MSSQL_HOST: '127.0.0.1',
    MSSQL_DATABASE: 'unused',
    MSSQL_USER: 'reader',
    MSSQL_PASSWORD: 'unused',
    DATA_DIR: options.dataDir ?? ownDir ?? '',
    AUTH_USERS: `${USER}:${await operatorHash()}`,
    RATE_LIMIT_PER_MINUTE: '10000',
    ...options.env,
  });
  const server = await startServer(config, {
    db: readerOnlyDb(),
    research: memoryResearch(),
    logger: createLogger({ level: 'info', write: (line) => logs.push(JSON.parse(line) as Record<string, unknown>) }),
    shutdownGraceMs: 500,
    ...options.overrides,
  });
  return {
    url: server.url,
    base: server.publicBase,
    mcpUrl: new URL(`${server.publicBase}/mcp`),
    logs,
    metricsUrl: server.metricsUrl,
    async close() {
      await server.close();
      if (ownDir) rmSync(ownDir, { recursive: true, force: true });
    },
  };
}
