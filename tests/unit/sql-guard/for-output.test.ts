import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openGuard } from './corpus.ts';

const guard = openGuard(); // rowCap 100: the outermost query may return 101 rows

/** Top-level FOR JSON / FOR XML becomes one scalar cell; the WITH clause and OPTION stay outside. */
const REWRITES: [string, string][] = [
  ['SELECT a FROM t FOR JSON PATH', 'SELECT TOP (1) (SELECT TOP (101) a FROM t FOR JSON PATH) AS [json]'],
  ['select a from t for json auto', 'SELECT TOP (1) (select TOP (101) a from t for json auto) AS [json]'],
  [
    "SELECT a, b AS [x.y] FROM t FOR JSON PATH, ROOT('r'), INCLUDE_NULL_VALUES",
    "SELECT TOP (1) (SELECT TOP (101) a, b AS [x.y] FROM t FOR JSON PATH, ROOT('r'), INCLUDE_NULL_VALUES) AS [json]",
  ],
  [
    'SELECT TOP 1 a FROM t FOR JSON PATH, WITHOUT_ARRAY_WRAPPER',
    'SELECT TOP (1) (SELECT TOP 1 a FROM t FOR JSON PATH, WITHOUT_ARRAY_WRAPPER) AS [json]',
  ],
  ['SELECT a FROM t ORDER BY a DESC FOR JSON PATH', 'SELECT TOP (1) (SELECT TOP (101) a FROM t ORDER BY a DESC FOR JSON PATH) AS [json]'],
  [
    'SELECT a FROM t ORDER BY a OFFSET 5 ROWS FOR JSON PATH',
    'SELECT TOP (1) (SELECT a FROM t ORDER BY a OFFSET 5 ROWS FETCH NEXT 101 ROWS ONLY FOR JSON PATH) AS [json]',
  ],
  [
    'SELECT TOP 10 PERCENT a FROM t ORDER BY a FOR JSON PATH',
    'SELECT TOP (1) (SELECT TOP (101) * FROM (SELECT TOP 10 PERCENT a FROM t ORDER BY a) AS capped ORDER BY a FOR JSON PATH) AS [json]',
  ],
  [
    'SELECT a FROM t FOR JSON PATH OPTION (RECOMPILE, MAXRECURSION 5);',
    'SELECT TOP (1) (SELECT TOP (101) a FROM t FOR JSON PATH) AS [json] OPTION (RECOMPILE, MAXRECURSION 5)',
  ],
  [
    'WITH c AS (SELECT a FROM t), d AS (SELECT a FROM c) SELECT a FROM d ORDER BY a FOR XML RAW',
    'WITH c AS (SELECT a FROM t), d AS (SELECT a FROM c) SELECT TOP (1) (SELECT TOP (101) a FROM d ORDER BY a FOR XML RAW) AS [xml]',
  ],
  [
    "WITH XMLNAMESPACES ('uri' AS ns) SELECT 1 AS a FOR XML RAW, ELEMENTS XSINIL",
    "WITH XMLNAMESPACES ('uri' AS ns) SELECT TOP (1) (SELECT TOP (101) 1 AS a FOR XML RAW, ELEMENTS XSINIL) AS [xml]",
  ],
  [
    "SELECT a FROM t FOR XML PATH('r'), TYPE, ROOT('x')",
    "SELECT TOP (1) CAST((SELECT TOP (101) a FROM t FOR XML PATH('r'), TYPE, ROOT('x')) AS nvarchar(max)) AS [xml]",
  ],
  ['SELECT a FROM t FOR XML AUTO, ELEMENTS', 'SELECT TOP (1) (SELECT TOP (101) a FROM t FOR XML AUTO, ELEMENTS) AS [xml]'],
  [
    'SELECT a FROM t UNION ALL SELECT b FROM u FOR JSON PATH',
    'SELECT TOP (1) (SELECT TOP (101) * FROM (SELECT a FROM t UNION ALL SELECT b FROM u) AS capped FOR JSON PATH) AS [json]',
  ],
  [
    'SELECT a, b AS c FROM t EXCEPT SELECT a, b FROM u FOR XML PATH OPTION (RECOMPILE)',
    'SELECT TOP (1) (SELECT TOP (101) * FROM (SELECT a, b AS c FROM t EXCEPT SELECT a, b FROM u) AS capped FOR XML PATH) AS [xml] OPTION (RECOMPILE)',
  ],
  [
    'SELECT a FROM t UNION SELECT a FROM u ORDER BY a FOR JSON PATH',
    'SELECT TOP (1) (SELECT TOP (101) * FROM (SELECT a FROM t UNION SELECT a FROM u ORDER BY a OFFSET 0 ROWS FETCH NEXT 101 ROWS ONLY) AS capped ORDER BY a FOR JSON PATH) AS [json]',
  ],
  [
    'SELECT a AS x, b FROM t UNION ALL SELECT c, d FROM u ORDER BY x DESC, 2 FOR JSON AUTO OPTION (RECOMPILE)',
    'SELECT TOP (1) (SELECT TOP (101) * FROM (SELECT a AS x, b FROM t UNION ALL SELECT c, d FROM u ORDER BY x DESC, 2 OFFSET 0 ROWS FETCH NEXT 101 ROWS ONLY) AS capped ORDER BY x DESC, 2 FOR JSON AUTO) AS [json] OPTION (RECOMPILE)',
  ],
  [
    'SELECT a FROM t UNION ALL SELECT a FROM u ORDER BY 1 OFFSET 10 ROWS FOR XML RAW',
    'SELECT TOP (1) (SELECT TOP (101) * FROM (SELECT a FROM t UNION ALL SELECT a FROM u ORDER BY 1 OFFSET 10 ROWS FETCH NEXT 101 ROWS ONLY) AS capped ORDER BY 1 FOR XML RAW) AS [xml]',
  ],
  [
    'SELECT a FROM t EXCEPT SELECT a FROM u ORDER BY a OFFSET 0 ROWS FETCH NEXT 5 ROWS ONLY FOR XML PATH',
    'SELECT TOP (1) (SELECT TOP (101) * FROM (SELECT a FROM t EXCEPT SELECT a FROM u ORDER BY a OFFSET 0 ROWS FETCH NEXT 5 ROWS ONLY) AS capped ORDER BY a FOR XML PATH) AS [xml]',
  ],
  // Not top level: already one scalar cell, only the row cap applies.
  ['SELECT (SELECT a FROM t FOR JSON PATH) AS j', 'SELECT TOP (101) (SELECT a FROM t FOR JSON PATH) AS j'],
  [
    "SELECT STUFF((SELECT ',' + a FROM t FOR XML PATH('')), 1, 1, '') AS s",
    "SELECT TOP (101) STUFF((SELECT ',' + a FROM t FOR XML PATH('')), 1, 1, '') AS s",
  ],
];

