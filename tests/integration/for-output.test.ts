/**
 * FOR JSON / FOR XML output is bounded (issue 10): the guard returns a top-level FOR JSON/XML query
 * as one scalar cell, so SET TEXTSIZE and MAX_CELL_BYTES bound it like any large value, where
 * SQL Server's chunked output would be joined by the driver without any limit. Through the real
 * mssql driver over TDS to the test database.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type sql from 'mssql';
import { CELL_TRUNCATED_MARKER } from '../../src/db/cell-bounds.ts';
import { DbError } from '../../src/db/errors.ts';
import type { Db, DbParam, QueryResult } from '../../src/db/types.ts';
import { createGuard } from '../../src/sql-guard/index.ts';
import { startTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { openReaderPool } from '../sandbox/reader-pool.ts';
import { dbFor, expectOk, researchFor, type Stack } from './stack.ts';

const CELL = 4_000;
const ROW_CAP = 100;
const opts = { maxRows: ROW_CAP + 1, timeoutMs: 30_000 };
const guard = createGuard({ maxLength: 20_000, rowCap: ROW_CAP, denySchemas: [], denyTables: [] });
/** Over 101 rows of 20,000 characters: a document of about 2 MB, 500 times the cell budget. */
const LARGE_PAD = "REPLICATE(CAST('x' AS nvarchar(max)), 20000)";

