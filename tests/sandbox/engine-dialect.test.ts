import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Backend, SqlValue } from '../../sandbox/backend.ts';
import { createEngine } from '../../sandbox/engine/index.ts';
import { errorsOf, events, OWNER, READER, rowsOf, withSessions } from './engine-helpers.ts';

let backend: Backend;
before(async () => {
  backend = await createEngine();
  await withSessions(backend, [OWNER], async (o) => {
    const evs = await events(
      o,
      `CREATE TABLE dbo.Dialect (Id int NOT NULL PRIMARY KEY, Name nvarchar(50) NOT NULL, Price decimal(10,2) NULL,
      At datetime2(0) NOT NULL, Tag varchar(10) NULL, [Insert Date] date NULL);
      INSERT INTO dbo.Dialect (Id, Name, Price, At, Tag, [Insert Date]) VALUES
      (1, N'Anna', 10.50, '2024-01-31T08:00:00', 'a', '2024-01-01'), (2, N'bob', 20.00, '2024-02-29T23:59:59', NULL, NULL),
      (3, N'Émile', 20.00, '2024-03-01T00:00:00', 'c', NULL), (4, N'Zoë', NULL, '2023-12-31T12:30:00', 'd', NULL)`,
    );
    assert.deepEqual(errorsOf(evs), []);
  });
});
after(async () => {
  await backend.close();
});

