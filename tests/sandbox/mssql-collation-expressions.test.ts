import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useReaderPool } from './reader-pool.ts';

/**
 * SQL_Latin1_General_CP1_CI_AS for strings built without any column, through the real `mssql`
 * driver. In SQL Server an expression of literals, variables and functions carries the database's
 * collation (coercible-default), so comparing, sorting, grouping or de-duplicating it is
 * case-insensitive and accent-sensitive exactly as for a column. Each expectation is what SQL
 * Server returns under that collation.
 */

/** The variables every predicate may use. */
const DECLARE = "DECLARE @v nvarchar(10) = N'abc'; DECLARE @n int = 3;";

const PREDICATES: Array<[predicate: string, holds: boolean]> = [
  ["'a' + 'b' = 'AB'", true],
  ["('a' + 'b') = 'AB'", true],
  ["UPPER(@v) = 'abc'", true],
  ["LOWER('A') = 'A'", true],
  ["CONCAT('a', @v) = 'AABC'", true],
  ["SUBSTRING('Abc', 1, 1) = 'a'", true],
  ["CAST(@v AS varchar(10)) = 'ABC'", true],
  ["CONVERT(varchar(10), @v) <> 'ABC'", false],
  ["LEFT(@v, 2) + 'X' = 'abx'", true],
  ["ISNULL(@v, 'x') = 'ABC'", true],
  ["REPLACE(@v, 'B', 'x') = 'AXC'", true],
  ["'ABC' = LOWER(@v)", true],
  ["UPPER(@v) IN ('x', 'abc')", true],
  ["LOWER(@v) NOT IN ('ABC')", false],
  ["LOWER(@v) BETWEEN 'ABA' AND 'ABD'", true],
  ["UPPER(N'é') = N'e'", false],
  ["LOWER(N'É') = N'é'", true],
  ["'b' < 'B'", false],
  ['LEN(@v) = 3', true],
  ['@n + 1 = 4', true],
];

interface ValueCase {
  what: string;
  sql: string;
  /** The values of column `v`, in order. */
  expected: unknown[];
}

