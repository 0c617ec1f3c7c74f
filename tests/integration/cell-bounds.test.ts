/**
 * Cells and results are bounded while rows stream (issue 10 item 12), through the real mssql
 * driver to the test database: the server cuts large values (SET TEXTSIZE), the connector cuts
 * every cell at MAX_CELL_BYTES with a marker and stops reading at MAX_RESULT_BYTES.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { boundCell, CELL_TRUNCATED_MARKER } from '../../src/db/cell-bounds.ts';
import type { Db } from '../../src/db/types.ts';
import { startTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { dbFor } from './stack.ts';

const CELL = 1_000;
const opts = { maxRows: 1_000, timeoutMs: 20_000 };

describe('cell and result bounds on the test database', () => {
  let database: TestDatabase;
  let db: Db;
  before(async () => {
    database = await startTestDatabase();
    db = dbFor(database, database.reader, { maxCellBytes: CELL, maxResultBytes: 20_000 });
  });
  after(async () => {
    await db?.close();
    await database?.close();
  });

  const cases: Array<{ name: string; sql: string; cut: boolean; expected?: string }> = [
    { name: 'a short nvarchar(max) value', sql: "SELECT CAST(N'short' AS nvarchar(max)) AS v", cut: false, expected: 'short' },
    {
      name: 'an nvarchar(max) value of exactly the budget',
      sql: `SELECT REPLICATE(CAST('a' AS nvarchar(max)), ${CELL}) AS v`,
      cut: false,
      expected: 'a'.repeat(CELL),
    },
    {
      name: 'an nvarchar(max) value one over the budget',
      sql: `SELECT REPLICATE(CAST('a' AS nvarchar(max)), ${CELL + 1}) AS v`,
      cut: true,
    },
    { name: 'a million-character nvarchar(max) value', sql: "SELECT REPLICATE(CAST('b' AS nvarchar(max)), 1000000) AS v", cut: true },
    { name: 'multi-byte characters (é, 2 bytes each)', sql: `SELECT REPLICATE(CAST(N'é' AS nvarchar(max)), ${CELL}) AS v`, cut: true },
    {
      name: 'an nvarchar(4000) value (not a large type: cut by the connector alone)',
      sql: "SELECT CAST(REPLICATE('c', 4000) AS nvarchar(4000)) AS v",
      cut: true,
    },
    { name: 'a varchar(max) value', sql: "SELECT CAST(REPLICATE(CAST('d' AS varchar(max)), 50000) AS varchar(max)) AS v", cut: true },
  ];
  for (const { name, sql, cut, expected } of cases) {
    it(`${name} is ${cut ? `cut to at most ${CELL} bytes with the marker` : 'returned whole'}`, async () => {
      const result = await db.query(sql, [], opts);
      const value = result.rows[0]?.[0];
      assert.equal(typeof value, 'string');
      const text = value as string;
      assert.ok(Buffer.byteLength(text) <= CELL, `${Buffer.byteLength(text)} bytes`);
      assert.equal(text.endsWith(CELL_TRUNCATED_MARKER), cut);
      assert.ok(!text.includes('\uFFFD'), 'never cut inside a UTF-8 sequence');
      if (expected !== undefined) assert.equal(text, expected);
    });
  }

  it('stops reading once the rows hold MAX_RESULT_BYTES, and says the result is truncated', async () => {
    const sql = "SELECT TOP 200 OrderID, REPLICATE(CAST('z' AS nvarchar(max)), 500) AS pad FROM sales.Orders ORDER BY OrderID";
    const result = await db.query(sql, [], opts);
    assert.equal(result.truncated, true);
    assert.ok(result.rows.length > 10 && result.rows.length < 200, `${result.rows.length} rows`);
    const bytes = Buffer.byteLength(JSON.stringify(result.rows));
    assert.ok(bytes <= 20_000 + 600, `${bytes} bytes kept`);
    const after = await db.query('SELECT 1 AS one', [], opts);
    assert.deepEqual(after.rows, [[1]], 'the connection was left usable');
  });
});

describe('boundCell', () => {
  const cases: Array<[value: unknown, max: number, expected: unknown]> = [
    [null, 10, null],
    [42, 1, 42],
    ['abc', 100, 'abc'],
    ['x'.repeat(100), 100, 'x'.repeat(100)],
    ['😀'.repeat(50), 100, `${'😀'.repeat(Math.floor((100 - Buffer.byteLength(CELL_TRUNCATED_MARKER)) / 4))}${CELL_TRUNCATED_MARKER}`],
  ];
  for (const [value, max, expected] of cases) {
    it(`boundCell(${JSON.stringify(value)?.slice(0, 20)}, ${max}) → ${JSON.stringify(expected)?.slice(0, 30)}`, () => {
      assert.deepEqual(boundCell(value, max), expected);
    });
  }
});
