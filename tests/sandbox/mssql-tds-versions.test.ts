import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type sql from 'mssql';
import { startTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { openPool } from './reader-pool.ts';

/**
 * The `mssql` driver (tedious) asking for each TDS version it speaks: LOGINACK agrees on it and
 * every answer is encoded for it (7.1: 32-bit DONE counts, 16-bit line numbers and user types,
 * text/ntext/image for max types; before 7.3: date and time types as text).
 */
const VERSIONS = [
  { option: '7_1', dateTypes: false },
  { option: '7_2', dateTypes: false },
  { option: '7_3_A', dateTypes: true },
  { option: '7_3_B', dateTypes: true },
  { option: '7_4', dateTypes: true },
];

const TYPES = `SELECT CAST(42 AS int) AS i, CAST(-7 AS bigint) AS g, CAST(12.34 AS decimal(6,2)) AS d, N'héllo wörld' AS s,
  CAST(1 AS bit) AS b, NULL AS z, CAST(REPLICATE('ab', 4500) AS varchar(max)) AS t, CAST(N'élan' AS nvarchar(max)) AS nt,
  CAST(0x0102FF AS varbinary(max)) AS vb, CAST(NULL AS nvarchar(max)) AS nn, CAST('2024-01-02' AS date) AS dt`;

let db: TestDatabase;

describe('mssql at every TDS version tedious speaks', () => {
  before(async () => {
    db = await startTestDatabase();
  });
  after(async () => {
    await db?.close();
  });

  for (const { option, dateTypes } of VERSIONS) {
    describe(`TDS ${option}`, () => {
      let pool: sql.ConnectionPool;
      before(async () => {
        pool = await openPool(db, db.reader, { tdsVersion: option });
      });
      after(async () => {
        await pool?.close();
      });

      test('types, NULLs and max types arrive intact, date as a date from 7.3 on and as ISO text before', async () => {
        const [row = {}] = (await pool.request().query<Record<string, unknown>>(TYPES)).recordset;
        assert.deepEqual(
          { ...row, t: String(row.t).length },
          {
            i: 42,
            g: '-7',
            d: 12.34,
            s: 'héllo wörld',
            b: true,
            z: null,
            t: 9000,
            nt: 'élan',
            vb: Buffer.from([1, 2, 255]),
            nn: null,
            dt: dateTypes ? new Date('2024-01-02T00:00:00Z') : '2024-01-02',
          },
        );
      });

      test('a multi-row result with its row count, and a parameter', async () => {
        const result = await pool
          .request()
          .input('status', 'DELIVERED')
          .query('SELECT TOP 3 OrderID FROM sales.Orders WHERE Status = @status ORDER BY OrderID');
        assert.equal(result.recordset.length, 3);
        assert.deepEqual(result.rowsAffected, [3]);
      });

      test('an error carries its number and line, an informational message its text, and the connection stays usable', async () => {
        const request = pool.request();
        const infos: string[] = [];
        request.on('info', (info: { message: string }) => infos.push(info.message));
        await assert.rejects(
          request.batch("PRINT 'before';\nRAISERROR('boom', 16, 1)"),
          (error: { number?: number; lineNumber?: number }) => {
            assert.equal(error.number, 50000);
            assert.equal(error.lineNumber, 2);
            return true;
          },
        );
        assert.deepEqual(infos, ['before']);
        assert.deepEqual((await pool.request().query('SELECT 1 AS one')).recordset, [{ one: 1 }]);
      });

      test('a transaction begins, sees @@TRANCOUNT 1 and rolls back', async () => {
        const transaction = pool.transaction();
        await transaction.begin();
        const inside = (await transaction.request().query('SELECT @@TRANCOUNT AS n')).recordset;
        await transaction.rollback();
        assert.deepEqual(inside, [{ n: 1 }]);
        assert.deepEqual((await pool.request().query('SELECT @@TRANCOUNT AS n')).recordset, [{ n: 0 }]);
      });
    });
  }
});