describe('FOR JSON / FOR XML output: the guard returns a top-level document as one bounded cell', () => {
  for (const [input, expected] of REWRITES) {
    test(`rewrites ${input}`, () => {
      const v = guard.check(input);
      assert.ok(v.ok, v.ok ? '' : v.reason);
      assert.equal(v.sql, expected);
      const again = guard.check(v.sql);
      assert.ok(again.ok && again.sql === v.sql, 'the rewrite is accepted again, unchanged');
    });
  }

  const UNREWRITABLE = [
    'SELECT a FROM t UNION SELECT a FROM u ORDER BY LEN(a) FOR JSON PATH',
    'SELECT a FROM t UNION ALL SELECT a FROM u ORDER BY t.a OFFSET 0 ROWS FETCH NEXT 5 ROWS ONLY FOR XML RAW',
    'SELECT 1 UNION SELECT 2 FOR JSON PATH',
    'SELECT a, 1 FROM t UNION SELECT a, 2 FROM u ORDER BY a FOR JSON PATH',
    'SELECT a, a FROM t INTERSECT SELECT a, b FROM u FOR JSON AUTO',
    '(SELECT a FROM t) FOR JSON PATH',
    '(SELECT a FROM t) UNION (SELECT a FROM u) FOR XML PATH',
  ];
  for (const sql of UNREWRITABLE) {
    test(`refuses, with SQL Server's own workaround as the hint: ${sql}`, () => {
      const v = guard.check(sql);
      assert.equal(v.ok, false);
      if (v.ok) return;
      assert.equal(v.code, 'SQL_PARSE_ERROR');
      assert.match(v.reason, /cannot be returned as one bounded value/);
      assert.match(v.hint ?? '', /derived table/);
    });
  }

  const CHUNKED_NAMES = [
    'SELECT a AS [JSON_F52E2B61-18A1-11d1-B105-00805F49916B] FROM t',
    'SELECT a AS "XML_F52E2B61-18A1-11d1-B105-00805F49916B" FROM t',
    "SELECT a 'json_f52e2b61-18a1-11d1-b105-00805f49916b' FROM t",
    "SELECT a AS N'JSON_F52E2B61-18A1-11D1-B105-00805F49916B' FROM t",
    'SELECT [XML_F52E2B61-18A1-11d1-B105-00805F49916B] = a FROM t',
    'WITH c ([JSON_F52E2B61-18A1-11d1-B105-00805F49916B]) AS (SELECT a FROM t) SELECT * FROM c',
    'SELECT x.[JSON_F52E2B61-18A1-11d1-B105-00805F49916B] FROM (SELECT a AS [JSON_F52E2B61-18A1-11d1-B105-00805F49916B] FROM t) AS x',
  ];
  for (const sql of CHUNKED_NAMES) {
    test(`refuses a column named like FOR JSON/XML output, which drivers join unbounded: ${sql}`, () => {
      const v = guard.check(sql);
      assert.equal(v.ok, false);
      if (v.ok) return;
      assert.equal(v.code, 'READ_ONLY_VIOLATION');
      assert.match(v.reason, /reserves for FOR JSON\/FOR XML output/);
      assert.ok(v.position !== undefined, 'the refusal points at the name');
    });
  }
});
