/**
 * The real connector on the real database path (the sandbox over TDS, or SQL Server with
 * MSSQL_TEST_HOST) with OAuth switched on by AUTH_USERS: a token obtained through sign-in and
 * consent reaches tools/list and a search that runs real SQL.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { TestServer } from '../helpers/server.ts';
import { startTestServer } from '../helpers/server.ts';
import { exchange } from '../oauth/flow.ts';
import { BASE, operatorHash, USER } from '../oauth/helpers.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'oauth-db-'));
let server: TestServer;

before(async () => {
  server = await startTestServer({ env: { AUTH_USERS: `${USER}:${await operatorHash()}`, DATA_DIR: dataDir } });
});
after(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('OAuth on the database-backed server', () => {
  it('a token from sign-in and consent lists the tools and runs a search on the database', async () => {
    const fetcher = (url: string, init?: RequestInit) => fetch(url.replace(BASE, server.base), init);
    const { tokens } = await exchange({ fetch: fetcher });
    const client = new Client({ name: 'oauth-db', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(server.mcpUrl, { requestInit: { headers: { Authorization: `Bearer ${tokens.access_token}` } } }),
    );
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((tool) => tool.name).sort(), ['fetch', 'search']);
    const result = await client.callTool({ name: 'search', arguments: { query: 'list tables' } });
    assert.notEqual(result.isError, true);
    const body = result.structuredContent as { results: Array<{ url: string }> };
    assert.ok(body.results.length > 0);
    assert.ok(body.results.every((item) => item.url.startsWith(`${server.base}/records/`)));
    await client.close();
    const logged = server.logs.find((line) => line.msg === 'oauth.consent_granted');
    assert.equal(logged?.operator, USER);
  });
});