describe('top-level FOR JSON / FOR XML through the guard and the connector', () => {
  let database: TestDatabase;
  let db: Db;
  let raw: sql.ConnectionPool;
  let stack: Stack;
  before(async () => {
    // Its own database: the search case reads the catalog, which other files' DDL on a shared one would lock.
    database = await startTestDatabase({ fresh: true });
    db = dbFor(database, database.reader, { maxCellBytes: CELL, maxResultBytes: 200_000 });
    stack = researchFor(db, { limits: { maxResults: ROW_CAP } });
    raw = await openReaderPool(database);
  });
  after(async () => {
    await raw?.close();
    await db?.close();
    await database?.close();
  });

  /** Runs `text` as the connector runs an approved query: the guard's SQL, its name check, the caps. */
  async function viaGuard(text: string): Promise<QueryResult & { sql: string }> {
    const verdict = guard.check(text);
    assert.ok(verdict.ok, verdict.ok ? '' : `${verdict.code}: ${verdict.reason}`);
    assert.ok(guard.check(verdict.sql).ok, `the rewrite is itself accepted: ${verdict.sql}`);
    const params = (verdict.check?.params ?? []).map((p): DbParam => ({ name: p.name, type: 'nvarchar', value: p.value }));
    const result = await db.query(verdict.sql, params, { ...opts, check: verdict.check?.sql });
    return { ...result, sql: verdict.sql };
  }

  /** The document the driver assembles from the caller's own query (no guard, no TEXTSIZE). */
  async function unguarded(text: string): Promise<string> {
    const result = await raw.request().query(text);
    const row = result.recordset[0] as Record<string, unknown> | undefined;
    return String(Object.values(row ?? {})[0]);
  }

  const small: Array<{ name: string; sql: string; column: 'json' | 'xml' }> = [
    { name: 'FOR JSON PATH', sql: 'SELECT TOP 3 OrderID, CustomerID FROM sales.Orders ORDER BY OrderID FOR JSON PATH', column: 'json' },
    {
      name: 'FOR JSON PATH with dotted aliases',
      sql: 'SELECT TOP 2 OrderID AS [order.id], CustomerID AS [order.customer] FROM sales.Orders ORDER BY OrderID FOR JSON PATH',
      column: 'json',
    },
    { name: 'FOR JSON AUTO', sql: 'SELECT TOP 2 OrderID FROM sales.Orders ORDER BY OrderID FOR JSON AUTO', column: 'json' },
    {
      name: "FOR JSON PATH, ROOT('orders')",
      sql: "SELECT TOP 2 OrderID FROM sales.Orders ORDER BY OrderID FOR JSON PATH, ROOT('orders')",
      column: 'json',
    },
    {
      name: 'FOR JSON PATH, WITHOUT_ARRAY_WRAPPER',
      sql: 'SELECT TOP 1 OrderID, CustomerID FROM sales.Orders ORDER BY OrderID FOR JSON PATH, WITHOUT_ARRAY_WRAPPER',
      column: 'json',
    },
    {
      name: 'FOR JSON PATH, INCLUDE_NULL_VALUES',
      sql: 'SELECT TOP 2 OrderID, CAST(NULL AS int) AS missing FROM sales.Orders ORDER BY OrderID FOR JSON PATH, INCLUDE_NULL_VALUES',
      column: 'json',
    },
    {
      name: 'FOR JSON with ORDER BY descending',
      sql: 'SELECT TOP 3 OrderID FROM sales.Orders ORDER BY OrderID DESC FOR JSON PATH',
      column: 'json',
    },
    {
      name: 'FOR JSON with OPTION (RECOMPILE) and a final semicolon',
      sql: 'SELECT TOP 2 OrderID FROM sales.Orders ORDER BY OrderID FOR JSON PATH OPTION (RECOMPILE);',
      column: 'json',
    },
    {
      name: 'FOR JSON after a common table expression',
      sql: 'WITH firsts AS (SELECT TOP 3 OrderID FROM sales.Orders ORDER BY OrderID) SELECT OrderID FROM firsts ORDER BY OrderID FOR JSON PATH',
      column: 'json',
    },
    {
      name: 'FOR JSON over UNION ALL (wrapped by the row cap)',
      sql: "SELECT 1 AS n, 'a' AS s UNION ALL SELECT 2, 'b' FOR JSON PATH",
      column: 'json',
    },
    {
      name: 'FOR JSON over UNION ALL with ORDER BY (ordered again outside the wrapper)',
      sql: "SELECT 1 AS n, 'a' AS s UNION ALL SELECT 3, 'c' UNION ALL SELECT 2, 'b' ORDER BY n DESC FOR JSON PATH",
      column: 'json',
    },
    {
      name: 'FOR XML over EXCEPT with ORDER BY and OFFSET',
      sql: 'SELECT OrderID FROM sales.Orders WHERE OrderID <= 5 EXCEPT SELECT 2 ORDER BY OrderID DESC OFFSET 1 ROWS FOR XML RAW',
      column: 'xml',
    },
    {
      name: "FOR XML PATH('order'), ROOT('orders')",
      sql: "SELECT TOP 2 OrderID, CustomerID FROM sales.Orders ORDER BY OrderID FOR XML PATH('order'), ROOT('orders')",
      column: 'xml',
    },
    { name: 'FOR XML PATH', sql: 'SELECT TOP 2 OrderID FROM sales.Orders ORDER BY OrderID FOR XML PATH', column: 'xml' },
    { name: 'FOR XML RAW', sql: 'SELECT TOP 2 OrderID, CustomerID FROM sales.Orders ORDER BY OrderID FOR XML RAW', column: 'xml' },
    { name: 'FOR XML RAW, TYPE', sql: 'SELECT TOP 2 OrderID FROM sales.Orders ORDER BY OrderID FOR XML RAW, TYPE', column: 'xml' },
    {
      name: "FOR XML RAW('o'), ROOT, TYPE",
      sql: "SELECT TOP 2 OrderID FROM sales.Orders ORDER BY OrderID FOR XML RAW('o'), ROOT, TYPE",
      column: 'xml',
    },
    { name: 'FOR XML AUTO', sql: 'SELECT TOP 2 OrderID FROM sales.Orders ORDER BY OrderID FOR XML AUTO', column: 'xml' },
    {
      name: 'FOR XML after a common table expression, with OPTION',
      sql: 'WITH o AS (SELECT TOP 2 OrderID FROM sales.Orders ORDER BY OrderID) SELECT OrderID FROM o FOR XML RAW OPTION (MAXRECURSION 10)',
      column: 'xml',
    },
  ];
  for (const { name, sql: text, column } of small) {
    it(`${name}: one ${column} cell with the same document the query returns on its own`, async () => {
      const expected = await unguarded(text);
      assert.ok(expected.length > 0, 'the query returns a document');
      const result = await viaGuard(text);
      assert.deepEqual(
        result.columns.map((c) => c.name),
        [column],
      );
      assert.match(result.columns[0]?.type ?? '', /^nvarchar/, 'an nvarchar(max) value, which SET TEXTSIZE bounds');
      assert.deepEqual(result.rows, [[expected]]);
      assert.equal(result.truncated, false);
      assert.equal(result.cellsCut, undefined);
    });
  }

  it('a FOR JSON query that finds no rows returns one NULL cell (SQL Server’s value of an empty FOR JSON subquery)', async () => {
    const result = await viaGuard('SELECT OrderID FROM sales.Orders WHERE OrderID < 0 FOR JSON PATH');
    assert.deepEqual(result.rows, [[null]]);
  });

  const large: Array<{ name: string; sql: string; column: string }> = [
    { name: 'FOR JSON PATH', sql: `SELECT OrderID, ${LARGE_PAD} AS pad FROM sales.Orders FOR JSON PATH`, column: 'json' },
    {
      name: 'FOR JSON AUTO over a cross join',
      sql: `SELECT a.OrderID, b.OrderID AS other, ${LARGE_PAD} AS pad FROM sales.Orders a CROSS JOIN sales.Orders b FOR JSON AUTO`,
      column: 'json',
    },
    { name: 'FOR XML RAW, TYPE', sql: `SELECT OrderID, ${LARGE_PAD} AS pad FROM sales.Orders FOR XML RAW, TYPE`, column: 'xml' },
    {
      name: 'FOR JSON after a CTE, ordered, with OPTION',
      sql: `WITH o AS (SELECT OrderID FROM sales.Orders) SELECT OrderID, ${LARGE_PAD} AS pad FROM o ORDER BY OrderID FOR JSON PATH OPTION (RECOMPILE)`,
      column: 'json',
    },
    {
      name: 'FOR JSON over UNION ALL',
      sql: `SELECT OrderID, ${LARGE_PAD} AS pad FROM sales.Orders UNION ALL SELECT CustomerID, N'c' FROM sales.Customers FOR JSON PATH`,
      column: 'json',
    },
  ];
  for (const { name, sql: text, column } of large) {
    it(`a large ${name} document is cut to MAX_CELL_BYTES, marked, and counted as a cut cell`, async () => {
      const result = await viaGuard(text);
      assert.deepEqual(
        result.columns.map((c) => c.name),
        [column],
      );
      assert.equal(result.rows.length, 1);
      const value = result.rows[0]?.[0];
      assert.equal(typeof value, 'string');
      assert.ok(Buffer.byteLength(value as string) <= CELL, `${Buffer.byteLength(value as string)} bytes kept`);
      assert.ok((value as string).endsWith(CELL_TRUNCATED_MARKER));
      assert.equal(result.cellsCut, 1);
    });
  }

  it('the driver receives at most TEXTSIZE of the rewritten document, but all of it from the query as written', async () => {
    const text = `SELECT OrderID, ${LARGE_PAD} AS pad FROM sales.Orders FOR JSON PATH`;
    const verdict = guard.check(text);
    assert.ok(verdict.ok);
    const textSize = 2 * CELL + 2;
    const bounded = await raw.request().query(`SET TEXTSIZE ${textSize}; ${verdict.sql}; SET TEXTSIZE -1;`);
    const cell = String((bounded.recordset[0] as Record<string, unknown>).json);
    assert.ok(cell.length <= textSize / 2, `${cell.length} characters received`);
    // The same query as written arrives in 2,033-character chunks that the driver joins whatever TEXTSIZE says.
    const chunked = await raw
      .request()
      .query(`SET TEXTSIZE ${textSize}; ${text.replace('SELECT', `SELECT TOP (${ROW_CAP + 1})`)}; SET TEXTSIZE -1;`);
    const joined = String(Object.values(chunked.recordset[0] as Record<string, unknown>)[0]);
    assert.ok(joined.length > 100 * textSize, `${joined.length} characters joined by the driver`);
  });

  it('search reports a cut FOR JSON document as truncated, with a note in the title', async () => {
    const outcome = await stack.research.search(`SELECT OrderID, ${LARGE_PAD} AS pad FROM sales.Orders FOR JSON PATH`, stack.ctx);
    const out = expectOk(outcome);
    assert.equal(outcome.stats.truncated, true);
    assert.ok(outcome.stats.bytes < 2 * CELL, `the connector reports ${outcome.stats.bytes} bytes for a 2 MB document`);
    assert.equal(out.truncated, true);
    const title = out.results[0]?.title ?? '';
    assert.match(title, /1 row \(1 cell cut at MAX_CELL_BYTES\)/);
    assert.match(out.results[0]?.text ?? '', /Columns: json nvarchar/);
  });

  it('a FOR JSON subquery used as a value (not top level) is already one cell, bounded the same way', async () => {
    const small = await viaGuard('SELECT (SELECT TOP 2 OrderID FROM sales.Orders ORDER BY OrderID FOR JSON PATH) AS nested');
    assert.deepEqual(small.rows, [['[{"OrderID":1},{"OrderID":2}]']]);
    assert.doesNotMatch(small.sql, /AS \[json\]/, 'no rewrite');
    const result = await viaGuard(`SELECT (SELECT TOP 200 OrderID, ${LARGE_PAD} AS pad FROM sales.Orders FOR JSON PATH) AS nested`);
    assert.deepEqual(
      result.columns.map((c) => c.name),
      ['nested'],
    );
    const value = result.rows[0]?.[0] as string;
    assert.ok(Buffer.byteLength(value) <= CELL && value.endsWith(CELL_TRUNCATED_MARKER));
    assert.equal(result.cellsCut, 1);
  });

  it('chunked FOR JSON output that reaches the connector anyway is refused at its metadata, and the connection stays usable', async () => {
    await assert.rejects(
      db.query(`SELECT TOP (101) OrderID, ${LARGE_PAD} AS pad FROM sales.Orders FOR JSON PATH`, [], opts),
      (err: unknown) => err instanceof DbError && err.code === 'QUERY_FAILED' && /unbounded FOR JSON\/FOR XML output/.test(err.message),
    );
    const after = await db.query('SELECT 1 AS one', [], opts);
    assert.deepEqual(after.rows, [[1]]);
  });
});
