/**
 * Issue 10 item 12 (cells) over real sockets against the real server: one cell of 120 million
 * characters. The sandbox runs in its own process here, so the RSS measured is the connector's
 * (mssql driver, research, MCP) alone. SET TEXTSIZE keeps the server from sending more than the
 * cell budget; the connector cuts the cell at MAX_CELL_BYTES with a marker. The same holds for a
 * FOR JSON document, which the guard returns as one cell instead of chunks the driver would join.
 * An xml value, which TEXTSIZE does not cut, is refused at its metadata and never read.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CELL_TRUNCATED_MARKER } from '../../src/db/cell-bounds.ts';
import type { TestDatabase } from '../helpers/database.ts';
import type { TestServer } from '../helpers/server.ts';
import { startTestServer } from '../helpers/server.ts';
import { connectClient, fetchId, search, type ToolErrorBody } from './mcp-client.ts';

const MAX_CELL_BYTES = 2_000;
let child: ChildProcess | undefined;
let server: TestServer;
let client: Client;

/** `npm run sandbox` in a child process on a free port; resolves once it prints its ready line. */
async function sandboxProcess(): Promise<TestDatabase> {
  const proc = spawn(process.execPath, ['sandbox/main.ts'], {
    cwd: new URL('../../', import.meta.url),
    env: { ...process.env, SANDBOX_PORT: '0', SANDBOX_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child = proc;
  const line = await new Promise<string>((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`sandbox exited with ${code}`)));
    createInterface({ input: proc.stdout! }).once('line', resolve);
  });
  const ready = JSON.parse(line) as {
    host: string;
    port: number;
    database: string;
    logins: TestDatabase['reader'] extends infer L ? { owner: L; reader: L } : never;
  };
  return {
    kind: 'sandbox',
    host: ready.host,
    port: ready.port,
    database: ready.database,
    owner: ready.logins.owner,
    reader: ready.logins.reader,
    close: async () => undefined,
  };
}

before(async () => {
  const database = process.env.MSSQL_TEST_HOST ? undefined : await sandboxProcess();
  server = await startTestServer({
    ...(database ? { database } : {}),
    env: { MAX_CELL_BYTES: String(MAX_CELL_BYTES), MAX_RESULT_BYTES: '200000', QUERY_TIMEOUT_MS: '120000' },
  });
  client = await connectClient(server.mcpUrl, server.apiKey);
});
after(async () => {
  await client?.close();
  await server?.close();
  child?.kill('SIGTERM');
});

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

/** Runs `attack`, sampling RSS every 20 ms: after and at peak, within 100 MB of before. */
async function withinRss(attack: () => Promise<void>): Promise<void> {
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  try {
    await attack();
  } finally {
    clearInterval(sampler);
  }
  const after = process.memoryUsage().rss;
  assert.ok(after - before < 100 * 1024 * 1024, `RSS ${mb(before)} MB → ${mb(after)} MB`);
  assert.ok(peak - before < 100 * 1024 * 1024, `RSS peaked at ${mb(peak)} MB from ${mb(before)} MB`);
}

/** Searches `sql` and fetches its first row: one cell, cut at MAX_CELL_BYTES with the marker. */
async function expectOneCutCell(sql: string): Promise<void> {
  const { isError, body } = await search(client, sql);
  assert.equal(isError, false, JSON.stringify(body).slice(0, 300));
  const row = body.results.find((result) => result.id.startsWith('resultrow:'));
  assert.ok(row, JSON.stringify(body.results.map((r) => r.id)));
  const document = await fetchId(client, row.id);
  assert.equal(document.isError, false);
  assert.ok(document.body.text.includes(CELL_TRUNCATED_MARKER), document.body.text.slice(-300));
  assert.ok(document.body.text.length < 3 * MAX_CELL_BYTES, `the document holds ${document.body.text.length} characters`);
}

describe('cells are bounded while rows stream', () => {
  it('a 120-million-character cell comes back cut at MAX_CELL_BYTES with the marker; RSS after is within 100 MB of before', {
    timeout: 300_000,
  }, async () => {
    await withinRss(() => expectOneCutCell("SELECT REPLICATE(CAST('x' AS nvarchar(max)), 120000000) AS big"));
  });

  it('a FOR JSON document of 60 million characters comes back as one cut cell; RSS after is within 100 MB of before', {
    timeout: 300_000,
  }, async () => {
    // 101 rows (the row cap) of 600,000 characters, which SQL Server would send as ~30,000 chunks
    // for the driver to join: the guard makes it one cell that TEXTSIZE bounds.
    await withinRss(() =>
      expectOneCutCell("SELECT OrderID, REPLICATE(CAST('x' AS nvarchar(max)), 600000) AS pad FROM sales.Orders FOR JSON PATH"),
    );
  });

  it('an xml value of 60 million characters (which TEXTSIZE does not cut) is refused at its metadata without being read; RSS after is within 100 MB of before; its nvarchar(max) rewrite comes back cut', {
    timeout: 300_000,
  }, async () => {
    const doc = "CAST(N'<doc>' + REPLICATE(CAST(N'x' AS nvarchar(max)), 60000000) + N'</doc>' AS xml)";
    await withinRss(async () => {
      const { isError, body } = await search(client, `SELECT 1 AS n, ${doc} AS doc`);
      assert.equal(isError, true, JSON.stringify(body).slice(0, 300));
      const error = (body as unknown as ToolErrorBody).error;
      assert.equal(error.code, 'XML_NOT_BOUNDED');
      assert.match(error.message, /CAST\(\[doc\] AS nvarchar\(max\)\) AS \[doc\]/);
    });
    // The refused connection was closed; the next query gets a working one and the rewrite is bounded.
    await withinRss(() => expectOneCutCell(`SELECT CAST(${doc} AS nvarchar(max)) AS doc`));
  });
});