const VALUES: ValueCase[] = [
  {
    what: "a simple CASE over a literal matches case-insensitively (CASE 'a' WHEN 'A')",
    sql: "SELECT CASE 'a' WHEN 'A' THEN 1 ELSE 0 END AS v",
    expected: [1],
  },
  {
    what: "a simple CASE over a variable matches case-insensitively (CASE @v WHEN 'ABC')",
    sql: "SELECT CASE @v WHEN 'ABC' THEN 1 ELSE 0 END AS v",
    expected: [1],
  },
  {
    what: 'a simple CASE over an expression matches case-insensitively',
    sql: "SELECT CASE UPPER(@v) WHEN 'abc' THEN 1 ELSE 0 END AS v",
    expected: [1],
  },
  { what: 'a simple CASE is accent-sensitive', sql: "SELECT CASE N'é' WHEN N'e' THEN 1 ELSE 0 END AS v", expected: [0] },
  {
    what: 'a simple CASE over a column still matches case-insensitively',
    sql: "SELECT TOP 1 CASE City WHEN 'PARIS' THEN 1 ELSE 0 END AS v FROM sales.Customers WHERE City = 'paris'",
    expected: [1],
  },
  { what: 'IIF compares an expression case-insensitively', sql: "SELECT IIF(UPPER(@v) = 'abc', 1, 0) AS v", expected: [1] },
  { what: "NULLIF('a', 'A') is NULL", sql: "SELECT NULLIF('a', 'A') AS v", expected: [null] },
  { what: "NULLIF(N'é', N'e') keeps é (accent-sensitive)", sql: "SELECT NULLIF(N'é', N'e') AS v", expected: ['é'] },
  { what: 'NULLIF of integers is unchanged', sql: 'SELECT NULLIF(@n, 3) AS v', expected: [null] },
  { what: "CHARINDEX('A', 'xa') finds the a at 2", sql: "SELECT CHARINDEX('A', 'xa') AS v", expected: [2] },
  { what: "REPLACE('aA', 'a', 'x') replaces both", sql: "SELECT REPLACE('aA', 'a', 'x') AS v", expected: ['xx'] },
  {
    what: 'GROUP BY over a VALUES column puts A and a in one group',
    sql: "SELECT COUNT(*) AS v FROM (SELECT x FROM (VALUES ('A'), ('a'), ('b')) t(x) GROUP BY x) g",
    expected: [2],
  },
  {
    what: 'DISTINCT over a VALUES column keeps one of A and a but both a and á',
    sql: "SELECT COUNT(*) AS v FROM (SELECT DISTINCT x FROM (VALUES ('A'), ('a'), (N'á')) t(x)) d",
    expected: [2],
  },
  {
    what: 'ORDER BY over a VALUES column sorts case-insensitively (a, B, c)',
    sql: "SELECT x AS v FROM (VALUES ('c'), ('B'), ('a')) t(x) ORDER BY x",
    expected: ['a', 'B', 'c'],
  },
  {
    what: 'ORDER BY over a UNION ALL of literals sorts case-insensitively (a, B, c)',
    sql: "SELECT 'c' AS v UNION ALL SELECT 'B' UNION ALL SELECT 'a' ORDER BY v",
    expected: ['a', 'B', 'c'],
  },
  {
    what: 'MIN and MAX over VALUES columns compare case-insensitively',
    sql: "SELECT MIN(x) AS v FROM (VALUES ('b'), ('B'), ('a'), ('C')) t(x) UNION ALL SELECT MAX(x) FROM (VALUES ('b'), ('a'), ('C')) t(x)",
    expected: ['a', 'C'],
  },
  { what: "UNION removes 'a' as a duplicate of 'A'", sql: "SELECT COUNT(*) AS v FROM (SELECT 'A' AS x UNION SELECT 'a') u", expected: [1] },
  {
    what: 'UNION removes a variable equal but for case',
    sql: "DECLARE @a varchar(5) = 'A', @b varchar(5) = 'a'; SELECT COUNT(*) AS v FROM (SELECT @a AS x UNION SELECT @b) u",
    expected: [1],
  },
  {
    what: 'COUNT(DISTINCT) over a CTE of literals counts A and a once',
    sql: "WITH c AS (SELECT 'A' AS x UNION ALL SELECT 'a') SELECT COUNT(DISTINCT x) AS v FROM c",
    expected: [1],
  },
  {
    what: 'a VALUES column compares with a literal case-insensitively and accent-sensitively',
    sql: "SELECT COUNT(*) AS v FROM (VALUES ('Paris'), ('PARIS'), (N'Pàris')) t(x) WHERE x = 'paris'",
    expected: [2],
  },
  {
    what: "an INSERT … SELECT of bare literals still converts them to the target's types",
    sql: "CREATE TABLE #d (d date, s varchar(10)); INSERT INTO #d (d, s) SELECT '2020-01-01', 'x'; SELECT COUNT(*) AS v FROM #d WHERE s = 'X' AND d = '2020-01-01'; DROP TABLE #d",
    expected: [1],
  },
];

describe("SQL Server's CI_AS for strings built without columns, through mssql", () => {
  const reader = useReaderPool();
  for (const [predicate, holds] of PREDICATES) {
    it(`an expression comparison: ${predicate} is ${holds}`, async () => {
      const result = await reader().request().batch(`${DECLARE} SELECT CASE WHEN ${predicate} THEN 1 ELSE 0 END AS v`);
      assert.deepEqual(result.recordset, [{ v: holds ? 1 : 0 }]);
    });
  }
  for (const c of VALUES) {
    it(c.what, async () => {
      const result = await reader().request().batch(`${DECLARE} ${c.sql}`);
      assert.deepEqual(
        result.recordset.map((r: Record<string, unknown>) => r.v),
        c.expected,
      );
    });
  }
});
