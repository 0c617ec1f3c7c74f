import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useReaderPool } from './reader-pool.ts';

/**
 * SQL Server's default collation, SQL_Latin1_General_CP1_CI_AS, through the real `mssql` driver:
 * case-insensitive and accent-sensitive wherever a user compares, sorts or groups strings — user
 * tables, temporary tables and the catalog views (sys.*, INFORMATION_SCHEMA) alike.
 */

interface CollationCase {
  what: string;
  sql: string;
  /** The values of column `v`, in order. */
  expected: unknown[];
}

/** A temporary table of mixed case and accents, one per case (the pool keeps its connections). */
const words = (query: string): string => `CREATE TABLE #words (x nvarchar(20) NOT NULL);
  INSERT INTO #words (x) VALUES (N'b'), (N'A'), (N'é'), (N'a'), (N'f'), (N'B'), (N'e'), (N'É');
  ${query}; DROP TABLE #words`;

const CASES: CollationCase[] = [
  {
    what: "sys.tables finds Orders by name = 'orders'",
    sql: "SELECT name AS v FROM sys.tables WHERE name = 'orders'",
    expected: ['Orders'],
  },
  {
    what: "sys.schemas finds sales by name IN ('SALES')",
    sql: "SELECT name AS v FROM sys.schemas WHERE name IN ('SALES', 'HR') ORDER BY name",
    expected: ['hr', 'sales'],
  },
  {
    what: "sys.objects finds Orders by name and type 'u '",
    sql: "SELECT name AS v FROM sys.objects WHERE name = 'ORDERS' AND type = 'u'",
    expected: ['Orders'],
  },
  {
    what: "sys.columns finds OrderID by name = 'orderid'",
    sql: "SELECT name AS v FROM sys.columns WHERE object_id = OBJECT_ID('sales.Orders') AND name = 'orderid'",
    expected: ['OrderID'],
  },
  {
    what: "sys.types finds nvarchar by name = 'NVARCHAR'",
    sql: "SELECT name AS v FROM sys.types WHERE name = 'NVARCHAR'",
    expected: ['nvarchar'],
  },
  {
    what: "INFORMATION_SCHEMA.TABLES finds Orders by TABLE_NAME = 'ORDERS' and TABLE_TYPE = 'base table'",
    sql: "SELECT TABLE_NAME AS v FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'SALES' AND TABLE_NAME = 'ORDERS' AND TABLE_TYPE = 'base table'",
    expected: ['Orders'],
  },
  {
    what: "INFORMATION_SCHEMA.COLUMNS finds OrderID by COLUMN_NAME = 'ORDERID'",
    sql: "SELECT COLUMN_NAME AS v FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'orders' AND COLUMN_NAME = 'ORDERID'",
    expected: ['OrderID'],
  },
  {
    what: 'a catalog name joined to another catalog view compares case-insensitively',
    sql: "SELECT t.TABLE_NAME AS v FROM INFORMATION_SCHEMA.TABLES t JOIN sys.tables s ON s.name = UPPER(t.TABLE_NAME) WHERE t.TABLE_NAME = 'orders'",
    expected: ['Orders'],
  },
  {
    what: "the catalog's LIKE is case-insensitive",
    sql: "SELECT name AS v FROM sys.tables WHERE name LIKE 'ORDERL%'",
    expected: ['OrderLines'],
  },
  { what: 'the catalog is accent-sensitive', sql: "SELECT name AS v FROM sys.tables WHERE name = N'Ordérs'", expected: [] },
  {
    what: "a user table finds Paris by City = 'paris'",
    sql: "SELECT DISTINCT City AS v FROM sales.Customers WHERE City = 'paris'",
    expected: ['Paris'],
  },
  { what: 'a user table is accent-sensitive', sql: "SELECT DISTINCT City AS v FROM sales.Customers WHERE City = N'Pàris'", expected: [] },
  {
    what: 'a parameter-free IN list and <> compare case-insensitively',
    sql: "SELECT COUNT(*) AS v FROM sales.Customers WHERE City IN ('PARIS') AND City <> 'paris'",
    expected: [0],
  },
  {
    what: 'ORDER BY sorts case-insensitively with accents after their letter',
    sql: words('SELECT DISTINCT LOWER(x) AS v FROM #words ORDER BY v'),
    expected: ['a', 'b', 'e', 'é', 'f'],
  },
  {
    what: 'GROUP BY puts a and A in one group but not e and é',
    sql: words('SELECT COUNT(*) AS v FROM #words GROUP BY x ORDER BY MIN(LOWER(x))'),
    expected: [2, 2, 1, 2, 1],
  },
  { what: 'DISTINCT keeps one of a and A', sql: words('SELECT COUNT(DISTINCT x) AS v FROM #words'), expected: [5] },
  {
    what: "a temporary table's = is case-insensitive and accent-sensitive",
    sql: words("SELECT COUNT(*) AS v FROM #words WHERE x = N'e'"),
    expected: [1],
  },
  { what: "a temporary table's capitals compare equal", sql: words("SELECT COUNT(*) AS v FROM #words WHERE x = N'é'"), expected: [2] },
];

/** Comparisons with no column in them: literals and variables carry the database's CI_AS collation in SQL Server. */
const LITERAL_ONLY: Array<[predicate: string, holds: boolean]> = [
  ["'abc' = 'ABC'", true],
  ["'abc' <> 'ABC'", false],
  ["'abc' != 'ABd'", true],
  ["'a' < 'B'", true],
  ["'B' > 'a'", true],
  ["'a' >= 'A'", true],
  ["'x' IN ('X')", true],
  ["'x' NOT IN ('Y', 'X')", false],
  ["'b' BETWEEN 'A' AND 'C'", true],
  ["'abc' LIKE 'A%'", true],
  ["'abc' LIKE '[A]B_'", true],
  ["N'é' = N'É'", true],
  ["N'straße' = N'STRASSE'", false],
  ["'a' = N'á'", false],
  ["@v = 'ABC'", true],
  ["@v IN (N'ABC', N'x')", true],
  ["@v LIKE 'AB%'", true],
];

describe("SQL Server's case-insensitive, accent-sensitive comparison through mssql", () => {
  const reader = useReaderPool();
  for (const c of CASES) {
    it(c.what, async () => {
      const result = await reader().request().batch(c.sql);
      assert.deepEqual(
        result.recordset.map((r: Record<string, unknown>) => r.v),
        c.expected,
      );
    });
  }
  for (const [predicate, holds] of LITERAL_ONLY) {
    it(`a comparison of literals only: ${predicate} is ${holds}`, async () => {
      const result = await reader()
        .request()
        .batch(`DECLARE @v nvarchar(10) = N'abc'; SELECT CASE WHEN ${predicate} THEN 1 ELSE 0 END AS v`);
      assert.deepEqual(result.recordset, [{ v: holds ? 1 : 0 }]);
    });
  }
  it("a string parameter compares with a literal case-insensitively (@p = 'ABC' with @p = 'abc')", async () => {
    const result = await reader().request().input('p', 'abc').query("SELECT CASE WHEN @p = 'ABC' THEN 1 ELSE 0 END AS v");
    assert.deepEqual(result.recordset, [{ v: 1 }]);
  });
});
