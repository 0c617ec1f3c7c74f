import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DbError } from '../../src/db/index.ts';
import type { Db } from '../../src/db/types.ts';
import { startTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { dbFor } from './stack.ts';

const isDbError = (code: DbError['code']) => (e: unknown) => e instanceof DbError && e.code === code;
const opts = { maxRows: 100, timeoutMs: 10_000 };

describe('db on the test database (reader login)', () => {
  let database: TestDatabase;
  let db: Db;
  before(async () => {
    database = await startTestDatabase({ fresh: true });
    db = dbFor(database, database.reader);
  });
  after(async () => {
    await db?.close();
    await database?.close();
  });

  it('returns columns with SQL Server types and JSON-friendly values', async () => {
    const r = await db.query(
      "SELECT CAST(42 AS int) AS i, CAST(9007199254740993 AS bigint) AS b, CAST(12.5 AS decimal(10,2)) AS d, CAST(N'héllo' AS nvarchar(20)) AS s, CAST('2024-02-29' AS date) AS dt, CAST('2024-02-29 10:11:12.123' AS datetime2(3)) AS ts, CAST(1 AS bit) AS f, CAST(NULL AS int) AS n",
      [],
      opts,
    );
    assert.deepEqual(
      r.columns.map((c) => c.name),
      ['i', 'b', 'd', 's', 'dt', 'ts', 'f', 'n'],
    );
    assert.equal(r.columns[2]?.type, 'decimal(10,2)');
    assert.equal(r.columns[3]?.type, 'nvarchar(20)');
    assert.deepEqual(r.rows, [[42, '9007199254740993', '12.50', 'héllo', '2024-02-29', '2024-02-29T10:11:12.123Z', true, null]]);
    assert.equal(r.truncated, false);
  });

  it('passes values only as typed parameters', async () => {
    const r = await db.query(
      'SELECT COUNT(*) AS n FROM sales.Customers WHERE Name LIKE @p0 OR CustomerID = @p1',
      [
        { name: 'p0', type: 'nvarchar', value: "%'; DROP TABLE sales.Customers; --%" },
        { name: 'p1', type: 'int', value: 1 },
      ],
      opts,
    );
    assert.equal(Number(r.rows[0]?.[0]), 1);
  });

  it('stops reading at maxRows and says the result was truncated', async () => {
    const r = await db.query('SELECT EmployeeID FROM hr.Employees', [], { maxRows: 5, timeoutMs: 30_000 });
    assert.equal(r.rows.length, 5);
    assert.equal(r.truncated, true);
    const exact = await db.query('SELECT TOP (5) EmployeeID FROM hr.Employees', [], { maxRows: 5, timeoutMs: 30_000 });
    assert.equal(exact.truncated, false);
  });

  it('cancels a slow query on the server at the timeout and keeps the pool usable', async () => {
    const started = performance.now();
    await assert.rejects(db.query("WAITFOR DELAY '00:00:05'", [], { maxRows: 1, timeoutMs: 500 }), isDbError('QUERY_TIMEOUT'));
    assert.ok(performance.now() - started < 3_000, `took ${Math.round(performance.now() - started)} ms`);
    const r = await db.query('SELECT 1 AS one', [], opts);
    assert.deepEqual(r.rows, [[1]]);
  });

  it('cancels when the caller aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    await assert.rejects(
      db.query("WAITFOR DELAY '00:00:05'", [], { maxRows: 1, timeoutMs: 10_000, signal: controller.signal }),
      isDbError('QUERY_FAILED'),
    );
    assert.deepEqual((await db.query('SELECT 2 AS two', [], opts)).rows, [[2]]);
  });

  it('reports a server error with its number and no connection details', async () => {
    const err = await db.query('SELECT * FROM dbo.NoSuchTable', [], opts).catch((e: unknown) => e);
    assert.ok(err instanceof DbError);
    assert.equal(err.code, 'QUERY_FAILED');
    assert.equal(err.number, 208);
    assert.doesNotMatch(err.message, new RegExp(`${database.reader.password}|${database.port}`));
  });

  it('answers BUSY when every slot stays taken', async () => {
    const narrow = dbFor(database, database.reader, { maxConcurrent: 1, busyWaitMs: 100 });
    try {
      const slow = narrow.query("WAITFOR DELAY '00:00:01'", [], { maxRows: 1, timeoutMs: 5_000 });
      await assert.rejects(narrow.query('SELECT 1', [], opts), isDbError('BUSY'));
      await slow;
    } finally {
      await narrow.close();
    }
  });

  it('reads the catalog: tables, views, columns, keys, descriptions and row counts', async () => {
    const catalog = await db.catalog();
    assert.equal(catalog.database, database.database);
    const orders = catalog.tables.find((t) => t.schema === 'sales' && t.name === 'Orders');
    assert.ok(orders);
    assert.equal(orders.kind, 'table');
    assert.deepEqual(orders.primaryKey, ['OrderID']);
    assert.ok(orders.foreignKeys.some((f) => f.refTable === 'Customers' && f.columns.includes('CustomerID')));
    assert.ok(orders.description && orders.description.length > 0);
    const count = await db.query('SELECT COUNT(*) FROM sales.Orders', [], opts);
    assert.equal(orders.rowCount, Number(count.rows[0]?.[0]));
    assert.ok(catalog.tables.some((t) => t.kind === 'view'));
    const tickets = catalog.tables.find((t) => t.name === 'SupportTickets');
    assert.ok(tickets?.columns.some((c) => c.name === 'Body' && c.isText));
    assert.equal(await db.catalog(), catalog, 'cached');
    assert.notEqual(await db.catalog({ refresh: true }), catalog, 'refresh reads again');
  });

  it('works over TLS when encrypt is on (trusting the test server certificate)', async () => {
    const tls = dbFor(database, database.reader, { encrypt: true, trustServerCertificate: true });
    try {
      assert.deepEqual((await tls.query('SELECT 3 AS three', [], opts)).rows, [[3]]);
    } finally {
      await tls.close();
    }
  });

  it('pings with latency and pool numbers', async () => {
    const health = await db.ping();
    assert.equal(health.ok, true);
    assert.ok(health.latencyMs >= 0);
    assert.ok(health.pool.size >= 1);
  });

  it('says the reader login cannot write', async () => {
    const report = await db.checkPrivileges();
    assert.equal(report.canWrite, false, report.findings.join('; '));
    assert.deepEqual(report.findings, []);
  });
});

