import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createGuard } from '../../../src/sql-guard/index.ts';
import { openGuard } from './corpus.ts';

const guard = openGuard();

/** Cases per class of input; the corpus has examples, these cover the classes more widely. */
const ACCEPT: Record<string, string[]> = {
  'names that contain or are keywords, quoted': [
    'SELECT [Drop], [Insert Date], [Update] FROM dbo.LegacyImport',
    'SELECT [Delete], [Exec] FROM dbo.LegacyFlags',
    'SELECT "Drop", "Exec" FROM dbo.LegacyImport',
    'SELECT LastUpdated, UpdatedBy, ExecutedAt, CreatedBy, DeletedFlag FROM dbo.Products',
    'SELECT Name AS [Delete], City AS "Insert" FROM sales.Customers',
  ],
  'keywords inside string literals': [
    "SELECT N'DELETE FROM x; DROP TABLE y' AS s",
    "SELECT 'EXEC xp_cmdshell ''dir''' AS s",
    "SELECT Name FROM sales.Customers WHERE Name = 'it''s; SHUTDOWN'",
    "SELECT N'ＤＥＬＥＴＥ\u00a0\u200b' AS unicode_inside_a_literal",
  ],
  'doubling inside quotes': ["SELECT 'a]]b' AS [x]]y]", 'SELECT 1 AS "a""b"', "SELECT 1 AS [a]]; DROP TABLE t; --]"],
  'comments, nested and line': [
    'SELECT /* outer /* inner */ still comment */ 1',
    'SELECT 1 -- trailing comment',
    'SELECT 1 --no space comment\n',
    '/* a */ SELECT 1; -- done',
  ],
  'query shapes node-sql-parser cannot read': [
    'SELECT * FROM sales.Orders ORDER BY OrderID OFFSET 10 ROWS FETCH FIRST 10 ROWS ONLY',
    'SELECT o.OrderID FROM sales.Orders AS o INNER MERGE JOIN sales.Customers c ON c.CustomerID = o.CustomerID',
    'WITH r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT n FROM r OPTION (MAXRECURSION 100)',
    "SELECT OrderDate AT TIME ZONE 'UTC' AS d FROM sales.Orders",
    "SELECT STRING_AGG(Name, ',') WITHIN GROUP (ORDER BY Name) FROM sales.Customers",
    'SELECT COUNT(*) FROM sales.Orders WITH (INDEX = 1)',
    'SELECT COUNT(*) FROM sales.Orders GROUP BY CustomerID WITH ROLLUP',
    'SELECT * FROM sales.Orders TABLESAMPLE (10 PERCENT)',
    'SELECT geography::Point(1, 2, 4326).STAsText() AS p',
    "WITH XMLNAMESPACES ('uri' AS ns) SELECT 1 AS a FOR XML RAW, ELEMENTS XSINIL",
    'SELECT CAST(1 AS double precision) AS d',
    'SELECT * FROM sales.Orders o JOIN (sales.Customers c JOIN sales.Orders o2 ON o2.CustomerID = c.CustomerID) ON c.CustomerID = o.CustomerID',
  ],
  'subqueries and expressions': [
    'SELECT ISNULL((SELECT MAX(Total) FROM sales.Orders), 0) AS m',
    'SELECT ROW_NUMBER() OVER (ORDER BY (SELECT NULL)) AS rn FROM sales.Orders',
    '(SELECT 1 AS a) UNION (SELECT 2)',
    'SELECT CASE WHEN EXISTS (SELECT 1 FROM sales.Orders) THEN 1 ELSE 0 END AS x',
    "SELECT Name FROM sales.Customers WHERE Name NOT LIKE 'A%' AND City IS NOT NULL AND CustomerID NOT BETWEEN 1 AND 3",
    "SELECT Body.value('(/a)[1]', 'int') AS v FROM sales.ProductReviews",
    'SELECT TOP (SELECT 5) Name FROM sales.Customers',
    'SELECT IIF(Total > 1, 1, 0), TRY_CONVERT(int, Total), LEFT(Status, 1), RIGHT(Status, 2) FROM sales.Orders',
    `SELECT OrderID FROM sales.Orders WHERE ${Array.from({ length: 300 }, (_, i) => `OrderID = ${i}`).join(' OR ')}`,
  ],
};

