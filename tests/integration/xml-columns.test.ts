/**
 * `xml` values are bounded (issue 10): SET TEXTSIZE does not apply to xml and the driver reads a
 * value whole before the row reaches the connector, so a result with an xml column is refused at
 * its metadata (XML_NOT_BOUNDED, naming the column and the CAST to write), while the connector's own
 * SQL (sample, fetch of a row) reads catalog xml columns as nvarchar(max), which TEXTSIZE and
 * MAX_CELL_BYTES cut. Through the real mssql driver over TDS to the test database.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type sql from 'mssql';
import { CELL_TRUNCATED_MARKER } from '../../src/db/cell-bounds.ts';
import { DbError } from '../../src/db/errors.ts';
import type { Db } from '../../src/db/types.ts';
import { startTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { openPool } from '../sandbox/reader-pool.ts';
import { dbFor, expectOk, researchFor, type Stack } from './stack.ts';

const CELL = 4_000;
const opts = { maxRows: 20, timeoutMs: 30_000 };
/** 200,000 characters of xml per row: 100 times the cell budget. */
const BIG_XML = "CAST(N'<doc>' + REPLICATE(CAST(N'x' AS nvarchar(max)), 200000) + N'</doc>' AS xml)";

describe('xml values through the connector', () => {
  let database: TestDatabase;
  let db: Db;
  let owner: sql.ConnectionPool;
  let stack: Stack;
  before(async () => {
    // Its own database: the table with xml columns is created here.
    database = await startTestDatabase({ fresh: true });
    owner = await openPool(database, database.owner);
    await owner.request().batch(
      `CREATE TABLE dbo.Feeds (FeedID int NOT NULL PRIMARY KEY, Title nvarchar(100) NOT NULL, Body xml NULL, [Raw Doc] xml NULL);
         INSERT INTO dbo.Feeds (FeedID, Title, Body, [Raw Doc]) VALUES
           (1, N'small', CAST(N'<item>one</item>' AS xml), NULL),
           (2, N'large', ${BIG_XML}, ${BIG_XML});`,
    );
    db = dbFor(database, database.reader, { maxCellBytes: CELL, maxResultBytes: 200_000, poolMax: 2, maxConcurrent: 2 });
    stack = researchFor(db);
  });
  after(async () => {
    await owner?.close();
    await db?.close();
    await database?.close();
  });

  const refused: Array<{ name: string; sql: string; columns: string[] }> = [
    { name: 'SELECT * over a table with xml columns', sql: 'SELECT * FROM dbo.Feeds', columns: ['[Body]', '[Raw Doc]'] },
    { name: 'one xml table column', sql: 'SELECT FeedID, Body FROM dbo.Feeds WHERE FeedID = 2', columns: ['[Body]'] },
    { name: 'CAST(… AS xml) as a value', sql: "SELECT CAST(N'<a>1</a>' AS xml) AS doc", columns: ['[doc]'] },
    { name: 'an unnamed xml expression', sql: "SELECT 1 AS n, CONVERT(xml, N'<a/>')", columns: ['an unnamed column (position 2)'] },
    {
      name: 'a FOR XML …, TYPE subquery as a value',
      sql: 'SELECT (SELECT TOP 2 OrderID FROM sales.Orders ORDER BY OrderID FOR XML PATH, TYPE) AS orders',
      columns: ['[orders]'],
    },
    { name: 'a table with no rows still has its xml column', sql: 'SELECT Body FROM dbo.Feeds WHERE 1 = 0', columns: ['[Body]'] },
  ];
  for (const { name, sql: text, columns } of refused) {
    it(`${name}: refused with XML_NOT_BOUNDED naming ${columns.join(', ')} and the CAST to write`, async () => {
      await assert.rejects(db.query(text, [], opts), (err: unknown) => {
        assert.ok(err instanceof DbError, String(err));
        assert.equal(err.code, 'XML_NOT_BOUNDED', err.message);
        for (const column of columns) assert.ok(err.message.includes(column), err.message);
        assert.match(err.message, /CAST\(.+ AS nvarchar\(max\)\)/);
        assert.match(err.message, /CONVERT\(nvarchar\(max\), .+\)/);
        return true;
      });
      // The pool lends a working connection again (the refused one was closed, not returned).
      const next = await db.query('SELECT COUNT(*) AS n FROM dbo.Feeds', [], opts);
      assert.deepEqual(next.rows, [[2]]);
    });
  }

  it('the rewrite the refusal names reads the same value as nvarchar(max), cut at MAX_CELL_BYTES with the marker', async () => {
    const result = await db.query(
      'SELECT FeedID, CAST(Body AS nvarchar(max)) AS Body, CONVERT(nvarchar(max), [Raw Doc]) AS [Raw Doc] FROM dbo.Feeds ORDER BY FeedID',
      [],
      { ...opts, maxCellBytes: CELL },
    );
    assert.deepEqual(
      result.columns.map((c) => `${c.name} ${c.type}`),
      ['FeedID int', 'Body nvarchar(max)', 'Raw Doc nvarchar(max)'],
    );
    assert.deepEqual(result.rows[0], [1, '<item>one</item>', null]);
    for (const value of result.rows[1]?.slice(1) ?? []) {
      assert.equal(typeof value, 'string');
      assert.ok((value as string).startsWith('<doc>xxx'), String(value).slice(0, 20));
      assert.ok((value as string).endsWith(CELL_TRUNCATED_MARKER));
      assert.ok(Buffer.byteLength(value as string) <= CELL);
    }
    assert.equal(result.cellsCut, 2);
  });

  it('search with a SELECT that returns xml answers XML_NOT_BOUNDED with the rewrite, not a generic failure', async () => {
    const outcome = await stack.research.search('SELECT FeedID, Body FROM dbo.Feeds', stack.ctx);
    assert.equal(outcome.ok, false);
    assert.ok(!outcome.ok);
    assert.equal(outcome.code, 'XML_NOT_BOUNDED');
    assert.match(outcome.message, /CAST\(\[Body\] AS nvarchar\(max\)\) AS \[Body\]/);
  });

  it('sample of a table with xml columns reads them as nvarchar(max), long values cut', async () => {
    const out = expectOk(await stack.research.search('sample dbo.Feeds limit 5', stack.ctx));
    assert.match(out.results[0]?.title ?? '', /2 rows \(2 cells cut at MAX_CELL_BYTES\)/);
    assert.match(out.results[0]?.text ?? '', /Body nvarchar\(max\), Raw Doc nvarchar\(max\)/);
  });

  it('fetch of a row of a table with xml columns returns it, the long xml values cut', async () => {
    const found = expectOk(await stack.research.search('sample dbo.Feeds limit 5', stack.ctx));
    const rowIds = found.results.map((r) => r.id).filter((id) => !id.startsWith('result:'));
    assert.ok(rowIds.length >= 2, JSON.stringify(found.results.map((r) => r.id)));
    for (const id of rowIds) {
      const document = expectOk(await stack.research.fetch(id, stack.ctx));
      assert.ok(document.text.length < 4 * CELL, `${document.text.length} characters`);
    }
    const texts = await Promise.all(rowIds.map(async (id) => expectOk(await stack.research.fetch(id, stack.ctx)).text));
    assert.ok(texts.some((t) => t.includes('<item>one</item>')));
    assert.ok(texts.some((t) => t.includes(CELL_TRUNCATED_MARKER)));
  });
});
