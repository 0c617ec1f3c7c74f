import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Db } from '../../src/db/types.ts';
import { DbError } from '../../src/db/errors.ts';
import { createGuard } from '../../src/sql-guard/index.ts';
import type { GuardPolicy } from '../../src/sql-guard/types.ts';
import { startTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { dbFor, researchFor, type Stack } from './stack.ts';

const big = { maxRows: 1_000, timeoutMs: 20_000 };

/**
 * The guard's name-resolution check runs on the server in the query's own batch. These cases hand
 * the real `Db` (real driver, real TDS, the sandbox) the check the guard built, with the reference's
 * spelling changed the way a collation would resolve it differently, and assert the batch stops
 * with OBJECT_DENIED before the query — or runs when the names are the canonical ones.
 */
describe('the guard name-resolution check on the server (sandbox)', () => {
  let database: TestDatabase;
  let db: Db;
  let denyHr: Stack;
  let allowSales: Stack;
  before(async () => {
    database = await startTestDatabase();
    db = dbFor(database, database.reader);
    denyHr = researchFor(dbFor(database, database.reader), { policy: { denySchemas: ['hr'] } });
    allowSales = researchFor(dbFor(database, database.reader), { policy: { allowTables: ['sales.Orders', 'sales.Customers'] } });
  });
  after(async () => {
    await db?.close();
    await denyHr?.db.close();
    await allowSales?.db.close();
    await database?.close();
  });

  const guardFor = (policy: Partial<GuardPolicy> = {}) =>
    createGuard({ maxLength: 20_000, rowCap: 20, denySchemas: [], denyTables: [], ...policy });

  /** Runs `sql` as the connector would, with the guard's check; `rename` edits the checked spelling. */
  async function runChecked(sql: string, policy: Partial<GuardPolicy> = {}, rename?: (value: string | null) => string | null) {
    const v = guardFor(policy).check(sql);
    assert.ok(v.ok, v.ok ? '' : v.reason);
    assert.ok(v.check, 'an accepted query that names a table carries a check');
    const params = v.check.params.map((p) => ({ name: p.name, type: 'nvarchar' as const, value: rename ? rename(p.value) : p.value }));
    return db.query(v.sql, params, { ...big, check: v.check.sql });
  }

  it('runs the query when every name resolves to itself (tables, joins, functions, OBJECT_ID literals)', async () => {
    for (const sql of [
      'SELECT OrderID FROM sales.Orders',
      'SELECT o.OrderID, c.Name FROM [sales].[Orders] o JOIN "sales"."Customers" c ON c.CustomerID = o.CustomerID',
      'SELECT TOP 3 ProductID FROM Products',
      "SELECT OBJECT_ID('sales.Orders') AS id",
      'SELECT COUNT(*) AS n FROM SALES.ORDERS',
    ]) {
      const r = await runChecked(sql);
      assert.ok(r.rows.length >= 1, sql);
    }
  });

  const denied: [string, (v: string | null) => string | null][] = [
    [
      'a checked name that resolves to another object (schema differs)',
      (v) => (v === 'sales' ? 'hr' : v === '[sales].[Orders]' ? '[hr].[Employees]' : v),
    ],
    ['a one-part name the guard took for dbo that resolves elsewhere', (v) => (v === '[Orders]' ? '[sales].[Orders]' : v)],
    ['a name that does not resolve at all', (v) => (v === '[sales].[Orders]' ? '[sales].[NoSuchTable]' : v)],
  ];
  for (const [name, rename] of denied) {
    it(`stops the batch with OBJECT_DENIED before the query: ${name}`, async () => {
      const sql = name.includes('one-part') ? 'SELECT OrderID FROM Orders' : 'SELECT OrderID FROM sales.Orders';
      await assert.rejects(
        runChecked(sql, {}, rename),
        (err: unknown) => err instanceof DbError && err.code === 'OBJECT_DENIED' && err.reference === 1,
      );
    });
  }

  it('refuses through research.search with OBJECT_NOT_ALLOWED when the server resolves a name the guard did not judge', async () => {
    const outcome = await denyHr.research.search('SELECT OrderID FROM Orders', denyHr.ctx);
    assert.equal(outcome.ok, false);
    if (!outcome.ok) assert.equal(outcome.code, 'OBJECT_NOT_ALLOWED');
  });

  it('accepts allowed tables under ALLOW_TABLES through research.search, and refuses others before running', async () => {
    const ok = await allowSales.research.search('SELECT TOP 2 OrderID FROM sales.Orders', allowSales.ctx);
    assert.ok(ok.ok, ok.ok ? '' : ok.message);
    for (const sql of [
      "SELECT OBJECT_ID('hr.Employees') AS id",
      'SELECT OrderID FROM sales.Orders WHERE dbo.fn_Anything(OrderID) = 1',
      "SELECT COL_LENGTH('hr.Employees', 'Salary') AS l",
    ]) {
      const r = await allowSales.research.search(sql, allowSales.ctx);
      assert.equal(r.ok, false, sql);
      if (!r.ok) assert.equal(r.code, 'OBJECT_NOT_ALLOWED', sql);
    }
  });

  it('runs queries with the memory-grant cap the guard adds (OPTION (MAX_GRANT_PERCENT = n))', async () => {
    const capped = researchFor(db, { policy: { maxGrantPercent: 25 } });
    for (const sql of [
      'SELECT TOP 2 OrderID FROM sales.Orders',
      'SELECT OrderID FROM sales.Orders ORDER BY OrderID OPTION (RECOMPILE)',
      'SELECT 1 AS a UNION SELECT 2',
    ]) {
      const r = await capped.research.search(sql, capped.ctx);
      assert.ok(r.ok, r.ok ? '' : `${sql}: ${r.message}`);
    }
  });

  it('refuses a denied schema however OBJECT_ID spells it', async () => {
    for (const sql of [
      "SELECT OBJECT_ID('hr.Employees') AS id",
      "SELECT OBJECT_ID(N'[HR].[Employees]') AS id",
      "SELECT OBJECTPROPERTY(OBJECT_ID(' hr . Employees '), 'IsTable') AS t",
    ]) {
      const r = await denyHr.research.search(sql, denyHr.ctx);
      assert.equal(r.ok, false, sql);
    }
  });
});
