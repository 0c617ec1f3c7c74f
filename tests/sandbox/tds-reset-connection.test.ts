import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import tedious from 'tedious';
import { startSandbox, type Sandbox } from '../../sandbox/index.ts';

/** The RESETCONNECTION status bit as tedious sends it (`Connection.reset()`: the bit on its next request, a batch of SET options). */
describe('sandbox: the TDS RESETCONNECTION flag resets the session', () => {
  let sandbox: Sandbox;
  let connection: tedious.Connection;
  before(async () => {
    sandbox = await startSandbox({ port: 0 });
    connection = new tedious.Connection({
      server: sandbox.host,
      authentication: { type: 'default', options: { userName: sandbox.logins.reader.user, password: sandbox.logins.reader.password } },
      options: { port: sandbox.port, database: sandbox.database, encrypt: false, trustServerCertificate: true },
    });
    await new Promise<void>((resolve, reject) => connection.connect((err) => (err ? reject(err) : resolve())));
  });
  after(async () => {
    connection?.close();
    await sandbox?.close();
  });

  const rows = (sql: string): Promise<unknown[][]> =>
    new Promise((resolve, reject) => {
      const out: unknown[][] = [];
      const request = new tedious.Request(sql, (err) => (err ? reject(err) : resolve(out)));
      request.on('row', (columns: Array<{ value: unknown }>) => out.push(columns.map((c) => c.value)));
      connection.execSql(request);
    });
  const reset = (): Promise<void> => new Promise((resolve, reject) => connection.reset((err) => (err ? reject(err) : resolve())));

  it('clears the session context (read-only keys too), temporary tables and SET LOCK_TIMEOUT', async () => {
    await rows("EXEC sp_set_session_context @key = N'mcp.email', @value = N'alice@corp.example', @read_only = 1");
    await rows('SET LOCK_TIMEOUT 1234');
    await rows('CREATE TABLE #scratch (n int)');
    assert.deepEqual(
      await rows("SELECT SESSION_CONTEXT(N'mcp.email'), @@LOCK_TIMEOUT, OBJECT_ID('tempdb..#scratch')").then((r) => r[0]?.slice(0, 2)),
      ['alice@corp.example', 1234],
    );
    await reset();
    assert.deepEqual(await rows("SELECT SESSION_CONTEXT(N'mcp.email'), @@LOCK_TIMEOUT, OBJECT_ID('tempdb..#scratch')"), [[null, -1, null]]);
    // The key is free again: the next person's read-only value can be set.
    await rows("EXEC sp_set_session_context @key = N'mcp.email', @value = N'bob@corp.example', @read_only = 1");
    assert.deepEqual(await rows("SELECT SESSION_CONTEXT(N'mcp.email')"), [['bob@corp.example']]);
  });

  it('rolls back an open transaction', async () => {
    await rows('BEGIN TRAN');
    assert.deepEqual(await rows('SELECT @@TRANCOUNT'), [[1]]);
    await reset();
    assert.deepEqual(await rows('SELECT @@TRANCOUNT'), [[0]]);
  });
});
