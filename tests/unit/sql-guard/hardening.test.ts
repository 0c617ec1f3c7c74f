import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createGuard } from '../../../src/sql-guard/index.ts';
import type { GuardPolicy } from '../../../src/sql-guard/types.ts';
import { lexTsql, significantTokens } from '../../../src/sql-guard/tsql-lexer.ts';

const guardWith = (policy: Partial<GuardPolicy> = {}) =>
  createGuard({ maxLength: 20_000, rowCap: 100, denySchemas: [], denyTables: [], ...policy });
const open = guardWith();
const denyHr = guardWith({ denySchemas: ['hr'], denyTables: ['dbo.Secrets'] });
const allow = guardWith({ allowTables: ['sales.Orders', 'sales.Customers', 'dbo.Products'] });

function refuses(guard: ReturnType<typeof guardWith>, cases: string[], code?: string): void {
  const accepted = cases.flatMap((sql) => {
    const v = guard.check(sql);
    if (v.ok) return [`accepted: ${sql}`];
    return code !== undefined && v.code !== code ? [`${v.code} instead of ${code}: ${sql}`] : [];
  });
  assert.deepEqual(accepted, []);
}

function accepts(guard: ReturnType<typeof guardWith>, cases: string[]): void {
  const refused = cases.flatMap((sql) => {
    const v = guard.check(sql);
    return v.ok ? [] : [`${sql}: ${v.reason}`];
  });
  assert.deepEqual(refused, []);
}

describe('identifiers with characters SQL Server may ignore are refused before any name is judged', () => {
  const odd = [
    '\u0000',
    '\u0001',
    '\u001f',
    '\u007f',
    '\u0085',
    '\u00ad',
    '\u200b',
    '\u200c',
    '\u200d',
    '\u2060',
    '\ufeff',
    '\u202e',
    '\ue000',
    '\uf8ff',
    '\u{f0000}',
    '\u0378',
    '\u{e0001}',
    '\ufff0',
    '\uffff',
    '\ud800',
    '\u00a0',
    '\u3000',
    '\u2028',
  ];
  const shapes = (ch: string): string[] => [
    `SELECT * FROM [h${ch}r].Employees`,
    `SELECT * FROM hr.[Employ${ch}ees]`,
    `SELECT * FROM "h${ch}r"."Employees"`,
    `SELECT * FROM [sys].[sql_lo${ch}gins]`,
    `SELECT * FROM [Retail${ch}DB].hr.Employees`,
    `SELECT [Sal${ch}ary] FROM sales.Orders`,
    `SELECT OBJECT_ID('[h${ch}r].Employees') AS id`,
    `SELECT 1 AS [a${ch}]`,
  ];
  for (const ch of odd) {
    test(`refuses U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')} inside bracketed, quoted and literal names`, () =>
      refuses(open, shapes(ch)));
  }
  test('accepts ordinary letters, digits, spaces and accents in names', () =>
    accepts(open, [
      'SELECT [Insert Date] FROM dbo.Deliveries',
      'SELECT 1 AS [Café Größe]',
      'SELECT 1 AS "naïve_2"',
      'SELECT 1 AS [日本語]',
    ]));
});

