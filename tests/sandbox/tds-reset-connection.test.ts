import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from '../../sandbox/index.ts';
import { openTediousSession, type TediousSession } from './tedious-session.ts';

/** The RESETCONNECTION status bit as tedious sends it (`Connection.reset()`: the bit on its next request, a batch of SET options). */
describe('sandbox: the TDS RESETCONNECTION flag resets the session', () => {
  let sandbox: Sandbox;
  let session: TediousSession;
  before(async () => {
    sandbox = await startSandbox({ port: 0 });
    session = await openTediousSession(sandbox, sandbox.logins.reader);
  });
  after(async () => {
    session?.close();
    await sandbox?.close();
  });

  const rows = (sql: string): Promise<unknown[][]> => session.rows(sql);
  const reset = (): Promise<void> => session.reset();

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
