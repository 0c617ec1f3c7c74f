import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sql from 'mssql';
import { useReaderPool } from './reader-pool.ts';

/**
 * Every SQL Server type the sandbox puts on the wire, through the real `mssql` driver and the
 * real engine: as CAST result columns (value, NULL and the driver's view of the column type) and
 * as typed sp_executesql parameters echoed back, including max-length values.
 */

const binary = (length: number): sql.ISqlType => (sql.Binary as unknown as sql.ISqlTypeFactoryWithLength)(length);

interface TypeCase {
  sqlType: string;
  literal: string;
  expected: unknown;
  /** The mssql type the driver reports for the column. */
  driverType: unknown;
  param: sql.ISqlType | (() => sql.ISqlType);
}

const CASES: TypeCase[] = [
  { sqlType: 'bit', literal: '1', expected: true, driverType: sql.Bit, param: sql.Bit },
  { sqlType: 'tinyint', literal: '255', expected: 255, driverType: sql.TinyInt, param: sql.TinyInt },
  { sqlType: 'smallint', literal: '-32768', expected: -32768, driverType: sql.SmallInt, param: sql.SmallInt },
  { sqlType: 'int', literal: '-2147483648', expected: -2147483648, driverType: sql.Int, param: sql.Int },
  { sqlType: 'bigint', literal: '9223372036854775807', expected: '9223372036854775807', driverType: sql.BigInt, param: sql.BigInt },
  { sqlType: 'decimal(38,4)', literal: '-12345.6789', expected: -12345.6789, driverType: sql.Decimal, param: sql.Decimal(38, 4) },
  { sqlType: 'numeric(5,2)', literal: '999.99', expected: 999.99, driverType: sql.Numeric, param: sql.Numeric(5, 2) },
  { sqlType: 'money', literal: '-12345.6789', expected: -12345.6789, driverType: sql.Money, param: sql.Money },
  { sqlType: 'smallmoney', literal: '214748.3647', expected: 214748.3647, driverType: sql.SmallMoney, param: sql.SmallMoney },
  { sqlType: 'real', literal: '3.5', expected: 3.5, driverType: sql.Real, param: sql.Real },
  { sqlType: 'float', literal: '1.5E300', expected: 1.5e300, driverType: sql.Float, param: sql.Float },
  { sqlType: 'char(5)', literal: "'ab'", expected: 'ab   ', driverType: sql.Char, param: sql.Char(5) },
  { sqlType: 'varchar(20)', literal: "'café'", expected: 'café', driverType: sql.VarChar, param: sql.VarChar(20) },
  { sqlType: 'nchar(3)', literal: "N'xyz'", expected: 'xyz', driverType: sql.NChar, param: sql.NChar(3) },
  { sqlType: 'nvarchar(40)', literal: "N'héllo 世界'", expected: 'héllo 世界', driverType: sql.NVarChar, param: sql.NVarChar(40) },
  { sqlType: 'date', literal: "'2024-02-29'", expected: new Date('2024-02-29T00:00:00Z'), driverType: sql.Date, param: sql.Date },
  {
    sqlType: 'time(7)',
    literal: "'13:45:30.1234567'",
    expected: new Date('1970-01-01T13:45:30.123Z'),
    driverType: sql.Time,
    param: sql.Time(7),
  },
  {
    sqlType: 'datetime',
    literal: "'2024-05-06 07:08:09.997'",
    expected: new Date('2024-05-06T07:08:09.997Z'),
    driverType: sql.DateTime,
    param: sql.DateTime,
  },
  {
    sqlType: 'datetime2(3)',
    literal: "'1999-12-31 23:59:59.999'",
    expected: new Date('1999-12-31T23:59:59.999Z'),
    driverType: sql.DateTime2,
    param: sql.DateTime2(3),
  },
  {
    sqlType: 'datetimeoffset(7)',
    literal: "'2024-05-06 01:00:00.5 +02:00'",
    expected: new Date('2024-05-05T23:00:00.500Z'),
    driverType: sql.DateTimeOffset,
    param: sql.DateTimeOffset(7),
  },
  {
    sqlType: 'uniqueidentifier',
    literal: "'6F9619FF-8B86-D011-B42D-00C04FC964FF'",
    expected: '6F9619FF-8B86-D011-B42D-00C04FC964FF',
    driverType: sql.UniqueIdentifier,
    param: sql.UniqueIdentifier,
  },
  {
    sqlType: 'varbinary(4)',
    literal: '0x0001FEFF',
    expected: Buffer.from([0, 1, 254, 255]),
    driverType: sql.VarBinary,
    param: sql.VarBinary(4),
  },
  { sqlType: 'binary(4)', literal: '0x0001FEFF', expected: Buffer.from([0, 1, 254, 255]), driverType: sql.Binary, param: binary(4) },
];

/** Values only a parameter can carry conveniently: beyond the 8000-byte in-row limit. */
const MAX_CASES: Array<{ name: string; type: sql.ISqlType; value: string | Buffer }> = [
  { name: 'nvarchar(max)', type: sql.NVarChar(sql.MAX), value: 'ü€'.repeat(60_000) },
  { name: 'varchar(max)', type: sql.VarChar(sql.MAX), value: 'y'.repeat(70_000) },
  { name: 'varbinary(max)', type: sql.VarBinary(sql.MAX), value: Buffer.alloc(100_000, 0xab) },
];

describe('SQL Server types through mssql', () => {
  const reader = useReaderPool();

  for (const c of CASES) {
    it(`returns CAST(${c.literal} AS ${c.sqlType}) and a NULL ${c.sqlType} exactly`, async () => {
      const result = await reader().request().query(`SELECT CAST(${c.literal} AS ${c.sqlType}) AS v, CAST(NULL AS ${c.sqlType}) AS n`);
      const [row] = result.recordset;
      assert.deepEqual(row.v, c.expected);
      assert.equal(row.n, null);
    });

    it(`describes a CAST to ${c.sqlType} with that type in COLMETADATA`, async () => {
      const result = await reader().request().query(`SELECT CAST(${c.literal} AS ${c.sqlType}) AS v`);
      assert.equal(result.recordset.columns.v?.type, c.driverType);
    });

    it(`round-trips a ${c.sqlType} parameter and a NULL one`, async () => {
      const request = reader().request();
      request.input('v', c.param, c.expected);
      request.input('n', c.param, null);
      const [row] = (await request.query('SELECT @v AS v, @n AS n')).recordset;
      assert.deepEqual(row.v, c.expected);
      assert.equal(row.n, null);
    });
  }

  for (const c of MAX_CASES) {
    it(`round-trips a ${c.value.length}-unit ${c.name} parameter`, async () => {
      const request = reader().request();
      request.input('v', c.type, c.value);
      const [row] = (await request.query('SELECT @v AS v')).recordset;
      assert.deepEqual(row.v, c.value);
    });
  }
});
