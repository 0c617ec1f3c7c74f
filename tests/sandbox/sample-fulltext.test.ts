import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import sql from 'mssql';
import { FULLTEXT_CATALOG, generateSampleDatabase, TABLES } from '../../sandbox/sample/index.ts';
import { useReaderPool } from './reader-pool.ts';

/**
 * The sample database's full-text catalog and indexes: the generator's T-SQL, and what the
 * database answers through the real `mssql` driver (the sandbox, or a real SQL Server loaded by
 * scripts/load-sqlserver.ts when MSSQL_TEST_HOST is set — where, without Full-Text Search
 * installed, the server-side checks skip and say so).
 */
const INDEXED = [
  ['dbo.Products', ['Name', 'Description']],
  ['dbo.SupportTickets', ['Subject', 'Body']],
  ['sales.ProductReviews', ['Title', 'Body']],
] as const;

describe('the sample generator emits the full-text catalog and indexes', () => {
  const batches = [...generateSampleDatabase({ scale: 0.01, largeRows: 10 })];
  const ft = batches.filter((b) => /FULLTEXT/.test(b));

  test('one CREATE FULLTEXT CATALOG … AS DEFAULT, then one CREATE FULLTEXT INDEX per indexed table, each alone in its batch, after every INSERT', () => {
    assert.deepEqual(
      ft.map((b) => b.match(/^CREATE FULLTEXT (CATALOG \w+|INDEX ON \S+)/)?.[0]),
      [
        `CREATE FULLTEXT CATALOG ${FULLTEXT_CATALOG}`,
        'CREATE FULLTEXT INDEX ON dbo.Products',
        'CREATE FULLTEXT INDEX ON sales.ProductReviews',
        'CREATE FULLTEXT INDEX ON dbo.SupportTickets',
      ],
    );
    for (const b of ft) assert.equal(b.match(/\bCREATE\b/g)?.length, 1, b);
    const lastInsert = batches.findLastIndex((b) => b.startsWith('INSERT'));
    assert.ok(batches.indexOf(ft[0] as string) > lastInsert);
  });

  test("each full-text index is keyed by its table's single-column, non-null primary key, in English, with automatic change tracking", () => {
    for (const table of TABLES.filter((t) => t.fullText)) {
      const ddl = ft.find((b) => b.includes(` ON ${table.schema}.${table.name} (`)) ?? '';
      assert.equal(table.primaryKey.columns.length, 1);
      assert.notEqual(table.columns.find((c) => c.name === table.primaryKey.columns[0])?.nullable, true);
      assert.ok(ddl.includes(`KEY INDEX ${table.primaryKey.name} ON ${FULLTEXT_CATALOG} WITH CHANGE_TRACKING = AUTO;`), ddl);
      for (const c of table.fullText?.columns ?? []) assert.ok(ddl.includes(`${c} LANGUAGE 1033`), ddl);
    }
  });

  test('fullText: false leaves the full-text DDL out (a SQL Server without Full-Text Search)', () => {
    assert.equal([...generateSampleDatabase({ scale: 0.01, largeRows: 10, fullText: false })].filter((b) => /FULLTEXT/.test(b)).length, 0);
  });
});

