import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import type sql from 'mssql';
import { runProcess } from '../helpers/run-process.ts';
import { useReaderPool } from './reader-pool.ts';

const TSQL = '/usr/bin/tsql';
const MULTI_ROW = 'SELECT TOP 5 OrderID, CustomerID, Status FROM sales.Orders ORDER BY OrderID';
const TYPES =
  "SELECT CAST(42 AS int) AS i, CAST(-7 AS bigint) AS g, CAST(12.34 AS decimal(6,2)) AS d, N'héllo wörld' AS s, CAST(1 AS bit) AS b, NULL AS z";

/** Runs one batch through FreeTDS's tsql (TDSVER picks the protocol version; unset = its default) and returns its rows. */
async function tsql(pool: sql.ConnectionPool, batch: string, version?: string): Promise<string[][]> {
  // mssql keeps the settings it was given on the pool; its type declarations leave them out.
  const c = (pool as unknown as { config: sql.config }).config;
  const result = await runProcess(
    TSQL,
    ['-o', 'fhq', '-H', c.server, '-p', String(c.port), '-U', c.user ?? '', '-P', c.password ?? '', '-D', c.database ?? ''],
    {
      input: `${batch}\ngo\nexit\n`,
      env: { ...process.env, ...(version ? { TDSVER: version } : {}) },
    },
  );
  assert.equal(result.status, 0, `tsql failed: ${result.stderr}`);
  assert.doesNotMatch(result.stderr, /error|out of sync/i, result.stderr);
  return result.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split('\t'));
}

describe('FreeTDS tsql against the sandbox', {
  skip: existsSync(TSQL) ? false : 'FreeTDS tsql is not installed (Debian freetds-bin)',
}, () => {
  const pool = useReaderPool();

  for (const version of [undefined, '7.2', '7.3', '7.4']) {
    const name = version ? `TDS ${version}` : 'default settings (encryption = request, login-only TLS)';
    test(`${name}: a multi-row result matches what the mssql driver reads`, async () => {
      const expected = (await pool().request().query<Record<string, unknown>>(MULTI_ROW)).recordset.map((r) => [
        String(r.OrderID),
        String(r.CustomerID),
        String(r.Status),
      ]);
      assert.equal(expected.length, 5);
      assert.deepEqual(await tsql(pool(), MULTI_ROW, version), expected);
    });
    test(`${name}: int, bigint, decimal, Unicode nvarchar, bit and NULL arrive intact`, async () => {
      assert.deepEqual(await tsql(pool(), TYPES, version), [['42', '-7', '12.34', 'héllo wörld', '1', 'NULL']]);
    });
  }

  test('TDS 7.2 gets date and datetime2 as ISO text (those types exist from TDS 7.3 on)', async () => {
    const [row] = await tsql(pool(), "SELECT CAST('2024-01-02' AS date) AS d, CAST('2024-01-02 03:04:05' AS datetime2(0)) AS t", '7.2');
    assert.deepEqual(row, ['2024-01-02', '2024-01-02 03:04:05']);
  });
  test('TDS 7.3 gets a real date type (FreeTDS formats it itself)', async () => {
    const [row] = await tsql(pool(), "SELECT CAST('2024-01-02' AS date) AS d", '7.3');
    assert.match(row?.[0] ?? '', /^Jan\s+2 2024/);
  });
});
