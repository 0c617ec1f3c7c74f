import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import sql from 'mssql';
import { startSandbox } from '../../sandbox/index.ts';
import type { Sandbox } from '../../sandbox/index.ts';
import { StartupError } from '../../src/errors.ts';
import type { TestDatabase } from '../helpers/database.ts';
import { startTestDatabase } from '../helpers/database.ts';
import { startTestServer } from '../helpers/server.ts';
import type { ToolErrorBody } from './mcp-client.ts';
import { callTool, connectClient, search } from './mcp-client.ts';

const onSandbox = !process.env.MSSQL_TEST_HOST;
let database: TestDatabase;

before(async () => {
  database = await startTestDatabase({ fresh: true });
});

after(async () => {
  await database?.close();
});

async function health(url: URL): Promise<{ status: number; body: { status: string; database: { ok: boolean } } }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as { status: string; database: { ok: boolean } } };
}

describe('startup privilege check', () => {
  it('refuses to start on a login that can write, with the T-SQL to create a db_datareader login', async () => {
    await assert.rejects(startTestServer({ database, login: 'owner' }), (error: unknown) => {
      assert.ok(error instanceof StartupError);
      assert.equal(error.code, 'WRITABLE_LOGIN');
      assert.match(error.message, /CREATE LOGIN/);
      assert.match(error.message, /db_datareader/);
      assert.doesNotMatch(error.message, new RegExp(database.owner.password.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      return true;
    });
  });

  it('starts on a writable login when ALLOW_WRITABLE_LOGIN=true, and still refuses writes', async () => {
    const server = await startTestServer({ database, login: 'owner', env: { ALLOW_WRITABLE_LOGIN: 'true' } });
    try {
      assert.ok(server.logs.some((line) => line.msg === 'writable_login_allowed'));
      const client = await connectClient(server.mcpUrl, server.apiKey);
      const { isError, body } = await callTool<ToolErrorBody>(client, 'search', { query: 'UPDATE sales.Orders SET Status = Status' });
      assert.equal(isError, true);
      assert.equal(body.error.code, 'READ_ONLY_VIOLATION');
      await client.close();
    } finally {
      await server.close();
    }
  });
});

describe('graceful shutdown', () => {
  it('answers a tool call held at the database while shutdown runs, refuses new connections meanwhile, ends SSE streams, then stops', {
    timeout: 60_000,
  }, async () => {
    const server = await startTestServer({ database, overrides: { shutdownGraceMs: 30_000 } });
    const client = await connectClient(server.mcpUrl, server.apiKey);
    // Warm up (catalog read, pooled connection), so the only database work below is the held query.
    assert.equal((await search(client, 'SELECT TOP 1 OrderID FROM sales.Orders')).isError, false);
    const stream = await fetch(server.sseUrl, { headers: { authorization: `Bearer ${server.apiKey}` } });
    assert.equal(stream.status, 200);
    const streamText = stream.text();

    // Another session holds a write lock in an open transaction, so the tool call's SELECT waits at
    // the database (well inside the connector's 5 s lock timeout) until the test lets it go.
    const blocker = await new sql.ConnectionPool({
      server: database.host,
      port: database.port,
      database: database.database,
      user: database.owner.user,
      password: database.owner.password,
      options: { encrypt: false, trustServerCertificate: true },
      pool: { min: 0, max: 1 },
    }).connect();
    const db = server.server.db;
    try {
      await blocker.request().batch('BEGIN TRANSACTION; UPDATE sales.Orders SET Status = Status');
      let settled = false;
      const inFlight = search(client, 'SELECT COUNT(*) AS n FROM sales.Orders').finally(() => (settled = true));
      inFlight.catch(() => {}); // awaited below; a failure must fail the test, not end up unhandled
      const deadline = Date.now() + 4_000;
      while ((db.usage?.().inUse ?? 0) < 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      assert.equal(db.usage?.().inUse, 1, 'the tool call is running at the database');

      const closed = server.close();
      // Shutdown waits for the held call; meanwhile nobody new gets in.
      await assert.rejects(fetch(server.healthUrl), 'a new connection is refused while draining');
      await assert.rejects(search(client, 'SELECT TOP 1 OrderID FROM sales.Orders'), 'a new tool call is refused while draining');
      assert.match(await streamText, /event: endpoint/, 'the SSE stream was ended');
      assert.equal(settled, false, 'the held call is still waiting for the lock');

      await blocker.request().batch('ROLLBACK');
      const result = await inFlight;
      assert.equal(result.isError, false, JSON.stringify(result.body));
      await closed;
      await assert.rejects(fetch(server.healthUrl));
    } finally {
      await blocker
        .request()
        .batch('IF @@TRANCOUNT > 0 ROLLBACK')
        .catch(() => {});
      await blocker.close();
      await client.close().catch(() => {});
      await server.close();
    }
  });
});

describe('database outages', { skip: onSandbox ? false : 'stops and restarts the sandbox; not possible against a real SQL Server' }, () => {
  it('reports degraded health and DB_UNAVAILABLE while the database is down, and recovers without a restart', {
    timeout: 240_000,
  }, async () => {
    let sandbox: Sandbox | undefined = await startSandbox({ host: '127.0.0.1', port: 0 });
    const port = sandbox.port;
    const own: TestDatabase = {
      kind: 'sandbox',
      host: sandbox.host,
      port,
      database: sandbox.database,
      owner: sandbox.logins.owner,
      reader: sandbox.logins.reader,
      close: async () => sandbox?.close(),
    };
    // Every /health call probes here (production serves a check at most 5 s old: tests/http/health-probe.test.ts).
    const server = await startTestServer({ database: own, overrides: { healthProbeIntervalMs: 0 } });
    try {
      const client = await connectClient(server.mcpUrl, server.apiKey);
      assert.equal((await search(client, 'SELECT TOP 1 OrderID FROM sales.Orders')).isError, false);
      assert.equal((await health(server.healthUrl)).status, 200);

      await sandbox.close();
      sandbox = undefined;
      const down = await health(server.healthUrl);
      assert.equal(down.status, 503);
      assert.equal(down.body.status, 'degraded');
      assert.equal(down.body.database.ok, false);
      const failed = await callTool<ToolErrorBody>(client, 'search', { query: 'SELECT TOP 1 OrderID FROM sales.Orders' });
      assert.equal(failed.isError, true);
      assert.equal(failed.body.error.code, 'DB_UNAVAILABLE');

      sandbox = await startSandbox({ host: '127.0.0.1', port });
      const again = await search(client, 'SELECT TOP 1 OrderID FROM sales.Orders');
      assert.equal(again.isError, false, JSON.stringify(again.body));
      assert.equal((await health(server.healthUrl)).status, 200);
      await client.close();
    } finally {
      await server.close();
      await sandbox?.close();
    }
  });
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Polls `/health` until it answers `status` (the check runs in the background, with backoff). */
async function healthBecomes(
  url: URL,
  status: number,
  timeoutMs = 60_000,
): Promise<{ status: number; body: { status: string; database: { ok: boolean; error?: string } } }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = (await health(url)) as { status: number; body: { status: string; database: { ok: boolean; error?: string } } };
    if (answer.status === status || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('starting without the database', {
  skip: onSandbox ? false : 'starts the sandbox late; not possible against a real SQL Server',
}, () => {
  it('serves /health 503 with the reason, discovery and DB_UNAVAILABLE tool errors, then turns healthy by itself when the database comes up', {
    timeout: 240_000,
  }, async () => {
    const port = await freePort();
    const late: TestDatabase = { ...database, port, close: async () => {} };
    const server = await startTestServer({ database: late, overrides: { startupWaitMs: 300 } });
    let sandbox: Sandbox | undefined;
    try {
      assert.ok(server.logs.some((line) => line.msg === 'serving_without_database'));
      const down = await health(server.healthUrl);
      assert.equal(down.status, 503);
      assert.equal(down.body.database.ok, false);
      assert.match((down.body.database as { error?: string }).error ?? '', /not reachable|unreachable/);
      assert.equal((await fetch(new URL(`${server.base}/healthz`))).status, 200);
      const client = await connectClient(server.mcpUrl, server.apiKey);
      assert.deepEqual((await client.listTools()).tools.map((tool) => tool.name).sort(), ['fetch', 'search']);
      const failed = await callTool<ToolErrorBody>(client, 'search', { query: 'SELECT TOP 1 OrderID FROM sales.Orders' });
      assert.equal(failed.isError, true);
      assert.equal(failed.body.error.code, 'DB_UNAVAILABLE');

      sandbox = await startSandbox({ host: '127.0.0.1', port });
      assert.equal((await healthBecomes(server.healthUrl, 200)).status, 200);
      assert.ok(
        server.logs.some((line) => line.msg === 'database_ready'),
        'the privilege check ran on first connect',
      );
      const found = await search(client, 'SELECT TOP 1 OrderID FROM sales.Orders');
      assert.equal(found.isError, false, JSON.stringify(found.body));
      await client.close();
    } finally {
      await server.close();
      await sandbox?.close();
    }
  });

  it('keeps every query refused when the login it finds on first connect can write', { timeout: 240_000 }, async () => {
    const port = await freePort();
    const late: TestDatabase = { ...database, port, close: async () => {} };
    const server = await startTestServer({ database: late, login: 'owner', overrides: { startupWaitMs: 300 } });
    let sandbox: Sandbox | undefined;
    try {
      sandbox = await startSandbox({ host: '127.0.0.1', port });
      const deadline = Date.now() + 60_000;
      while (!server.logs.some((line) => line.msg === 'writable_login_refused') && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 250));
      assert.ok(server.logs.some((line) => line.msg === 'writable_login_refused'));
      const answer = await health(server.healthUrl);
      assert.equal(answer.status, 503);
      assert.match((answer.body.database as { error?: string }).error ?? '', /can write/);
      const client = await connectClient(server.mcpUrl, server.apiKey);
      const refused = await callTool<ToolErrorBody>(client, 'search', { query: 'SELECT TOP 1 OrderID FROM sales.Orders' });
      assert.equal(refused.isError, true);
      assert.equal(refused.body.error.code, 'DB_UNAVAILABLE');
      assert.match(refused.body.error.message, /can write/);
      await client.close();
    } finally {
      await server.close();
      await sandbox?.close();
    }
  });
});
