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

  for (const version of [undefined, '7.1', '7.2', '7.3', '7.4']) {
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

  const TEMPORAL =
    "SELECT CAST('2024-01-02' AS date) AS d, CAST('2024-01-02 03:04:05' AS datetime2(0)) AS t0, CAST('2024-01-02 03:04:05.123' AS datetime2) AS t7, CAST('13:14:15.5' AS time(3)) AS tm, CAST('2024-01-02 03:04:05 +00:00' AS datetimeoffset(0)) AS dto";
  for (const version of ['7.1', '7.2']) {
    test(`TDS ${version} gets date, time, datetime2 and datetimeoffset as ISO text with the column's fraction digits (those types exist from TDS 7.3 on)`, async () => {
      assert.deepEqual(await tsql(pool(), TEMPORAL, version), [
        ['2024-01-02', '2024-01-02 03:04:05', '2024-01-02 03:04:05.1230000', '13:14:15.500', '2024-01-02 03:04:05 +00:00'],
      ]);
    });
  }
  test('TDS 7.1 gets varchar(max), nvarchar(max) and varbinary(max) as text, ntext and image (PLP exists from TDS 7.2 on), NULL included', async () => {
    const lobs =
      "SELECT CAST(REPLICATE('ab', 3000) AS varchar(max)) AS t, CAST(N'héllo' AS nvarchar(max)) AS nt, CAST(0x0102FF AS varbinary(max)) AS im, CAST(NULL AS nvarchar(max)) AS n, CAST(7 AS int) AS after";
    for (const version of ['7.1', '7.4']) {
      assert.deepEqual(await tsql(pool(), lobs, version), [['ab'.repeat(3000), 'héllo', '0102ff', 'NULL', '7']], `TDS ${version}`);
    }
  });
  test('TDS 7.3 gets a real date type (FreeTDS formats it itself)', async () => {
    const [row] = await tsql(pool(), "SELECT CAST('2024-01-02' AS date) AS d", '7.3');
    assert.match(row?.[0] ?? '', /^Jan\s+2 2024/);
  });
});
