/**
 * Item 6 of issue 12: with SQL Server unreachable the connector still serves discovery and the
 * whole OAuth sign-in (register, authorize, operator sign-in, consent, token), and the token it
 * issues lists the tools; only the tools that need the database answer DB_UNAVAILABLE.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TestDatabase } from '../helpers/database.ts';
import { startTestDatabase } from '../helpers/database.ts';
import { freePort } from '../deploy/helpers/nginx.ts';
import type { TestServer } from '../helpers/server.ts';
import { startTestServer } from '../helpers/server.ts';
import { exchange } from '../oauth/flow.ts';
import { BASE, operatorHash, USER } from '../oauth/helpers.ts';
import type { ToolErrorBody } from './mcp-client.ts';
import { callTool, connectClient } from './mcp-client.ts';

const onSandbox = !process.env.MSSQL_TEST_HOST;
const dataDir = mkdtempSync(join(tmpdir(), 'oauth-nodb-'));
let database: TestDatabase;
let server: TestServer;

before(async () => {
  database = await startTestDatabase();
  // The sandbox's logins on a port where nothing listens: SQL Server is "down".
  const absent: TestDatabase = { ...database, port: await freePort(), close: async () => {} };
  server = await startTestServer({
    database: absent,
    env: { AUTH_USERS: `${USER}:${await operatorHash()}`, DATA_DIR: dataDir },
    overrides: { startupWaitMs: 200 },
  });
});

after(async () => {
  await server?.close();
  await database?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('discovery and sign-in without the database', {
  skip: onSandbox ? false : 'needs a database that is down; runs on the sandbox only',
}, () => {
  it('serves OAuth metadata and completes sign-in and consent while /health is 503', async () => {
    assert.equal((await fetch(server.healthUrl)).status, 503);
    const metadata = await fetch(`${server.url}/.well-known/oauth-authorization-server`);
    assert.equal(metadata.status, 200);
    const fetcher = (url: string, init?: RequestInit) => fetch(url.replace(BASE, server.base), init);
    const { tokens } = await exchange({ fetch: fetcher });
    assert.ok(tokens.access_token);
    const client = await connectClient(server.mcpUrl, tokens.access_token);
    try {
      assert.deepEqual((await client.listTools()).tools.map((tool) => tool.name).sort(), ['fetch', 'search']);
      const failed = await callTool<ToolErrorBody>(client, 'search', { query: 'list tables' });
      assert.equal(failed.isError, true);
      assert.equal(failed.body.error.code, 'DB_UNAVAILABLE');
    } finally {
      await client.close();
    }
  });
});
