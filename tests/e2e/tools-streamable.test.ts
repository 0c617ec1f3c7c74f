import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { TestServer } from '../helpers/server.ts';
import { startTestServer } from '../helpers/server.ts';
import type { ToolErrorBody } from './mcp-client.ts';
import { callTool, connectClient, fetchId, search } from './mcp-client.ts';

let server: TestServer;
let client: Client;

before(async () => {
  server = await startTestServer({ env: { MAX_SEARCH_RESULTS: '20', DENY_TABLES: 'hr.SalaryHistory' } });
  client = await connectClient(server.mcpUrl, server.apiKey);
});

after(async () => {
  await client?.close();
  await server?.close();
});

const recordUrl = (base: string) => new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/records/.+`);

describe('tools over Streamable HTTP with the MCP SDK client, on the sandbox reader login', () => {
  it('lists search and fetch with the Deep Research contract and gives instructions about the database (items 33-34)', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((tool) => tool.name).sort(), ['fetch', 'search']);
    for (const tool of tools) {
      assert.equal(tool.annotations?.readOnlyHint, true);
      assert.equal(tool.annotations?.destructiveHint, false);
      assert.equal(tool.annotations?.openWorldHint, false);
      assert.ok(tool.title);
      assert.ok(tool.outputSchema);
    }
    const instructions = client.getInstructions() ?? '';
    assert.ok(instructions.length > 40, instructions);
    assert.match(instructions, /sales|Orders|Customers/i);
  });

  it('lists tables with absolute citation URLs under the public prefix', async () => {
    const { isError, body } = await search(client, 'list tables');
    assert.equal(isError, false);
    assert.ok(body.results.length >= 10);
    assert.ok(body.results.some((result) => /Orders/.test(result.title)));
    for (const result of body.results) assert.match(result.url, recordUrl(server.base));
  });

  it('lists the tables of one schema', async () => {
    const { body } = await search(client, 'list tables in sales');
    assert.ok(body.results.length > 0);
    assert.ok(
      body.results.every((result) => /sales/i.test(result.id + result.title)),
      JSON.stringify(body.results.map((r) => r.id)),
    );
  });

  it('describes a table and fetches its document by table id', async () => {
    const { body } = await search(client, 'describe sales.Orders');
    const table = body.results[0]!;
    assert.match(table.id, /^table:/);
    const document = await fetchId(client, table.id);
    assert.equal(document.isError, false);
    assert.equal(document.body.id, table.id);
    assert.match(document.body.text, /OrderID/);
    assert.match(document.body.url, recordUrl(server.base));
  });

  it('samples rows with a limit, and each row id can be fetched again from the database', async () => {
    const { body } = await search(client, 'sample sales.Customers limit 3');
    const rows = body.results.filter((result) => result.id.startsWith('row:'));
    assert.equal(rows.length, 3);
    const row = await fetchId(client, rows[0]!.id);
    assert.equal(row.isError, false);
    assert.equal(row.body.id, rows[0]!.id);
  });

  it('runs a read-only SELECT: one result for the set plus one per row, result and row ids fetchable', async () => {
    const { isError, body } = await search(client, 'SELECT TOP 3 OrderID, Status FROM sales.Orders ORDER BY OrderID');
    assert.equal(isError, false);
    const set = body.results.find((result) => result.id.startsWith('result:'));
    assert.ok(set, JSON.stringify(body.results.map((r) => r.id)));
    const perRow = body.results.filter((result) => result.id !== set.id);
    assert.equal(perRow.length, 3);
    const fetchedSet = await fetchId(client, set.id);
    assert.equal(fetchedSet.isError, false);
    assert.match(fetchedSet.body.text, /OrderID/);
    const fetchedRow = await fetchId(client, perRow[0]!.id);
    assert.equal(fetchedRow.isError, false);
  });

  it('fetches every id kind search hands out: table, row, result set and result row', async () => {
    const ids = new Map<string, string>();
    for (const query of [
      'describe sales.Orders',
      'SELECT TOP 2 OrderID, Status FROM sales.Orders ORDER BY OrderID',
      'SELECT TOP 2 Status, COUNT(*) AS n FROM sales.Orders GROUP BY Status',
    ]) {
      for (const result of (await search(client, query)).body.results) ids.set(result.id.split(':')[0]!, result.id);
    }
    assert.deepEqual([...ids.keys()].sort(), ['result', 'resultrow', 'row', 'table']);
    for (const [kind, id] of ids) {
      const document = await fetchId(client, id);
      assert.equal(document.isError, false, `${kind}: ${JSON.stringify(document.body)}`);
      assert.equal(document.body.id, id);
      assert.ok(document.body.text.length > 0);
      assert.match(document.body.url, recordUrl(server.base));
    }
  });

  it('runs a CTE', async () => {
    const { isError, body } = await search(
      client,
      'WITH c AS (SELECT TOP 2 CustomerID FROM sales.Customers ORDER BY CustomerID) SELECT * FROM c',
    );
    assert.equal(isError, false);
    assert.ok(body.results.length >= 2);
  });

  it('caps rows at MAX_SEARCH_RESULTS and says truncated', async () => {
    const { isError, body } = await search(client, 'SELECT OrderID FROM sales.Orders');
    assert.equal(isError, false);
    assert.equal(body.truncated, true);
    assert.ok(body.results.length <= 21);
  });

  it('answers natural language with matching tables and rows (the recall needle)', async () => {
    const { isError, body } = await search(client, 'safety recall pedestal fan');
    assert.equal(isError, false);
    assert.ok(body.results.length > 0);
    assert.ok(
      body.results.some((result) => /recall|pedestal fan/i.test(result.title + (result.text ?? ''))),
      JSON.stringify(body.results.slice(0, 5)),
    );
  });

  const refusals: [string, string][] = [
    ['DELETE FROM sales.Orders', 'READ_ONLY_VIOLATION'],
    ['SELECT * INTO dbo.Copy FROM sales.Orders', 'READ_ONLY_VIOLATION'],
    ["EXEC('DROP TABLE sales.Orders')", 'READ_ONLY_VIOLATION'],
    ['SELECT FROM WHERE', 'SQL_PARSE_ERROR'],
    [`SELECT ${'1 + '.repeat(6000)}1`, 'SQL_TOO_LONG'],
    ['SELECT * FROM hr.SalaryHistory', 'OBJECT_NOT_ALLOWED'],
  ];
  for (const [sql, code] of refusals) {
    it(`refuses ${sql.slice(0, 40)}… with ${code} as a tool error`, async () => {
      const { isError, body } = await callTool<ToolErrorBody>(client, 'search', { query: sql });
      assert.equal(isError, true);
      assert.equal(body.error.code, code);
      assert.ok(body.error.message.length > 10);
    });
  }

  it('answers an unknown or expired id with a tool error that says what to do', async () => {
    for (const id of ['result:00000000-0000-4000-8000-000000000000', 'nonsense']) {
      const { isError, body } = await callTool<ToolErrorBody>(client, 'fetch', { id });
      assert.equal(isError, true, id);
      assert.match(body.error.code, /NOT_FOUND|INVALID_INPUT/);
    }
  });

  it('scopes result ids to the caller: another principal cannot fetch them', async () => {
    const { body } = await search(client, 'SELECT TOP 1 OrderID FROM sales.Orders');
    const set = body.results.find((result) => result.id.startsWith('result:'))!;
    const other = await connectClient(server.mcpUrl, server.otherApiKey);
    try {
      const { isError } = await fetchId(other, set.id);
      assert.equal(isError, true);
    } finally {
      await other.close();
    }
  });

  it('writes one audit line per tool call without the SQL text or the key', async () => {
    const before = server.logs.length;
    await search(client, "SELECT TOP 1 Name FROM dbo.Products WHERE Name LIKE '%needle-text%'");
    const lines = server.logs.slice(before).filter((line) => line.msg === 'tool_call');
    assert.equal(lines.length, 1);
    assert.equal(lines[0]!.tool, 'search');
    assert.equal(lines[0]!.form, 'sql');
    assert.doesNotMatch(JSON.stringify(server.logs), new RegExp(`needle-text|${server.apiKey}`));
  });
});