describe('the sample database is full-text indexed on products, support tickets and reviews only', () => {
  const pool = useReaderPool();
  const installed = async (): Promise<boolean> =>
    (await pool().request().query(`SELECT CAST(FULLTEXTSERVICEPROPERTY('IsFullTextInstalled') AS int) AS v`)).recordset[0].v === 1;

  test('sys.fulltext_indexes and sys.fulltext_index_columns list dbo.Products (Name, Description) and sales.ProductReviews (Title, Body), in the default catalog', async (t) => {
    if (!(await installed())) return t.skip('Full-Text Search is not installed on this server');
    const r = await pool()
      .request()
      .query(`SELECT s.name + '.' + o.name AS tbl, c.name AS col, cat.name AS catalog, cat.is_default, i.name AS key_index
      FROM sys.fulltext_indexes f JOIN sys.tables o ON o.object_id = f.object_id JOIN sys.schemas s ON s.schema_id = o.schema_id
      JOIN sys.fulltext_index_columns fc ON fc.object_id = f.object_id JOIN sys.columns c ON c.object_id = fc.object_id AND c.column_id = fc.column_id
      JOIN sys.fulltext_catalogs cat ON cat.fulltext_catalog_id = f.fulltext_catalog_id
      JOIN sys.indexes i ON i.object_id = f.object_id AND i.index_id = f.unique_index_id ORDER BY tbl, c.column_id`);
    const byTable = new Map<string, string[]>();
    for (const row of r.recordset) byTable.set(row.tbl, [...(byTable.get(row.tbl) ?? []), row.col]);
    assert.deepEqual(
      [...byTable],
      INDEXED.map(([t, cols]) => [t, [...cols]]),
    );
    assert.ok(r.recordset.every((row) => row.catalog === FULLTEXT_CATALOG && row.is_default === true && /^PK_/.test(row.key_index)));
  });

  test('refunds have no full-text index: OBJECTPROPERTYEX says so and CONTAINS on them is error 7601', async () => {
    const r = await pool().request().query(`SELECT OBJECTPROPERTYEX(OBJECT_ID('sales.Refunds'), 'TableHasActiveFulltextIndex') AS refunds`);
    assert.equal(r.recordset[0].refunds, 0);
    await assert.rejects(
      pool().request().query(`SELECT RefundID FROM sales.Refunds WHERE CONTAINS(Reason, N'refund')`),
      (e: { number?: number }) => e.number === 7601,
    );
  });

  test('FREETEXTTABLE on the reviews with a parameter, joined back on [KEY]: the best rows mention the word, ranked high to low', async (t) => {
    if (!(await installed())) return t.skip('Full-Text Search is not installed on this server');
    const r = await pool()
      .request()
      .input('q', sql.NVarChar(4000), 'broken')
      .query<{ ReviewID: number; Title: string; Body: string; RANK: number }>(
        `SELECT r.ReviewID, r.Title, r.Body, ft.RANK FROM FREETEXTTABLE(sales.ProductReviews, (Title, Body), @q, 20) AS ft
       JOIN sales.ProductReviews AS r ON r.ReviewID = ft.[KEY] ORDER BY ft.RANK DESC`,
      );
    assert.ok(r.recordset.length > 0);
    for (const row of r.recordset) assert.match(`${row.Title} ${row.Body}`, /\bbreak|\bbroke/i);
    const ranks = r.recordset.map((row) => row.RANK);
    assert.deepEqual(
      ranks,
      [...ranks].sort((a, b) => b - a),
    );
  });

  test('CONTAINS finds every review that has the whole word, and no review without it', async (t) => {
    if (!(await installed())) return t.skip('Full-Text Search is not installed on this server');
    const all = await pool()
      .request()
      .query<{ ReviewID: number; Title: string; Body: string }>('SELECT ReviewID, Title, Body FROM sales.ProductReviews');
    const expected = all.recordset
      .filter((row) => /\bdelivery\b/i.test(`${row.Title} ${row.Body}`))
      .map((row) => row.ReviewID)
      .sort((a, b) => a - b);
    const found = await pool()
      .request()
      .input('q', sql.NVarChar, '"delivery"')
      .query<{ ReviewID: number }>('SELECT ReviewID FROM sales.ProductReviews WHERE CONTAINS((Title, Body), @q)');
    const got = found.recordset.map((row) => row.ReviewID).sort((a, b) => a - b);
    assert.ok(expected.length > 0, 'the sample has reviews about delivery');
    for (const id of expected) assert.ok(got.includes(id), `review ${id} mentions delivery`);
    for (const id of got)
      assert.match(
        `${all.recordset.find((row) => row.ReviewID === id)?.Body} ${all.recordset.find((row) => row.ReviewID === id)?.Title}`,
        /\bdeliver/i,
      );
  });

  test('CONTAINSTABLE on the products with a prefix term and top_n returns at most n keys of existing products', async (t) => {
    if (!(await installed())) return t.skip('Full-Text Search is not installed on this server');
    const r = await pool()
      .request()
      .input('q', sql.NVarChar, '"kitch*" OR garden')
      .input('n', sql.Int, 5)
      .query<{ ProductID: number; Name: string; Description: string }>(
        `SELECT p.ProductID, p.Name, p.Description FROM CONTAINSTABLE(dbo.Products, *, @q, @n) AS ct JOIN dbo.Products AS p ON p.ProductID = ct.[KEY]`,
      );
    assert.ok(r.recordset.length > 0 && r.recordset.length <= 5);
    for (const row of r.recordset) assert.match(`${row.Name} ${row.Description}`, /\bkitch|\bgarden/i);
  });
});
