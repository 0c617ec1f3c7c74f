import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sql from 'mssql';
import { startTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { openReaderPool } from './reader-pool.ts';

/**
 * SQL Server Full-Text Search in the sandbox, through the real `mssql` driver over TDS: the DDL,
 * the catalog views, CONTAINS/FREETEXT and CONTAINSTABLE/FREETEXTTABLE (terms, phrases, prefixes,
 * boolean operators, FORMSOF, ISABOUT, NEAR, ranking, top_n, parameters), SQL Server's errors, and
 * the sample database's full-text indexes. The owner's own table dbo.FtNotes gives exact answers.
 * These are engine tests: against a real server (MSSQL_TEST_HOST) population is asynchronous and
 * the DDL would change the shared database, so they run against the sandbox only.
 */
const onRealServer = process.env.MSSQL_TEST_HOST !== undefined && process.env.MSSQL_TEST_HOST !== '';

const NOTES: [number, string, string][] = [
  [1, 'Broken kettle', 'The kettle arrived broken and the lid was cracked.'],
  [2, 'Lovely teapot', 'Arrived quickly. Lovely design, it works well.'],
  [3, 'Late delivery', 'The parcel arrived two weeks late; the courier lost it.'],
  [4, 'Kettle review', 'The kettle boils fast, the kettle is quiet: a great kettle.'],
  [5, 'Happy customer', 'I appreciate the application; happy with the apple peeler.'],
  [6, 'Charged twice', 'My card was charged twice for one order and nobody answered.'],
  [7, 'Running shoes', 'These shoes are good for runners who run daily.'],
];

let db: TestDatabase | undefined;
let owner: sql.ConnectionPool;
let reader: sql.ConnectionPool;

before(async () => {
  if (onRealServer) return;
  db = await startTestDatabase({ fresh: true }); // creates tables and full-text indexes
  reader = await openReaderPool(db);
  owner = await new sql.ConnectionPool({
    server: db.host,
    port: db.port,
    database: db.database,
    user: db.owner.user,
    password: db.owner.password,
    options: { encrypt: false, trustServerCertificate: true },
  }).connect();
  await owner
    .request()
    .batch(`CREATE TABLE dbo.FtNotes (NoteID int NOT NULL, Title nvarchar(100) NOT NULL, Body nvarchar(max) NULL, Code int NOT NULL,
    CONSTRAINT PK_FtNotes PRIMARY KEY (NoteID))`);
  await owner.request().batch(`CREATE UNIQUE INDEX UX_FtNotes_Code ON dbo.FtNotes (Code)`);
  await owner
    .request()
    .batch(`INSERT INTO dbo.FtNotes VALUES ${NOTES.map(([id, t, b]) => `(${id}, N'${t}', N'${b}', ${id * 10})`).join(', ')}`);
});
after(async () => {
  await owner?.close();
  await reader?.close();
  await db?.close();
});

async function ids(pool: sql.ConnectionPool, query: string): Promise<number[]> {
  const r = await pool.request().query<{ id: number }>(query);
  return r.recordset.map((row) => row.id).sort((a, b) => a - b);
}

async function sqlError(run: () => Promise<unknown>): Promise<{ number: number; message: string }> {
  try {
    await run();
  } catch (error) {
    const e = error as { number?: number; message: string };
    return { number: e.number ?? -1, message: e.message };
  }
  assert.fail('expected a SQL Server error');
}

describe(onRealServer
  ? 'full-text search in the sandbox (skipped: engine tests run against the sandbox only)'
  : 'full-text search in the sandbox', { skip: onRealServer }, () => {
  describe('DDL and catalog views', () => {
    test('CREATE FULLTEXT INDEX in a catalog that does not exist fails with 7641', async () => {
      const e = await sqlError(() =>
        owner.request().batch('CREATE FULLTEXT INDEX ON dbo.FtNotes (Title, Body) KEY INDEX PK_FtNotes ON NoSuchCatalog'),
      );
      assert.equal(e.number, 7641);
    });

    test('CREATE FULLTEXT CATALOG … AS DEFAULT becomes the only default in sys.fulltext_catalogs; a second one of that name fails with 7689', async () => {
      await owner.request().batch('CREATE FULLTEXT CATALOG NotesCatalog AS DEFAULT');
      const r = await reader.request().query(`SELECT name FROM sys.fulltext_catalogs WHERE is_default = 1`);
      assert.deepEqual(
        r.recordset.map((row) => row.name),
        ['NotesCatalog'],
      );
      assert.equal((await sqlError(() => owner.request().batch('CREATE FULLTEXT CATALOG NotesCatalog'))).number, 7689);
    });

    test('a KEY INDEX that is not a unique index of the table, and a non-character column, are refused (7653, 7657)', async () => {
      await owner.request().batch('CREATE INDEX IX_FtNotes_Title ON dbo.FtNotes (Title)');
      const notUnique = await sqlError(() =>
        owner.request().batch('CREATE FULLTEXT INDEX ON dbo.FtNotes (Title) KEY INDEX IX_FtNotes_Title'),
      );
      assert.equal(notUnique.number, 7653);
      const notText = await sqlError(() => owner.request().batch('CREATE FULLTEXT INDEX ON dbo.FtNotes (Code) KEY INDEX PK_FtNotes'));
      assert.equal(notText.number, 7657);
      const count = await reader
        .request()
        .query(`SELECT COUNT(*) AS n FROM sys.fulltext_indexes WHERE object_id = OBJECT_ID('dbo.FtNotes')`);
      assert.equal(count.recordset[0].n, 0, 'a refused CREATE leaves no index behind');
    });

    test('CREATE FULLTEXT INDEX … KEY INDEX pk ON catalog WITH CHANGE_TRACKING AUTO shows in sys.fulltext_indexes and sys.fulltext_index_columns, not in sys.indexes', async () => {
      const before = await reader.request().query(`SELECT name FROM sys.indexes WHERE object_id = OBJECT_ID('dbo.FtNotes') ORDER BY name`);
      await owner
        .request()
        .batch(
          'CREATE FULLTEXT INDEX ON dbo.FtNotes (Title LANGUAGE 1033, Body LANGUAGE 1033) KEY INDEX PK_FtNotes ON NotesCatalog WITH CHANGE_TRACKING = AUTO',
        );
      const fi = await reader
        .request()
        .query(`SELECT f.unique_index_id, f.fulltext_catalog_id, f.is_enabled, f.change_tracking_state, f.has_crawl_completed, i.name AS key_index, c.name AS catalog
        FROM sys.fulltext_indexes f JOIN sys.indexes i ON i.object_id = f.object_id AND i.index_id = f.unique_index_id
        JOIN sys.fulltext_catalogs c ON c.fulltext_catalog_id = f.fulltext_catalog_id WHERE f.object_id = OBJECT_ID('dbo.FtNotes')`);
      assert.deepEqual(
        fi.recordset.map((r) => [r.key_index, r.catalog, r.is_enabled, r.change_tracking_state, r.has_crawl_completed]),
        [['PK_FtNotes', 'NotesCatalog', true, 'A', true]],
      );
      const cols = await reader.request().query(`SELECT c.name, fc.language_id FROM sys.fulltext_index_columns fc
        JOIN sys.columns c ON c.object_id = fc.object_id AND c.column_id = fc.column_id WHERE fc.object_id = OBJECT_ID('dbo.FtNotes') ORDER BY c.column_id`);
      assert.deepEqual(
        cols.recordset.map((r) => [r.name, r.language_id]),
        [
          ['Title', 1033],
          ['Body', 1033],
        ],
      );
      const after = await reader.request().query(`SELECT name FROM sys.indexes WHERE object_id = OBJECT_ID('dbo.FtNotes') ORDER BY name`);
      assert.deepEqual(after.recordset, before.recordset, 'the full-text index is not a relational index');
      const props = await reader.request().query(`SELECT FULLTEXTSERVICEPROPERTY('IsFullTextInstalled') AS installed,
        OBJECTPROPERTYEX(OBJECT_ID('dbo.FtNotes'), 'TableHasActiveFulltextIndex') AS active,
        OBJECTPROPERTY(OBJECT_ID('dbo.FtNotes'), 'TableHasActiveFulltextIndex') AS active_op,
        OBJECTPROPERTY(OBJECT_ID('dbo.FtNotes'), 'IsUserTable') AS user_table,
        OBJECTPROPERTYEX(OBJECT_ID('dbo.FtNotes'), 'TableFullTextPopulateStatus') AS populate,
        FULLTEXTCATALOGPROPERTY('NotesCatalog', 'PopulateStatus') AS catalog_status`);
      assert.deepEqual({ ...props.recordset[0] }, { installed: 1, active: 1, active_op: 1, user_table: 1, populate: 0, catalog_status: 0 });
    });

    test("SELECT * shows only the table's own columns once it is full-text indexed", async () => {
      const r = await reader.request().query('SELECT * FROM dbo.FtNotes WHERE NoteID = 1');
      assert.deepEqual(Object.keys(r.recordset.columns), ['NoteID', 'Title', 'Body', 'Code']);
    });

    test('CREATE FULLTEXT CATALOG inside a user transaction fails with 574', async () => {
      const tx = new sql.Transaction(owner);
      await tx.begin();
      const e = await sqlError(() => new sql.Request(tx).batch('CREATE FULLTEXT CATALOG InTran'));
      await tx.rollback();
      assert.equal(e.number, 574);
      const left = await reader.request().query(`SELECT COUNT(*) AS n FROM sys.fulltext_catalogs WHERE name = N'InTran'`);
      assert.equal(left.recordset[0].n, 0);
    });

    test('a second CREATE FULLTEXT INDEX on the table fails with 7652', async () => {
      const e = await sqlError(() => owner.request().batch('CREATE FULLTEXT INDEX ON dbo.FtNotes (Title) KEY INDEX PK_FtNotes'));
      assert.equal(e.number, 7652);
    });
  });

  describe('CONTAINS', () => {
    const cases: [string, string, number[]][] = [
      ['*', 'kettle', [1, 4]],
      ['Title', 'kettle', [1, 4]],
      ['Title', 'lid', []],
      ['(Title, Body)', 'courier', [3]],
      ['Body', 'app', []],
      ['*', '"app*"', [5]],
      ['*', '"charged twice"', [6]],
      ['*', '"twice charged"', []],
      ['*', 'kettle AND lid', [1]],
      ['*', 'kettle & lid', [1]],
      ['*', 'kettle AND NOT lid', [4]],
      ['*', 'kettle &! lid', [4]],
      ['*', 'kettle OR courier', [1, 3, 4]],
      ['*', 'teapot | courier', [2, 3]],
      ['*', '(kettle OR teapot) AND NOT broken', [2, 4]],
      ['*', 'kettle NEAR lid', [1]],
      ['*', 'kettle ~ quiet', [4]],
      ['*', 'NEAR((kettle, lid), 5)', [1]],
      ['Body', 'FORMSOF(INFLECTIONAL, arrive)', [1, 2, 3]],
      ['*', 'FORMSOF(INFLECTIONAL, run, shoe)', [7]],
      ['*', 'FORMSOF(THESAURUS, shoe)', [7]],
      ['*', 'ISABOUT(kettle WEIGHT(0.9), courier WEIGHT(0.1))', [1, 3, 4]],
      ['*', 'the', []],
    ];
    for (const [cols, cond, expected] of cases) {
      test(`CONTAINS(${cols}, '${cond}') finds notes ${JSON.stringify(expected)}`, async () => {
        const q = `SELECT NoteID AS id FROM dbo.FtNotes WHERE CONTAINS(${cols}, N'${cond.replaceAll("'", "''")}')`;
        assert.deepEqual(await ids(reader, q), expected);
      });
    }

    test('a qualified column list and the alias resolve in a join', async () => {
      const q = `SELECT n.NoteID AS id FROM dbo.FtNotes AS n JOIN dbo.FtNotes AS m ON m.NoteID = n.NoteID WHERE CONTAINS((n.Title, n.Body), N'kettle AND NOT lid')`;
      assert.deepEqual(await ids(reader, q), [4]);
      const star = `SELECT m.NoteID AS id FROM dbo.FtNotes AS n JOIN dbo.FtNotes AS m ON m.NoteID = n.NoteID + 1 WHERE CONTAINS(m.*, N'courier')`;
      assert.deepEqual(await ids(reader, star), [3]);
    });

    test('CONTAINS inside an IF EXISTS condition', async () => {
      const r = await reader
        .request()
        .batch(`IF EXISTS (SELECT 1 FROM dbo.FtNotes WHERE CONTAINS(*, N'courier')) SELECT 1 AS found ELSE SELECT 0 AS found`);
      assert.equal(r.recordset[0].found, 1);
      const none = await reader
        .request()
        .batch(`IF EXISTS (SELECT 1 FROM dbo.FtNotes WHERE CONTAINS(*, N'zebra')) SELECT 1 AS found ELSE SELECT 0 AS found`);
      assert.equal(none.recordset[0].found, 0);
    });
  });

  describe('FREETEXT', () => {
    const cases: [string, number[]][] = [
      ['kettles arriving broken', [1, 2, 3, 4]],
      ['the and of', []],
      ['"charged twice"', [6]],
      ['runner', [7]],
    ];
    for (const [text, expected] of cases) {
      test(`FREETEXT(*, '${text}') finds notes ${JSON.stringify(expected)}`, async () => {
        assert.deepEqual(await ids(reader, `SELECT NoteID AS id FROM dbo.FtNotes WHERE FREETEXT(*, N'${text}')`), expected);
      });
    }
  });

  describe('CONTAINSTABLE and FREETEXTTABLE', () => {
    async function ranks(query: string, input?: Record<string, unknown>): Promise<Map<number, number>> {
      const req = reader.request();
      for (const [k, v] of Object.entries(input ?? {})) req.input(k, v);
      const r = await req.query<{ KEY: number; RANK: number }>(query);
      assert.deepEqual(Object.keys(r.recordset.columns), ['KEY', 'RANK']);
      return new Map(r.recordset.map((row) => [row.KEY, row.RANK]));
    }

    test('RANK is an int from 0 to 1000, and a rarer matched word ranks higher than a common one', async () => {
      const r = await ranks(`SELECT * FROM FREETEXTTABLE(dbo.FtNotes, *, N'kettle courier')`);
      assert.deepEqual([...r.keys()].sort(), [1, 3, 4]);
      for (const v of r.values()) assert.ok(Number.isInteger(v) && v >= 0 && v <= 1000, String(v));
      assert.ok((r.get(3) ?? 0) > (r.get(1) ?? 0) && (r.get(3) ?? 0) > (r.get(4) ?? 0), JSON.stringify([...r]));
    });

    test('a row matching more of the words ranks higher', async () => {
      const r = await ranks(`SELECT [KEY], RANK FROM CONTAINSTABLE(dbo.FtNotes, (Title, Body), N'kettle OR lid OR broken')`);
      assert.ok((r.get(1) ?? 0) > (r.get(4) ?? 0), JSON.stringify([...r]));
    });

    test("ISABOUT weights order the rows: the heavier term ranks its rows above the lighter one's", async () => {
      const heavy = await ranks(`SELECT * FROM CONTAINSTABLE(dbo.FtNotes, *, N'ISABOUT(kettle WEIGHT(0.9), courier WEIGHT(0.1))')`);
      const light = await ranks(`SELECT * FROM CONTAINSTABLE(dbo.FtNotes, *, N'ISABOUT(kettle WEIGHT(0.1), courier WEIGHT(0.9))')`);
      assert.ok((heavy.get(1) ?? 0) > (heavy.get(3) ?? 0), JSON.stringify([...heavy]));
      assert.ok((light.get(3) ?? 0) > (light.get(1) ?? 0), JSON.stringify([...light]));
    });

    test('top_n keeps the n best rows', async () => {
      const all = await ranks(`SELECT * FROM FREETEXTTABLE(dbo.FtNotes, *, N'kettle courier')`);
      const top = await ranks(`SELECT * FROM FREETEXTTABLE(dbo.FtNotes, *, N'kettle courier', 2)`);
      const best = [...all].sort((a, b) => b[1] - a[1]).slice(0, 2);
      assert.deepEqual(
        [...top].sort((a, b) => b[1] - a[1]),
        best,
      );
    });

    test('the search condition and top_n as sp_executesql parameters, joined back to the table on [KEY]', async () => {
      const r = await reader
        .request()
        .input('q', sql.NVarChar(200), '"charged twice" OR courier')
        .input('n', sql.Int, 5)
        .query<{
          NoteID: number;
          Title: string;
          RANK: number;
        }>(`SELECT n.NoteID, n.Title, ct.RANK FROM CONTAINSTABLE(dbo.FtNotes, *, @q, LANGUAGE 1033, @n) AS ct
          JOIN dbo.FtNotes AS n ON n.NoteID = ct.[KEY] ORDER BY ct.RANK DESC, n.NoteID`);
      assert.deepEqual(r.recordset.map((row) => row.Title).sort(), ['Charged twice', 'Late delivery']);
    });

    test('EXEC sp_executesql with a FREETEXT parameter in a batch', async () => {
      const r = await reader
        .request()
        .batch(
          `EXEC sp_executesql N'SELECT NoteID AS id FROM dbo.FtNotes WHERE FREETEXT(Title, @text) ORDER BY NoteID', N'@text nvarchar(100)', @text = N'kettles'`,
        );
      assert.deepEqual(
        r.recordset.map((row) => row.id),
        [1, 4],
      );
    });
  });

  describe('change tracking', () => {
    test('rows inserted, updated and deleted after CREATE FULLTEXT INDEX are searchable at once (the sandbox populates synchronously)', async () => {
      const find = () => ids(reader, `SELECT NoteID AS id FROM dbo.FtNotes WHERE CONTAINS(*, N'wombat')`);
      await owner.request().batch(`INSERT INTO dbo.FtNotes VALUES (8, N'Wombat mug', N'A mug with a wombat on it.', 80)`);
      assert.deepEqual(await find(), [8]);
      await owner.request().batch(`UPDATE dbo.FtNotes SET Title = N'Koala mug', Body = N'A mug with a koala on it.' WHERE NoteID = 8`);
      assert.deepEqual(await find(), []);
      assert.deepEqual(await ids(reader, `SELECT NoteID AS id FROM dbo.FtNotes WHERE CONTAINS(Title, N'koala')`), [8]);
      await owner.request().batch(`DELETE FROM dbo.FtNotes WHERE NoteID = 8`);
      assert.deepEqual(await ids(reader, `SELECT [KEY] AS id FROM CONTAINSTABLE(dbo.FtNotes, *, N'koala')`), []);
    });
  });

  describe('errors', () => {
    const bad = [
      'kettle AND',
      'AND kettle',
      '"unclosed',
      'kettle OR NOT lid',
      'FORMSOF(SOMETHING, x)',
      'ISABOUT(kettle WEIGHT(2))',
      '(kettle',
      'kettle)',
    ];
    for (const cond of bad) {
      test(`'${cond}' is a syntax error in the full-text search condition (7630)`, async () => {
        const e = await sqlError(() =>
          reader.request().input('q', sql.NVarChar, cond).query('SELECT NoteID FROM dbo.FtNotes WHERE CONTAINS(*, @q)'),
        );
        assert.equal(e.number, 7630);
        assert.match(e.message, /in the full-text search condition/);
      });
    }

    test('a condition nested deeper than 32 parentheses is 7630, not a crash', async () => {
      const cond = `${'('.repeat(40)}kettle${')'.repeat(40)}`;
      const e = await sqlError(() =>
        reader.request().input('q', sql.NVarChar, cond).query('SELECT NoteID FROM dbo.FtNotes WHERE CONTAINS(*, @q)'),
      );
      assert.equal(e.number, 7630);
    });

    test('a 20 000-character condition of 2 000 terms is answered, ranked on its first terms', async () => {
      const cond = Array.from({ length: 2000 }, (_, i) => (i === 1999 ? 'courier' : 'kettle'))
        .join(' OR ')
        .padEnd(20_000, ' ');
      const r = await reader
        .request()
        .input('q', sql.NVarChar(sql.MAX), cond)
        .query<{ id: number }>('SELECT [KEY] AS id FROM CONTAINSTABLE(dbo.FtNotes, *, @q) ORDER BY [KEY]');
      assert.deepEqual(
        r.recordset.map((row) => row.id),
        [1, 3, 4],
      );
    });

    test('an empty or NULL search condition is 7645', async () => {
      for (const value of ['', '   ', null]) {
        const e = await sqlError(() =>
          reader.request().input('q', sql.NVarChar, value).query('SELECT NoteID FROM dbo.FtNotes WHERE CONTAINS(Body, @q)'),
        );
        assert.equal(e.number, 7645, String(value));
      }
    });

    test('CONTAINS on a column outside the full-text index is 7601 naming the column', async () => {
      const e = await sqlError(() => reader.request().query(`SELECT NoteID FROM dbo.FtNotes WHERE CONTAINS(Code, N'x')`));
      assert.equal(e.number, 7601);
      assert.match(e.message, /column 'Code' because it is not full-text indexed/);
    });

    test('CONTAINS, FREETEXT, CONTAINSTABLE and FREETEXTTABLE on a table without a full-text index are 7601 naming the table', async () => {
      for (const q of [
        `SELECT RefundID FROM sales.Refunds WHERE CONTAINS(Reason, N'refund')`,
        `SELECT RefundID FROM sales.Refunds WHERE FREETEXT(*, N'refund')`,
        `SELECT * FROM CONTAINSTABLE(sales.Refunds, *, N'refund')`,
        `SELECT * FROM FREETEXTTABLE(sales.Refunds, Reason, N'refund')`,
      ]) {
        const e = await sqlError(() => reader.request().query(q));
        assert.equal(e.number, 7601, q);
        assert.match(e.message, /table or indexed view 'sales\.Refunds' because it is not full-text indexed/);
      }
    });
  });

  describe('DROP', () => {
    test('DROP FULLTEXT CATALOG with an index in it fails with 7605; DROP FULLTEXT INDEX then DROP FULLTEXT CATALOG remove both', async () => {
      assert.equal((await sqlError(() => owner.request().batch('DROP FULLTEXT CATALOG NotesCatalog'))).number, 7605);
      await owner.request().batch('DROP FULLTEXT INDEX ON dbo.FtNotes');
      await owner.request().batch('DROP FULLTEXT CATALOG NotesCatalog');
      const left = await reader
        .request()
        .query(`SELECT (SELECT COUNT(*) FROM sys.fulltext_indexes WHERE object_id = OBJECT_ID('dbo.FtNotes')) AS ix,
        (SELECT COUNT(*) FROM sys.fulltext_index_columns WHERE object_id = OBJECT_ID('dbo.FtNotes')) AS cols,
        (SELECT COUNT(*) FROM sys.fulltext_catalogs WHERE name = N'NotesCatalog') AS cats`);
      assert.deepEqual({ ...left.recordset[0] }, { ix: 0, cols: 0, cats: 0 });
      const e = await sqlError(() => reader.request().query(`SELECT NoteID FROM dbo.FtNotes WHERE CONTAINS(*, N'kettle')`));
      assert.equal(e.number, 7601);
    });
  });
});