describe('fullwidth and other compatibility letters: read as SQL Server reads them (names), and look-alike keywords refused', () => {
  const lookAlikes = [
    'ＳＥＬＥＣＴ 1',
    'SELECT 1 ＵＮＩＯＮ SELECT 2',
    'SELECT * FROM sales.Orders ＷＨＥＲＥ 1 = 1',
    'SELECT 1 ＤＥＬＥＴＥ FROM sales.Orders',
    'SELECT * FROM sales.Orders ＯＲＤＥＲ BY 1',
    'ſelect 1',
    'SELECT 1 ſelect',
    'SELECT * FROM sales.Orders o ＪＯＩＮ sales.Customers c ON 1 = 1',
    'SELECT TOP 5 * FROM sales.Orders ｕｎｉｏｎ ａｌｌ SELECT TOP 5 * FROM sales.Orders',
    'SELECT 1 AS a ＩＮＳＥＲＴ INTO t VALUES (1)',
    'SELECT \u212Aill FROM sales.Orders',
    'SELECT 1 ＡＳ x',
    'SELECT ＣＯＵＮＴ(*) FROM sales.Orders',
    'SELECT 1 ＥＸＥＣ sp_who',
    'SELECT * FROM sales.Orders ＷＩＴＨ (NOLOCK)',
    'SELECT 1 ＯＰＴＩＯＮ (MAXDOP 8)',
    'SELECT 1 ＧＯ',
  ];
  test('refuses ASCII words spelled with compatibility letters wherever they stand', () => refuses(open, lookAlikes));
  test('the row cap applies to what SQL Server runs: no look-alike UNION can leave a second, uncapped statement', () => {
    for (const sql of lookAlikes) assert.equal(open.check(sql).ok, false, sql);
  });
  test('accepts genuine non-ASCII names, which SQL Server also reads as names', () =>
    accepts(open, [
      'SELECT 1 AS Größe',
      'SELECT 1 AS Straße',
      'SELECT 1 AS 数量',
      'SELECT Name AS Имя FROM sales.Customers',
      'SELECT [ＳＥＬＥＣＴ] FROM dbo.Products',
    ]));
  const spaces = [
    '\u00a0',
    '\u1680',
    '\u2000',
    '\u2002',
    '\u2007',
    '\u200a',
    '\u200b',
    '\u202f',
    '\u205f',
    '\u3000',
    '\u2028',
    '\u2029',
    '\u0085',
    '\ufeff',
    '\u180e',
    '\u2060',
  ];
  for (const sp of spaces) {
    const hex = (sp.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    test(`refuses U+${hex} between tokens (SQL Server's lexer and ours might split differently)`, () =>
      refuses(open, [
        `SELECT${sp}1`,
        `SELECT 1${sp}FROM sales.Orders`,
        `SELECT * FROM sales.Orders${sp}WHERE 1 = 1`,
        `SELECT 1 AS a${sp}UNION SELECT 2`,
      ]));
  }
  test('accepts those characters inside string literals', () =>
    accepts(
      open,
      spaces.map((sp) => `SELECT N'a${sp}b' AS s`),
    ));
  test('T-SQL keywords are ASCII: the lexer keeps a compatibility word as one name token', () => {
    const sig = significantTokens(lexTsql('SELECT ＳＥＬＥＣＴ'));
    assert.deepEqual(
      sig.map((t) => [t.kind, t.text]),
      [
        ['word', 'SELECT'],
        ['word', 'ＳＥＬＥＣＴ'],
      ],
    );
  });
});

describe('locking hints that block writers, and query hints outside the allow-list, are refused', () => {
  const lockHints = [
    'TABLOCK',
    'TABLOCKX',
    'PAGLOCK',
    'UPDLOCK',
    'XLOCK',
    'HOLDLOCK',
    'SERIALIZABLE',
    'REPEATABLEREAD',
    'tablock',
    'PagLock',
  ];
  for (const h of lockHints) {
    test(`refuses ${h} in WITH (…), bare (…), with other hints and in a join`, () =>
      refuses(open, [
        `SELECT * FROM sales.Orders WITH (${h})`,
        `SELECT * FROM sales.Orders (${h})`,
        `SELECT * FROM sales.Orders o WITH (NOLOCK, ${h})`,
        `SELECT * FROM sales.Orders o JOIN sales.Customers c WITH (${h}) ON c.CustomerID = o.CustomerID`,
        `SELECT * FROM (SELECT * FROM sales.Orders WITH (${h})) x`,
        `SELECT * FROM sales.Orders OPTION (TABLE HINT(sales.Orders, ${h}))`,
      ]));
  }
  test('refuses hints meant for writes or unknown to the allow-list', () =>
    refuses(open, [
      'SELECT * FROM sales.Orders WITH (KEEPIDENTITY)',
      'SELECT * FROM sales.Orders WITH (IGNORE_TRIGGERS)',
      'SELECT * FROM sales.Orders WITH (NOLOCK, FOO)',
    ]));
  test('accepts read hints that take no lasting locks', () =>
    accepts(open, [
      'SELECT * FROM sales.Orders WITH (NOLOCK)',
      'SELECT * FROM sales.Orders WITH (READPAST, ROWLOCK)',
      'SELECT * FROM sales.Orders WITH (INDEX(1), FORCESEEK)',
      'SELECT * FROM sales.Orders WITH (SNAPSHOT)',
      'SELECT * FROM sales.Orders WITH (NOWAIT)',
    ]));
  test('refuses query hints not on the allow-list (or beyond its bounds)', () =>
    refuses(open, [
      'SELECT 1 OPTION (MAXDOP 8)',
      'SELECT 1 OPTION (MAXDOP 0)',
      'SELECT 1 OPTION (MIN_GRANT_PERCENT = 50)',
      'SELECT 1 OPTION (MAX_GRANT_PERCENT = 100)',
      'SELECT 1 OPTION (QUERYTRACEON 8649)',
      "SELECT 1 OPTION (USE HINT ('ENABLE_PARALLEL_PLAN_PREFERENCE'))",
      "SELECT 1 OPTION (USE PLAN N'<x/>')",
      'SELECT 1 OPTION (TABLE HINT (t, NOLOCK))',
      'SELECT 1 OPTION (MAXRECURSION 0)',
      'SELECT 1 OPTION (MAXRECURSION 32767)',
      'SELECT 1 OPTION (PARAMETERIZATION FORCED)',
      "SELECT 1 OPTION (LABEL = 'x')",
      'SELECT 1 OPTION (RECOMPILE, MAXDOP 64)',
      'SELECT 1 OPTION (QUERY_OPTIMIZER_COMPATIBILITY_LEVEL_160)',
      'SELECT 1 OPTION (FAST 0)',
      'SELECT 1 OPTION (OPTIMIZE FOR (x = 1))',
      'SELECT 1 OPTION (NO_QUERY_STORE)',
      'SELECT 1 OPTION ()',
      'SELECT 1 OPTION (RECOMPILE RECOMPILE)',
    ]));
  test('accepts query hints on the allow-list', () =>
    accepts(open, [
      'SELECT 1 OPTION (RECOMPILE)',
      'SELECT 1 OPTION (MAXRECURSION 1000)',
      'SELECT 1 OPTION (OPTIMIZE FOR UNKNOWN)',
      'SELECT 1 OPTION (MAXDOP 1)',
      'SELECT 1 OPTION (FAST 10, KEEP PLAN)',
      'SELECT * FROM sales.Orders o JOIN sales.Customers c ON c.CustomerID = o.CustomerID OPTION (HASH JOIN, FORCE ORDER)',
      'SELECT 1 UNION SELECT 2 OPTION (MERGE UNION)',
      'SELECT 1 OPTION (KEEPFIXED PLAN, EXPAND VIEWS, NO_PERFORMANCE_SPOOL)',
    ]));
});

describe('an object read without being named as a table source still counts under DENY_* and ALLOW_TABLES', () => {
  const hidden = [
    "SELECT OBJECT_ID('hr.Employees') AS id",
    "SELECT OBJECT_ID(N'[hr].[Employees]') AS id",
    "SELECT OBJECT_ID('RetailDB.hr.Employees') AS id",
    "SELECT OBJECTPROPERTY(OBJECT_ID('hr.Employees'), 'TableHasIdentity') AS x",
    "SELECT COLUMNPROPERTY(OBJECT_ID('HR.EMPLOYEES'), 'Salary', 'Precision') AS p",
    "SELECT COL_LENGTH('hr.Employees', 'Salary') AS l",
    "SELECT IDENT_CURRENT('hr.Employees') AS i",
    "SELECT IDENT_SEED('dbo.Secrets') AS i",
    "SELECT STATS_DATE(OBJECT_ID('hr.Employees'), 1) AS d",
    'SELECT * FROM sys.stats WHERE object_id = OBJECT_ID(\'"hr"."Employees"\')',
    "SELECT HAS_PERMS_BY_NAME('hr.Employees', 'OBJECT', 'SELECT') AS p",
    "SELECT * FROM sys.dm_sql_referenced_entities('hr.Employees', 'OBJECT')",
    'SELECT * FROM CHANGETABLE(CHANGES hr.Employees, 0) AS ct',
    'SELECT * FROM CHANGETABLE(VERSION hr.Employees, (EmployeeID), (1)) AS ct',
    'SELECT p.* FROM PREDICT(MODEL = (SELECT TOP 1 m FROM sales.Orders), DATA = hr.Employees AS d) WITH (score float) AS p',
    "SELECT * FROM CONTAINSTABLE(hr.Employees, *, 'x') AS k",
    "SELECT * FROM FREETEXTTABLE(dbo.Secrets, *, 'x') AS k",
    'SELECT hr.fn_Salary(1) AS s',
    'SELECT * FROM hr.fn_List(1) AS f',
    'SELECT * FROM sales.Orders o CROSS APPLY hr.fn_List(o.OrderID) AS f',
    'SELECT * FROM sales.Orders WHERE CustomerID IN (SELECT EmployeeID FROM hr.Employees)',
    "SELECT * FROM cdc.fn_cdc_get_all_changes_hr_Employees(0x00, 0x00, N'all') AS c",
    'SELECT * FROM cdc.hr_Employees_CT',
  ];
  test('DENY_SCHEMAS/DENY_TABLES: refuses the denied object in every such construct', () => refuses(denyHr, hidden, 'OBJECT_NOT_ALLOWED'));
  test('ALLOW_TABLES: refuses the same constructs on objects outside the list', () => refuses(allow, hidden, 'OBJECT_NOT_ALLOWED'));
  test('ALLOW_TABLES: refuses user functions and other databases outside the list', () =>
    refuses(
      allow,
      ['SELECT dbo.fn_Total(1) AS t', 'SELECT * FROM dbo.fn_Rows(1) AS r', 'SELECT * FROM sales.Orders WHERE dbo.fn_Check(OrderID) = 1'],
      'OBJECT_NOT_ALLOWED',
    ));
  test('under any list, a computed object name cannot be judged and is refused', () => {
    for (const g of [denyHr, allow]) {
      refuses(
        g,
        [
          "SELECT OBJECT_ID('hr.' + 'Employees') AS id",
          'SELECT OBJECT_ID(name) FROM sys.tables',
          "SELECT COL_LENGTH(CONCAT('hr', '.Employees'), 'Salary') AS l",
        ],
        'OBJECT_NOT_ALLOWED',
      );
    }
  });
  test('accepts the same constructs on allowed objects (full-text search over an allowed table included)', () => {
    const ok = [
      "SELECT OBJECT_ID('sales.Orders') AS id",
      "SELECT COL_LENGTH('sales.Orders', 'Total') AS l",
      "SELECT * FROM CONTAINSTABLE(sales.Orders, *, 'refund') AS k",
      "SELECT o.OrderID FROM sales.Orders o JOIN FREETEXTTABLE(sales.Orders, Status, 'late') AS k ON k.[KEY] = o.OrderID",
      'SELECT * FROM CHANGETABLE(CHANGES sales.Orders, 0) AS ct',
      'SELECT c.Location.STDistance(c.Location) AS d FROM sales.Customers c',
    ];
    accepts(denyHr, ok);
    accepts(allow, ok);
  });
  test('without lists, computed names and functions are fine', () =>
    accepts(open, ["SELECT OBJECT_ID('hr.' + 'Employees') AS id", 'SELECT dbo.fn_Total(1) AS t']));
  test('every accepted query that names an object carries the server-side resolution check for it', () => {
    const v = allow.check("SELECT o.OrderID FROM sales.Orders o WHERE o.CustomerID <> OBJECT_ID('sales.Customers')");
    assert.ok(v.ok && v.check);
    assert.deepEqual(v.check.references, ['sales.Orders', 'sales.Customers']);
    assert.match(v.check.sql, /^IF OBJECT_ID\(@guard_1\) IS NULL THROW 51701/);
    assert.ok(v.check.params.some((p) => p.name === 'guard_1' && p.value === '[sales].[Orders]'));
    assert.ok(!v.check.sql.includes('Orders'), 'names travel as parameters, never in the SQL text');
    assert.match(
      v.check.sql,
      /type = 'SN'\) THROW 51704, N'GUARD_OBJECT_SYNONYM', 1;/,
      'under a list, a table source may not be a synonym',
    );
    const free = open.check('SELECT OrderID FROM sales.Orders');
    assert.ok(free.ok && free.check && !free.check.sql.includes("'SN'"), 'without lists, synonyms are not refused');
  });
});