/** [behaviour, T-SQL, expected rows] — every statement runs as the reader. */
const CASES: [string, string, SqlValue[][]][] = [
  ['TOP n with ORDER BY', 'SELECT TOP 2 Id FROM dbo.Dialect ORDER BY Id DESC', [[4], [3]]],
  ['TOP (expr)', 'SELECT TOP (1 + 1) Id FROM dbo.Dialect ORDER BY Id', [[1], [2]]],
  ['TOP n PERCENT rounds up', 'SELECT TOP 50 PERCENT Id FROM dbo.Dialect ORDER BY Id', [[1], [2]]],
  ['TOP WITH TIES', 'SELECT TOP 1 WITH TIES Id FROM dbo.Dialect WHERE Price IS NOT NULL ORDER BY Price DESC', [[2], [3]]],
  ['OFFSET … FETCH', 'SELECT Id FROM dbo.Dialect ORDER BY Id OFFSET 1 ROWS FETCH NEXT 2 ROWS ONLY', [[2], [3]]],
  [
    'bracketed, quoted and three-part names',
    'SELECT [d].[Id], "d"."Name" FROM RetailDB.dbo.[Dialect] AS d WHERE [Insert Date] IS NOT NULL',
    [[1, 'Anna']],
  ],
  ['names resolve case-insensitively', 'select NAME from DBO.dialect where ID = 1', [['Anna']]],
  ['string equality is case-insensitive', "SELECT Id FROM dbo.Dialect WHERE Name = N'BOB'", [[2]]],
  [
    'LIKE is case-insensitive and takes [ ] classes',
    "SELECT Id FROM dbo.Dialect WHERE Name LIKE 'a%' OR Name LIKE '[x-z]%' ORDER BY Id",
    [[1], [4]],
  ],
  ['NOLOCK and other table hints are ignored', 'SELECT COUNT(*) FROM dbo.Dialect WITH (NOLOCK) WHERE Id > 0', [[4]]],
  [
    'ISNULL, IIF, COALESCE',
    "SELECT ISNULL(Tag, 'none'), IIF(Price > 15, 'high', 'low'), COALESCE(Price, 0) FROM dbo.Dialect WHERE Id = 2",
    [['none', 'high', '20.00']],
  ],
  [
    'LEN ignores trailing spaces; CHARINDEX; LEFT/RIGHT',
    "SELECT LEN('abc  '), CHARINDEX('b', 'abcb'), CHARINDEX('B', 'abcb', 3), LEFT('hello', 2), RIGHT('hello', 3)",
    [[3, 2, 4, 'he', 'llo']],
  ],
  ['+ and CONCAT on strings', "SELECT 'a' + 'b' + CAST(1 AS varchar(5)), CONCAT('x', NULL, 2)", [['ab1', 'x2']]],
  ['STRING_AGG with WITHIN GROUP', "SELECT STRING_AGG(Tag, ',') WITHIN GROUP (ORDER BY Tag DESC) FROM dbo.Dialect", [['d,c,a']]],
  [
    'DATEADD, DATEDIFF, EOMONTH',
    "SELECT DATEADD(month, 1, CAST('2024-01-31' AS date)), DATEDIFF(day, '2024-02-28', '2024-03-01'), DATEDIFF(year, '2023-12-31', '2024-01-01'), EOMONTH('2024-02-10')",
    [['2024-02-29', 2, 1, '2024-02-29']],
  ],
  [
    'DATEPART, DATENAME, YEAR/MONTH/DAY',
    'SELECT DATEPART(quarter, At), DATENAME(month, At), DATENAME(weekday, At), YEAR(At), MONTH(At), DAY(At) FROM dbo.Dialect WHERE Id = 2',
    [[1, 'February', 'Thursday', 2024, 2, 29]],
  ],
  [
    'CONVERT with styles',
    'SELECT CONVERT(varchar(10), At, 120), CONVERT(varchar(8), At, 108), CONVERT(varchar(10), At, 103) FROM dbo.Dialect WHERE Id = 1',
    [['2024-01-31', '08:00:00', '31/01/2024']],
  ],
  [
    'TRY_CAST and TRY_CONVERT return NULL on failure',
    "SELECT TRY_CAST('12' AS int), TRY_CAST('x' AS int), TRY_CONVERT(date, 'nope')",
    [[12, null, null]],
  ],
  [
    'CAST to SQL Server types',
    "SELECT CAST(3.14159 AS decimal(5,2)), CAST(1 AS bit), CAST('2024-01-01' AS datetime)",
    [['3.14', true, '2024-01-01 00:00:00']],
  ],
  ['integer division and COUNT are int', 'SELECT 7 / 2, COUNT(*) FROM dbo.Dialect', [[3, 4]]],
  ['alias = expression and string aliases', "SELECT Total = SUM(Price), 'Label' = MAX(Name) FROM dbo.Dialect", [['50.50', 'Zoë']]],
  [
    'CROSS APPLY and OUTER APPLY',
    'SELECT d.Id, x.n FROM dbo.Dialect d OUTER APPLY (SELECT TOP 1 e.Id AS n FROM dbo.Dialect e WHERE e.Id > d.Id ORDER BY e.Id) x ORDER BY d.Id',
    [
      [1, 2],
      [2, 3],
      [3, 4],
      [4, null],
    ],
  ],
  [
    'CTE and window functions',
    'WITH r AS (SELECT Id, ROW_NUMBER() OVER (ORDER BY Price DESC, Id) AS rn FROM dbo.Dialect) SELECT Id FROM r WHERE rn = 1',
    [[2]],
  ],
  [
    'GROUP BY ROLLUP and GROUPING',
    'SELECT Tag, GROUPING(Tag) FROM dbo.Dialect WHERE Tag IS NOT NULL GROUP BY ROLLUP (Tag) ORDER BY GROUPING(Tag), Tag',
    [
      ['a', 0],
      ['c', 0],
      ['d', 0],
      [null, 1],
    ],
  ],
  ['N literals keep Unicode', "SELECT N'Zoë 😀', UNICODE(N'é')", [['Zoë 😀', 233]]],
  [
    'FOR JSON PATH',
    'SELECT Id, Name AS [person.name] FROM dbo.Dialect WHERE Id = 1 FOR JSON PATH',
    [['[{"Id":1,"person":{"name":"Anna"}}]']],
  ],
  [
    'variables in TOP and WHERE; @@ROWCOUNT',
    'DECLARE @n int = 2; SELECT TOP (@n) Id FROM dbo.Dialect WHERE Id > @n - 2 ORDER BY Id; SELECT @@ROWCOUNT',
    [[1], [2], [2]],
  ],
  [
    'temp tables are private to the session',
    'SELECT Id INTO #t FROM dbo.Dialect WHERE Id < 3; SELECT COUNT(*) FROM #t; DROP TABLE #t',
    [[2]],
  ],
  [
    'OBJECT_ID and sys views see new tables',
    "SELECT OBJECT_NAME(OBJECT_ID('dbo.dialect')), (SELECT COUNT(*) FROM sys.columns WHERE object_id = OBJECT_ID('dbo.Dialect'))",
    [['Dialect', 6]],
  ],
  [
    'FORMAT with .NET patterns',
    "SELECT FORMAT(CAST('2024-02-29T13:05:00' AS datetime2), 'dd/MM/yyyy HH:mm'), FORMAT(1234.5, 'N2')",
    [['29/02/2024 13:05', '1,234.50']],
  ],
  [
    'EXISTS, IN, BETWEEN, CASE',
    "SELECT CASE WHEN EXISTS (SELECT 1 FROM dbo.Dialect WHERE Id IN (1, 2)) THEN 'y' END, (SELECT COUNT(*) FROM dbo.Dialect WHERE Price BETWEEN 10 AND 20)",
    [['y', 3]],
  ],
  [
    "FOR XML PATH('') concatenation in a subquery",
    "SELECT STUFF((SELECT ', ' + Name FROM dbo.Dialect WHERE Id < 3 ORDER BY Id FOR XML PATH('')), 1, 2, '')",
    [['Anna, bob']],
  ],
  [
    'IF … ELSE with BEGIN … END blocks',
    "IF OBJECT_ID('dbo.Dialect') IS NOT NULL SELECT 1 ELSE SELECT 2; IF 1 = 0 BEGIN SELECT 3 END ELSE BEGIN SELECT CASE WHEN 1 = 1 THEN 4 ELSE 5 END; SELECT 6 END SELECT 7",
    [[1], [4], [6], [7]],
  ],
  ['PRINT and comments do not break a batch', "-- comment\n/* block /* nested */ */ SELECT 1 PRINT 'hi'", [[1]]],
];

describe('T-SQL dialect', () => {
  for (const [name, sql, expected] of CASES) {
    test(name, async () => {
      await withSessions(backend, [READER], async (s) => {
        const evs = await events(s, sql);
        assert.deepEqual(errorsOf(evs), []);
        assert.deepEqual(rowsOf(evs), expected);
      });
    });
  }

  test('result columns are named as SQL Server names them', async () => {
    await withSessions(backend, [READER], async (s) => {
      const evs = await events(
        s,
        'SELECT d.id, Name AS Label, Price * 2, COUNT(*) OVER () FROM dbo.Dialect d WHERE 1 = 0; SELECT * FROM (SELECT Name AS Who FROM dbo.Dialect) x WHERE 1 = 0',
      );
      const sets = evs.flatMap((e) => (e.kind === 'columns' ? [e.columns.map((c) => c.name)] : []));
      assert.deepEqual(sets, [['id', 'Label', '', ''], ['Who']]);
    });
  });
});
