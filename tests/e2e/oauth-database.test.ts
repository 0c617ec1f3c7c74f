/**
 * The real connector on the real database path (the sandbox over TDS, or SQL Server with
 * MSSQL_TEST_HOST) with OAuth switched on by AUTH_USERS: a token obtained through sign-in and
 * consent reaches tools/list and a search that runs real SQL; a cached result id that client
 * produced opens on the operator's signed-in record page and stays closed to every other client.
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
import { actionUrl, exchange } from '../oauth/flow.ts';
import { BASE, browser, formPost, operatorHash, parseForm, PASSWORD, USER } from '../oauth/helpers.ts';
import { connectClient, fetchId, search, type ToolErrorBody } from './mcp-client.ts';

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

  it("a result id from one client's tool call opens on the operator's record page and stays refused to other clients", async () => {
    const fetcher = (url: string, init?: RequestInit) => fetch(url.replace(BASE, server.base), init);
    const owner = await connectClient(server.mcpUrl, (await exchange({ fetch: fetcher })).tokens.access_token);
    const query = await search(owner, 'SELECT TOP 3 Name, Price FROM dbo.Products ORDER BY Price DESC');
    assert.equal(query.isError, false, JSON.stringify(query.body));
    const set = query.body.results.find((item) => item.id.startsWith('result:'));
    const row = query.body.results.find((item) => item.id.startsWith('resultrow:'));
    assert.ok(set && row, JSON.stringify(query.body));
    assert.equal((await fetchId(owner, set.id)).isError, false, 'the producing client fetches its own result');
    await owner.close();

    // Another OAuth client and an API key: confined to their own scope.
    const other = await connectClient(server.mcpUrl, (await exchange({ fetch: fetcher })).tokens.access_token);
    const keyClient = await connectClient(server.mcpUrl, server.apiKey);
    for (const client of [other, keyClient]) {
      for (const id of [set.id, row.id]) {
        const refused = await fetchId(client, id);
        assert.equal(refused.isError, true);
        assert.equal((refused.body as unknown as ToolErrorBody).error.code, 'NOT_FOUND');
      }
      await client.close();
    }

    // The operator clicks the citation: sign-in, then the record page with the rows.
    const agent = browser((url, init) => fetch(url, init));
    const first = await agent.go(set.url);
    assert.equal(first.status, 302);
    const signinUrl = new URL(first.headers.get('Location') ?? '', set.url).href;
    const form = parseForm(await (await agent.go(signinUrl)).text());
    const back = await agent.go(actionUrl(signinUrl, form.action), formPost({ ...form.fields, username: USER, password: PASSWORD }));
    assert.equal(back.status, 303);
    for (const url of [set.url, row.url]) {
      const page = await agent.go(url);
      assert.equal(page.status, 200, url);
      const text = await page.text();
      assert.match(text, /Price/);
    }
  });
});