describe('MAX_QUERY_MEMORY_PERCENT: every accepted query carries a memory-grant cap SQL Server enforces', () => {
  const capped = guardWith({ maxGrantPercent: 25 });
  const cases: [string, string][] = [
    ['SELECT OrderID FROM sales.Orders', 'SELECT TOP (101) OrderID FROM sales.Orders OPTION (MAX_GRANT_PERCENT = 25)'],
    [
      'SELECT OrderID FROM sales.Orders OPTION (RECOMPILE)',
      'SELECT TOP (101) OrderID FROM sales.Orders OPTION (MAX_GRANT_PERCENT = 25, RECOMPILE)',
    ],
    [
      'SELECT OrderID FROM sales.Orders OPTION (MAX_GRANT_PERCENT = 10)',
      'SELECT TOP (101) OrderID FROM sales.Orders OPTION (MAX_GRANT_PERCENT = 10)',
    ],
    ['SELECT 1 AS a UNION SELECT 2', 'SELECT TOP (101) * FROM (SELECT 1 AS a UNION SELECT 2) AS capped OPTION (MAX_GRANT_PERCENT = 25)'],
    [
      'SELECT OrderID FROM sales.Orders FOR JSON PATH;',
      'SELECT TOP (1) (SELECT TOP (101) OrderID FROM sales.Orders FOR JSON PATH) AS [json] OPTION (MAX_GRANT_PERCENT = 25)',
    ],
  ];
  for (const [sql, expected] of cases) {
    test(`rewrites ${sql}`, () => {
      const v = capped.check(sql);
      assert.ok(v.ok, v.ok ? '' : v.reason);
      assert.equal(v.sql, expected);
      const again = capped.check(v.sql);
      assert.ok(again.ok && again.sql === v.sql, 'the rewrite is stable');
    });
  }
  test('refuses a caller asking for more memory than the cap, or any MAX_GRANT_PERCENT when no cap is set', () => {
    refuses(capped, [
      'SELECT 1 OPTION (MAX_GRANT_PERCENT = 26)',
      'SELECT 1 OPTION (MAX_GRANT_PERCENT = 100)',
      'SELECT 1 OPTION (MAX_GRANT_PERCENT = 5, MAX_GRANT_PERCENT = 90)',
      'SELECT 1 OPTION (MIN_GRANT_PERCENT = 1)',
    ]);
    refuses(open, ['SELECT 1 OPTION (MAX_GRANT_PERCENT = 5)']);
  });
  test('refuses an invalid cap at creation', () => {
    for (const bad of [0, 101, 2.5, -1, Number.NaN]) assert.throws(() => guardWith({ maxGrantPercent: bad }), TypeError);
  });
});