describe('db on the test database (owner login)', () => {
  let database: TestDatabase;
  let db: Db;
  before(async () => {
    database = await startTestDatabase({ fresh: true });
    db = dbFor(database, database.owner);
  });
  after(async () => {
    await db?.close();
    await database?.close();
  });

  it('says the owner login can write, with findings', async () => {
    const report = await db.checkPrivileges();
    assert.equal(report.canWrite, true);
    assert.ok(report.findings.length > 0);
  });

  it('rolls back even a write that reaches it (defence in depth behind the guard)', async () => {
    const ghost = 'SELECT COUNT(*) FROM hr.Departments WHERE DepartmentID = 9999';
    // Inside the query's own transaction the insert is visible: the write really ran ...
    const inside = await db.query(
      `INSERT INTO hr.Departments (DepartmentID, Name, CostCenter, Location, AnnualBudget) VALUES (9999, N'Ghost', 'GH0999', N'Nowhere', 0); ${ghost}`,
      [],
      opts,
    );
    assert.equal(Number(inside.rows[0]?.[0]), 1);
    // ... and the always-rolled-back transaction left no trace.
    const after = await db.query(ghost, [], opts);
    assert.equal(Number(after.rows[0]?.[0]), 0);
  });
});

describe('db without a database', () => {
  it('answers DB_UNAVAILABLE quickly and with a fixed message', async () => {
    const db = dbFor(
      {
        kind: 'sandbox',
        host: '127.0.0.1',
        port: 1,
        database: 'RetailDB',
        owner: { user: 'x', password: 'secret-pw' },
        reader: { user: 'x', password: 'secret-pw' },
        close: async () => {},
      },
      { user: 'x', password: 'secret-pw' },
      { connectTimeoutMs: 1_000 },
    );
    try {
      const err = await db.query('SELECT 1', [], opts).catch((e: unknown) => e);
      assert.ok(err instanceof DbError && err.code === 'DB_UNAVAILABLE');
      assert.doesNotMatch(err.message, /secret-pw|127\.0\.0\.1/);
      const health = await db.ping();
      assert.equal(health.ok, false);
      assert.match(health.error ?? '', /^DB_UNAVAILABLE/);
    } finally {
      await db.close();
    }
  });
});

