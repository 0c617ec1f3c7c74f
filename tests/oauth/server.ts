/**
 * Starts the server's real HTTP app (`createApp`: public-URL middleware, bearer auth, MCP
 * transports) with the OAuth integration wired the way `src/index.ts` should wire it, on a real
 * socket on 127.0.0.1. Research is the seam's in-memory implementation from tests/http/fixtures.ts,
 * so these end-to-end tests need no database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import type { Hono } from 'hono';
import { createApp } from '../../src/app.ts';
import type { AppEnv } from '../../src/http/context.ts';
import { createLogger } from '../../src/logger.ts';
import type { OAuth } from '../../src/oauth/index.ts';
import { createOAuthService } from '../../src/oauth/service.ts';
import { dbUp, memoryResearch, testConfig as appConfig } from '../http/fixtures.ts';
import { memoryLogger, testConfig } from './helpers.ts';

export interface OAuthServer {
  /** Listening origin, e.g. `http://127.0.0.1:41234` (also PUBLIC_BASE_URL). */
  url: string;
  /** url + `/chatgpt`: the issuer. */
  base: string;
  mcpUrl: URL;
  oauth: OAuth;
  logs: ReturnType<typeof memoryLogger>;
  close(): Promise<void>;
}

/**
 * `dataDir` keeps the OAuth state (sqlite) across a stop and a new start on the same directory;
 * without it a temporary directory is used and removed on close.
 */
export async function startOAuthServer(
  options: { dataDir?: string; port?: number; trustedProxies?: string[]; env?: Record<string, string> } = {},
): Promise<OAuthServer> {
  const logs = memoryLogger();
  const research = memoryResearch();
  const ownDir = options.dataDir === undefined ? mkdtempSync(join(tmpdir(), 'oauth-server-')) : undefined;
  const oauth = createOAuthService({
    config: await testConfig(options.env),
    dataDir: options.dataDir ?? ownDir ?? '',
    logger: logs,
    research,
  });
  let app: Hono<AppEnv> | undefined;
  const server = createAdaptorServer({ fetch: (request, env) => (app as Hono<AppEnv>).fetch(request, env) });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = appConfig({
    server: { publicBaseUrl: url, ...(options.trustedProxies ? { trustedProxies: options.trustedProxies } : {}) },
  });
  app = createApp({
    config,
    research,
    db: dbUp(),
    logger: createLogger({ level: 'silent' }),
    version: 'test',
    publicOrigin: url,
    oauth,
  });
  const base = `${url}/chatgpt`;
  return {
    url,
    base,
    mcpUrl: new URL(`${base}/mcp`),
    oauth,
    logs,
    async close() {
      await new Promise<void>((resolve) => {
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      });
      oauth.close();
      if (ownDir) rmSync(ownDir, { recursive: true, force: true });
    },
  };
}