const REFUSE: Record<string, string[]> = {
  'stacked statements without a semicolon': [
    'SELECT 1 x ENABLE TRIGGER t ON sales.Orders',
    "SELECT 1 THROW 50000, 'x', 1",
    'SELECT 1 SELECT 2',
    'SELECT 1 (SELECT 2)',
    'SELECT 1 x(SELECT 2)',
    'SELECT 1 FROM sales.Orders (SELECT 2)',
    'SELECT (SELECT 1) x (SELECT 2) y',
    'SELECT 1 WITH x AS (SELECT 1 AS a) SELECT * FROM x',
    'SELECT * FROM sales.Orders x y',
    "SELECT 1 'a' 'b'",
    'SELECT CASE WHEN 1=1 THEN 1 END x DBCC CHECKDB',
    'SELECT 1 x RECEIVE * FROM q',
    "SELECT * FROM OPENJSON('[]') WITH (a int) x ENABLE TRIGGER t ON u",
    'SELECT 1 AS x FROM sales.Orders FOR XML PATH, TYPE x',
    'SELECT 1 x: GOTO x',
    'SELECT COUNT(*) FROM sales.Orders GROUP BY ROLLUP (SELECT 1)',
    "SELECT 1 AS a FOR XML PATH (SELECT 'x')",
    'SELECT * FROM sales.Orders WITH (SELECT 1)',
    'SELECT COUNT(*) OVER (SELECT 1) FROM sales.Orders',
  ],
  'stacked statements with a semicolon': ['SELECT 1 ; SELECT 2', 'SELECT 1;;', 'SELECT 1;\n\n-- c\nSELECT 2'],
  'lock-holding hints': [
    'SELECT * FROM sales.Orders WITH (UPDLOCK)',
    'SELECT * FROM sales.Orders WITH (HOLDLOCK)',
    'SELECT * FROM sales.Orders WITH (SERIALIZABLE)',
    'SELECT * FROM sales.Orders WITH (REPEATABLEREAD)',
    'SELECT * FROM sales.Orders (UPDLOCK)',
    'SELECT * FROM sales.Orders WITH (NOLOCK, TABLOCKX)',
  ],
  'server-level objects in every spelling': [
    'SELECT * FROM sp_who',
    'SELECT * FROM master..sysprocesses',
    'SELECT * FROM sysprocesses',
    'SELECT * FROM [sys].[dm_exec_sessions]',
    'SELECT * FROM sys.dm_tran_locks',
    'SELECT * FROM sys.dm_exec_sql_text(0x01)',
    "SELECT PWDCOMPARE('x', 0x01)",
    'SELECT * FROM sys.server_principals',
    'SELECT * FROM "sys"."sql_logins"',
    'SELECT * FROM sys . sql_logins',
    'SELECT * FROM sys./*c*/sql_logins',
    'SELECT * FROM srv.db.dbo.t',
    'SELECT * FROM msdb.dbo.sysjobs',
    "SELECT * FROM [OPENROWSET]('a','b','c')",
    'SELECT * FROM sales.Orders o CROSS APPLY sys.dm_exec_sql_text(o.x)',
    "SELECT * FROM sys.fn_xe_file_target_read_file('a', NULL, NULL, NULL)",
    'SELECT * FROM sys.[sql_logins ]',
    'SELECT * FROM \uff53\uff59\uff53.\uff53\uff51\uff4c\uff3f\uff4c\uff4f\uff47\uff49\uff4e\uff53',
    'SELECT * FROM sys.sql_lo\u0301gins',
    'SELECT * FROM ##other_session',
  ],
  'unicode tricks outside literals': [
    'SELECT 1\u3000DROP TABLE t',
    'SELECT\u00a01',
    'SELECT 1 --x\u2029DROP TABLE t',
    'SELECT 1 DE\u200dLETE',
    'S\u0415LECT 1',
    '\ufeffSELECT 1',
    'SELECT [a\u00a0b] FROM t',
    'SELECT 1 \uff24\uff32\uff2f\uff30 TABLE t',
  ],
  'lexer errors and foreign syntax': [
    'SELECT 1 /* unterminated',
    "SELECT 'unterminated",
    'SELECT [unterminated',
    'SELECT 1 \\ DROP TABLE t',
    'SELECT 1 # DROP TABLE t',
    'SELECT $1',
    'SELECT `a` FROM t',
    "SELECT 'a\\'' ; SELECT 1; --'",
  ],
  'other statements and clauses': [
    '',
    '   -- only a comment',
    'SELECT 1 FOR BROWSE',
    'SELECT 1 OPTION (USE HINT (\'x\'))',
    'SELECT 1 AS a INTO #t',
    'WITH a AS (SELECT 1 AS x) UPDATE a SET x = 2',
    'SELECT @x',
    'SELECT NEXT VALUE FOR dbo.Seq',
    'FETCH NEXT FROM c',
    'SELECT * FROM sales.Orders WHERE 1 = 1 SET NOCOUNT ON',
  ],
};