describe('db on one pooled connection (owner login): no transaction outlives a call, however it ends', () => {
  let database: TestDatabase;
  let db: Db;
  let other: Db;
  before(async () => {
    database = await startTestDatabase({ fresh: true });
    // One connection: every call below runs on the session the previous call left behind.
    db = dbFor(database, database.owner, { poolMax: 1, maxConcurrent: 1 });
    other = dbFor(database, database.reader);
  });
  after(async () => {
    await db?.close();
    await other?.close();
    await database?.close();
  });

  const insert =
    "INSERT INTO hr.Departments (DepartmentID, Name, CostCenter, Location, AnnualBudget) VALUES (9998, N'Ghost', 'GH0998', N'Nowhere', 0);";
  const ghost = 'SELECT COUNT(*) FROM hr.Departments WHERE DepartmentID = 9998';
  const cases: Array<{
    name: string;
    sql: string;
    params?: Parameters<Db['query']>[1];
    maxRows?: number;
    timeoutMs?: number;
    abortAfterMs?: number;
    outcome: 'ok' | 'truncated' | DbError['code'];
  }> = [
    { name: 'completes', sql: `${insert} SELECT 1 AS one`, outcome: 'ok' },
    {
      name: 'is truncated at maxRows (cancelled mid-stream)',
      sql: `${insert} SELECT EmployeeID FROM hr.Employees`,
      maxRows: 2,
      outcome: 'truncated',
    },
    {
      name: 'is truncated with parameters (through sp_executesql)',
      sql: "INSERT INTO hr.Departments (DepartmentID, Name, CostCenter, Location, AnnualBudget) VALUES (@p0, N'Ghost', 'GH0998', N'Nowhere', 0); SELECT EmployeeID FROM hr.Employees",
      params: [{ name: 'p0', type: 'int', value: 9998 }],
      maxRows: 2,
      outcome: 'truncated',
    },
    { name: 'times out (cancelled on the server)', sql: `${insert} WAITFOR DELAY '00:00:05'`, timeoutMs: 300, outcome: 'QUERY_TIMEOUT' },
    { name: 'is aborted by the caller', sql: `${insert} WAITFOR DELAY '00:00:05'`, abortAfterMs: 200, outcome: 'QUERY_FAILED' },
    { name: 'fails at run time', sql: `${insert} SELECT 1/0 AS boom`, outcome: 'QUERY_FAILED' },
    { name: 'fails on a missing table', sql: `${insert} SELECT * FROM dbo.NoSuchTable`, outcome: 'QUERY_FAILED' },
    {
      name: 'fails with parameters (through sp_executesql)',
      sql: "INSERT INTO hr.Departments (DepartmentID, Name, CostCenter, Location, AnnualBudget) VALUES (@p0, N'Ghost', 'GH0998', N'Nowhere', 0); SELECT 1/0 AS boom",
      params: [{ name: 'p0', type: 'int', value: 9998 }],
      outcome: 'QUERY_FAILED',
    },
  ];
  for (const c of cases) {
    it(`leaves no open transaction and no write when the call ${c.name}`, async () => {
      const controller = new AbortController();
      const timer = c.abortAfterMs === undefined ? undefined : setTimeout(() => controller.abort(), c.abortAfterMs);
      try {
        const run = db.query(c.sql, c.params ?? [], {
          maxRows: c.maxRows ?? 100,
          timeoutMs: c.timeoutMs ?? 10_000,
          signal: controller.signal,
        });
        if (c.outcome === 'ok' || c.outcome === 'truncated') assert.equal((await run).truncated, c.outcome === 'truncated');
        else await assert.rejects(run, isDbError(c.outcome));
      } finally {
        clearTimeout(timer);
      }
      // The same session: only the call's own transaction is open (1), the insert is gone.
      const state = await db.query(`SELECT @@TRANCOUNT AS open_transactions, (${ghost}) AS ghosts`, [], opts);
      assert.deepEqual(state.rows, [[1, 0]]);
      // Another session sees no trace either.
      assert.equal(Number((await other.query(ghost, [], opts)).rows[0]?.[0]), 0);
    });
  }
});
