import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import sql from 'mssql';
import { TABLES, VIEWS, generateSampleDatabase } from '../../sandbox/sample/index.ts';
import { countRows } from './sample-parse.ts';
import type { TestDatabase } from '../helpers/database.ts';

/**
 * The loaded sample database, seen through the real `mssql` driver as the reader login: the
 * in-process sandbox by default, or the real SQL Server 2022 that CI loads with
 * scripts/load-sqlserver.ts (MSSQL_TEST_HOST). Both must hold exactly what the generator emits.
 */
const built = ['../../sandbox/index.ts', '../../sandbox/engine/index.ts'].every((path) => existsSync(new URL(path, import.meta.url)));
const available = built || process.env.MSSQL_TEST_HOST !== undefined;
const name = available ? 'the loaded sample database' : 'the loaded sample database (skipped: the sandbox engine does not exist yet)';

describe(name, { skip: !available }, () => {
  let database: TestDatabase;
  let pool: sql.ConnectionPool;
  let expected = new Map<string, number>();
  const scalar = async (text: string): Promise<number> => {
    const result = await pool.request().query(text);
    const row = result.recordset[0] as Record<string, unknown> | undefined;
    return Number(Object.values(row ?? {})[0]);
  };

  before(async () => {
    expected = countRows(generateSampleDatabase());
    const { startTestDatabase } = await import('../helpers/database.ts');
    database = await startTestDatabase();
    pool = await new sql.ConnectionPool({
      server: database.host,
      port: database.port,
      database: database.database,
      user: database.reader.user,
      password: database.reader.password,
      options: { encrypt: true, trustServerCertificate: true },
      requestTimeout: 60_000,
    }).connect();
  });
  after(async () => {
    await pool?.close();
    await database?.close();
  });

  for (const table of TABLES) {
    const qualified = `${table.schema}.${table.name}`;
    test(`${qualified} holds exactly the generated rows`, async () => {
      assert.equal(await scalar(`SELECT COUNT(*) AS n FROM ${qualified}`), expected.get(qualified));
    });
  }

  test('every view answers', async () => {
    for (const view of VIEWS) {
      const result = await pool.request().query(`SELECT TOP (3) * FROM ${view.schema}.${view.name}`);
      assert.equal(result.recordset.length, 3, `${view.schema}.${view.name}`);
    }
  });

  test('the catalog shows every foreign key and MS_Description', async () => {
    const foreignKeys = TABLES.reduce((n, t) => n + (t.foreignKeys?.length ?? 0), 0);
    assert.equal(await scalar('SELECT COUNT(*) AS n FROM sys.foreign_keys'), foreignKeys);
    const comments = TABLES.reduce((n, t) => n + 1 + t.columns.filter((c) => c.description !== undefined).length, VIEWS.length);
    assert.equal(await scalar("SELECT COUNT(*) AS n FROM sys.extended_properties WHERE name = 'MS_Description'"), comments);
  });

  test('text search finds the complaints and the rare recall needle', async () => {
    assert.ok((await scalar("SELECT COUNT(*) AS n FROM dbo.SupportTickets WHERE Body LIKE N'%charged twice%'")) > 0, 'charged twice');
    for (const phrase of ['damaged', 'refund', 'late delivery']) {
      assert.ok((await scalar(`SELECT COUNT(*) AS n FROM dbo.SupportTickets WHERE CHARINDEX(N'${phrase}', Body) > 0`)) > 0, phrase);
    }
    const recall = await scalar("SELECT COUNT(*) AS n FROM dbo.SupportTickets WHERE Body LIKE N'%recall%'");
    assert.ok(recall >= 1 && recall <= 10, `recall tickets: ${recall}`);
  });

  test('order totals reconcile with their lines in the database too', async () => {
    const mismatched = await scalar(
      'SELECT COUNT(*) AS n FROM sales.Orders o LEFT JOIN (SELECT OrderID, SUM(Quantity * UnitPrice) AS s FROM sales.OrderLines GROUP BY OrderID) l ON l.OrderID = o.OrderID WHERE o.Total <> COALESCE(l.s, 0)',
    );
    assert.equal(mismatched, 0);
  });
});
