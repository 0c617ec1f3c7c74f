/**
 * Issue 10 item 12 (cells) over real sockets against the real server: one cell of 120 million
 * characters. The sandbox runs in its own process here, so the RSS measured is the connector's
 * (mssql driver, research, MCP) alone. SET TEXTSIZE keeps the server from sending more than the
 * cell budget; the connector cuts the cell at MAX_CELL_BYTES with a marker.
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
import { connectClient, fetchId, search } from './mcp-client.ts';

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

describe('cells are bounded while rows stream', () => {
  it('a 120-million-character cell comes back cut at MAX_CELL_BYTES with the marker; RSS after is within 100 MB of before', {
    timeout: 300_000,
  }, async () => {
    globalThis.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    try {
      const { isError, body } = await search(client, "SELECT REPLICATE(CAST('x' AS nvarchar(max)), 120000000) AS big");
      assert.equal(isError, false, JSON.stringify(body).slice(0, 300));
      const row = body.results.find((result) => result.id.startsWith('resultrow:'));
      assert.ok(row, JSON.stringify(body.results.map((r) => r.id)));
      const document = await fetchId(client, row.id);
      assert.equal(document.isError, false);
      assert.ok(document.body.text.includes(CELL_TRUNCATED_MARKER), document.body.text.slice(-300));
      assert.ok(document.body.text.length < 3 * MAX_CELL_BYTES, `the document holds ${document.body.text.length} characters`);
    } finally {
      clearInterval(sampler);
    }
    const after = process.memoryUsage().rss;
    assert.ok(after - before < 100 * 1024 * 1024, `RSS ${mb(before)} MB → ${mb(after)} MB`);
    assert.ok(peak - before < 100 * 1024 * 1024, `RSS peaked at ${mb(peak)} MB from ${mb(before)} MB`);
  });
});
