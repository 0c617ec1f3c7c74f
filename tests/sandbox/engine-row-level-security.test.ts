import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Backend } from '../../sandbox/backend.ts';
import { createEngine } from '../../sandbox/engine/index.ts';
import { errorsOf, events, OWNER, query, READER, withSessions } from './engine-helpers.ts';

let backend: Backend & { close?: () => Promise<void> };
before(async () => {
  backend = await createEngine();
  await withSessions(backend, [OWNER], async (owner) => {
    for (const sql of [
      'CREATE SCHEMA sec',
      'CREATE TABLE sec.Deals (DealID int PRIMARY KEY, Region nvarchar(20) NOT NULL, Amount int NOT NULL)',
      'CREATE TABLE sec.RepRegions (Email nvarchar(100) NOT NULL, Region nvarchar(20) NOT NULL)',
      "INSERT INTO sec.Deals VALUES (1, N'West', 10), (2, N'West', 20), (3, N'East', 30), (4, N'North', 40)",
      "INSERT INTO sec.RepRegions VALUES (N'alice@corp.example', N'West'), (N'bob@corp.example', N'East')",
      `CREATE FUNCTION sec.fn_DealRegion(@Region nvarchar(20))
RETURNS TABLE
WITH SCHEMABINDING
AS RETURN
    SELECT 1 AS allowed FROM sec.RepRegions AS r
    WHERE r.Region = @Region AND r.Email = CAST(SESSION_CONTEXT(N'mcp.email') AS nvarchar(100))`,
      'CREATE SECURITY POLICY sec.DealsByRegion ADD FILTER PREDICATE sec.fn_DealRegion(Region) ON sec.Deals WITH (STATE = ON)',
      'GRANT SELECT ON SCHEMA::sec TO retail_reader',
    ]) {
      const errs = errorsOf(await events(owner, sql));
      assert.deepEqual(errs, [], sql);
    }
  });
});
after(async () => {
  await backend.close?.();
});

const deals = 'SELECT DealID FROM sec.Deals ORDER BY DealID';

describe('sandbox: SESSION_CONTEXT, inline table-valued functions and security policies (row-level security)', () => {
  test('sp_set_session_context sets a key SESSION_CONTEXT reads; a read-only key cannot be set again (15664)', async () => {
    await withSessions(backend, [READER], async (reader) => {
      assert.deepEqual(await query(reader, "SELECT SESSION_CONTEXT(N'k') AS v"), [{ v: null }]);
      await query(reader, "EXEC sp_set_session_context @key = N'k', @value = N'one'");
      await query(reader, "EXEC sp_set_session_context N'k', N'two', 1");
      assert.deepEqual(await query(reader, "SELECT SESSION_CONTEXT(N'k') AS v"), [{ v: 'two' }]);
      const errs = errorsOf(await events(reader, "EXEC sp_set_session_context @key = N'k', @value = N'three'"));
      assert.equal(errs[0]?.number, 15664);
      assert.deepEqual(await query(reader, "SELECT SESSION_CONTEXT(N'k') AS v"), [{ v: 'two' }]);
    });
  });

  test("one session's context is invisible to another's", async () => {
    await withSessions(backend, [READER, READER], async (a, b) => {
      await query(a, "EXEC sp_set_session_context N'mcp.email', N'alice@corp.example'");
      assert.deepEqual(await query(b, "SELECT SESSION_CONTEXT(N'mcp.email') AS v"), [{ v: null }]);
      assert.deepEqual(await query(a, "SELECT SESSION_CONTEXT(N'mcp.email') AS v"), [{ v: 'alice@corp.example' }]);
    });
  });

  test('the filter predicate returns each person only their region; no context, no rows', async () => {
    await withSessions(backend, [READER, READER, READER], async (alice, bob, nobody) => {
      await query(alice, "EXEC sp_set_session_context N'mcp.email', N'alice@corp.example', 1");
      await query(bob, "EXEC sp_set_session_context N'mcp.email', N'bob@corp.example', 1");
      assert.deepEqual(
        (await query(alice, deals)).map((r) => r.DealID),
        [1, 2],
      );
      assert.deepEqual(
        (await query(bob, deals)).map((r) => r.DealID),
        [3],
      );
      assert.deepEqual(await query(nobody, deals), []);
      assert.deepEqual(await query(alice, 'SELECT SUM(Amount) AS total FROM sec.Deals'), [{ total: 30 }]);
    });
  });

  test('the owner login (a PostgreSQL superuser, like sysadmin) is not filtered', async () => {
    await withSessions(backend, [OWNER], async (owner) => {
      assert.deepEqual(
        (await query(owner, deals)).map((r) => r.DealID),
        [1, 2, 3, 4],
      );
    });
  });

  test('sp_reset_connection clears the context, read-only keys included', async () => {
    await withSessions(backend, [READER], async (reader) => {
      await query(reader, "EXEC sp_set_session_context N'mcp.email', N'alice@corp.example', 1");
      assert.equal((await query(reader, deals)).length, 2);
      await query(reader, 'EXEC sp_reset_connection');
      assert.deepEqual(await query(reader, deals), []);
      await query(reader, "EXEC sp_set_session_context N'mcp.email', N'bob@corp.example', 1");
      assert.deepEqual(
        (await query(reader, deals)).map((r) => r.DealID),
        [3],
      );
    });
  });
});
