import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Db } from '../../../src/db/types.ts';
import { startTestDatabase, type TestDatabase } from '../../helpers/database.ts';
import { dbFor } from '../../integration/stack.ts';
import { openGuard } from './corpus.ts';

/**
 * Every kind of row-cap rewrite, run for real on the reader login of the test database (the
 * sandbox, or SQL Server when MSSQL_TEST_HOST is set): the rewritten SQL must be valid T-SQL and
 * the outermost query must stop at rowCap + 1 = 101 rows.
 */
const REWRITE_KINDS: [string, string][] = [
  ['TOP inserted', 'SELECT OrderID FROM sales.Orders'],
  ['TOP after DISTINCT', 'SELECT DISTINCT CustomerID FROM sales.Orders'],
  ['a larger TOP lowered', 'SELECT TOP 5000 OrderID FROM sales.Orders ORDER BY OrderID'],
  ['TOP PERCENT wrapped, ORDER BY repeated', 'SELECT TOP 50 PERCENT OrderID, Total FROM sales.Orders ORDER BY Total DESC'],
  ['FETCH added after OFFSET', 'SELECT OrderID FROM sales.Orders ORDER BY OrderID OFFSET 10 ROWS'],
  ['FETCH lowered', 'SELECT OrderID FROM sales.Orders ORDER BY OrderID OFFSET 0 ROWS FETCH NEXT 500 ROWS ONLY'],
  [
    'set operation with ORDER BY gets OFFSET/FETCH',
    'SELECT OrderID AS Id FROM sales.Orders UNION ALL SELECT TicketID FROM dbo.SupportTickets ORDER BY Id',
  ],
  ['named set operation wrapped', 'SELECT CustomerID FROM sales.Orders UNION ALL SELECT CustomerID FROM sales.Orders'],
  ['unnamed set operation ordered by position', 'SELECT OrderID + 0 FROM sales.Orders UNION ALL SELECT OrderID + 0 FROM sales.Orders'],
  ['final SELECT after CTEs capped', 'WITH o AS (SELECT OrderID FROM sales.Orders) SELECT OrderID FROM o'],
];

describe('row-cap rewrites run on the test database', () => {
  let database: TestDatabase;
  let db: Db;
  const guard = openGuard();

  before(async () => {
    database = await startTestDatabase();
    db = dbFor(database, database.reader);
  });
  after(async () => {
    await db?.close();
    await database?.close();
  });

  for (const [kind, sql] of REWRITE_KINDS) {
    test(`${kind}: runs and returns at most 101 rows`, async () => {
      const v = guard.check(sql);
      assert.ok(v.ok, sql);
      if (!v.ok) return;
      const result = await db.query(v.sql, [], { maxRows: 100_000, timeoutMs: 60_000 });
      assert.ok(result.rows.length > 0, `${v.sql} returned no rows`);
      assert.ok(result.rows.length <= 101, `${v.sql} returned ${result.rows.length} rows`);
    });
  }
});