describe('guard classes beyond the corpus', () => {
  for (const [name, cases] of Object.entries(ACCEPT)) {
    test(`accepts ${name}`, () => {
      const refused = cases.flatMap((sql) => {
        const v = guard.check(sql);
        return v.ok ? [] : [`${JSON.stringify(sql)}: ${v.code} ${v.reason}`];
      });
      assert.deepEqual(refused, []);
    });
  }
  for (const [name, cases] of Object.entries(REFUSE)) {
    test(`refuses ${name}`, () => {
      const accepted = cases.flatMap((sql) => {
        const v = guard.check(sql);
        return v.ok ? [`${JSON.stringify(sql)} accepted as ${v.sql}`] : [];
      });
      assert.deepEqual(accepted, []);
    });
  }

  test('a refusal names the word, its line and column, and how to rephrase', () => {
    const v = guard.check('DELETE FROM sales.Orders');
    assert.equal(v.ok, false);
    if (v.ok) return;
    assert.equal(v.code, 'READ_ONLY_VIOLATION');
    assert.match(v.reason, /found DELETE at line 1, column 1/);
    assert.deepEqual(v.position, { line: 1, column: 1 });
    assert.match(v.hint ?? '', /SELECT/);
    const later = guard.check('SELECT 1\r\n  DROP TABLE t');
    assert.ok(!later.ok && later.position?.line === 2 && later.position.column === 3);
  });

  test('comments and odd spacing never reach the SQL that runs', () => {
    const v = guard.check("SELECT /* x */ Name -- y\n\tFROM   sales . Customers WHERE Name = 'a  b'");
    assert.ok(v.ok);
    assert.equal(v.sql, "SELECT TOP (101) Name FROM sales.Customers WHERE Name = 'a  b'");
  });

  test('an over-long query is refused before it is read', () => {
    const small = createGuard({ maxLength: 50, rowCap: 10, denySchemas: [], denyTables: [] });
    const v = small.check(`SELECT '${'x'.repeat(100)}'`);
    assert.ok(!v.ok && v.code === 'SQL_TOO_LONG');
    const junk = small.check(`\u0000${'`'.repeat(200)}`);
    assert.ok(!junk.ok && junk.code === 'SQL_TOO_LONG');
  });

  test('unparseable SQL is refused with the position of the problem and a hint', () => {
    const v = guard.check('SELECT Name FROM sales.Customers WHERE (City = 1');
    assert.ok(!v.ok);
    assert.equal(v.code, 'SQL_PARSE_ERROR');
    assert.deepEqual(v.position, { line: 1, column: 49 });
    assert.ok(v.hint);
  });
});
