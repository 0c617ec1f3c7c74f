import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sql from 'mssql';
import { useReaderPool } from './reader-pool.ts';

/**
 * The declared type of a result column that is a CONVERT, TRY_CAST or TRY_CONVERT (CAST itself is
 * covered type by type in mssql-types.test.ts), with length, precision and scale, as the real
 * `mssql` driver reads it from COLMETADATA; plus the values SQL Server gives for those conversions.
 */

interface CastCase {
  expr: string;
  expected: unknown;
  type: unknown;
  length?: number;
  precision?: number;
  scale?: number;
}

const CASES: CastCase[] = [
  { expr: "CONVERT(tinyint, '200')", expected: 200, type: sql.TinyInt },
  { expr: "TRY_CAST('12' AS tinyint)", expected: 12, type: sql.TinyInt },
  { expr: "TRY_CONVERT(money, '1.5')", expected: 1.5, type: sql.Money },
  { expr: 'CONVERT(smallmoney, 3)', expected: 3, type: sql.SmallMoney },
  { expr: "CONVERT(varchar(10), 'abcdefghijklmno')", expected: 'abcdefghij', type: sql.VarChar, length: 10 },
  { expr: "TRY_CAST('abcdefghijk' AS varchar(5))", expected: 'abcde', type: sql.VarChar, length: 5 },
  { expr: "TRY_CONVERT(char(4), 'ab')", expected: 'ab  ', type: sql.Char, length: 4 },
  { expr: "TRY_CAST('9.999' AS numeric(5,2))", expected: 10, type: sql.Numeric, precision: 5, scale: 2 },
  { expr: "TRY_CAST('99999' AS numeric(5,2))", expected: null, type: sql.Numeric, precision: 5, scale: 2 },
  { expr: "TRY_CONVERT(decimal(9,3), '1.25')", expected: 1.25, type: sql.Decimal, precision: 9, scale: 3 },
  { expr: 'CONVERT(binary(6), 0x01)', expected: Buffer.from([1, 0, 0, 0, 0, 0]), type: sql.Binary, length: 6 },
  { expr: "CONVERT(datetime, '2020-01-02 03:04:05')", expected: new Date('2020-01-02T03:04:05Z'), type: sql.DateTime },
  { expr: "TRY_CAST('2020-01-02' AS datetime)", expected: new Date('2020-01-02T00:00:00Z'), type: sql.DateTime },
  { expr: "TRY_CAST('not a date' AS datetime)", expected: null, type: sql.DateTime },
  // xml goes out as XMLTYPE (0xF1), as SQL Server sends it: drivers see an xml column, which TEXTSIZE does not cut.
  { expr: "CONVERT(xml, N'<a>1</a>')", expected: '<a>1</a>', type: sql.Xml },
  { expr: "CAST(CAST(N'<a>1</a>' AS xml) AS nvarchar(max))", expected: '<a>1</a>', type: sql.NVarChar },
  {
    expr: '(SELECT TOP 2 OrderID FROM sales.Orders ORDER BY OrderID FOR XML PATH, TYPE)',
    expected: '<row><OrderID>1</OrderID></row><row><OrderID>2</OrderID></row>',
    type: sql.Xml,
  },
  {
    expr: '(SELECT TOP 1 OrderID FROM sales.Orders ORDER BY OrderID FOR XML PATH)',
    expected: '<row><OrderID>1</OrderID></row>',
    type: sql.NVarChar,
  },
];

describe('CONVERT, TRY_CAST and TRY_CONVERT result columns through mssql', () => {
  const reader = useReaderPool();

  for (const c of CASES) {
    it(`describes ${c.expr} with its declared type and returns the value SQL Server gives`, async () => {
      const result = await reader().request().query(`SELECT ${c.expr} AS v`);
      const column = result.recordset.columns.v;
      assert.equal(column?.type, c.type);
      if (c.length !== undefined) assert.equal(column?.length, c.length);
      if (c.precision !== undefined) assert.equal(column?.precision, c.precision);
      if (c.scale !== undefined) assert.equal(column?.scale, c.scale);
      assert.deepEqual(result.recordset[0]?.v, c.expected);
    });
  }

  it('types a UNION by all of its branches, not by a CAST in the first one', async () => {
    const result = await reader().request().query('SELECT CAST(1 AS tinyint) AS v UNION ALL SELECT 300 ORDER BY v');
    assert.equal(result.recordset.columns.v?.type, sql.Int);
    assert.deepEqual(
      result.recordset.map((r) => r.v),
      [1, 300],
    );
  });

  it('keeps a CAST type for a column named with alias = expression', async () => {
    const result = await reader().request().query("SELECT v = CAST('x' AS char(3)), w = 1");
    assert.equal(result.recordset.columns.v?.type, sql.Char);
    assert.equal(result.recordset.columns.w?.type, sql.Int);
    assert.equal(result.recordset[0]?.v, 'x  ');
  });
});
