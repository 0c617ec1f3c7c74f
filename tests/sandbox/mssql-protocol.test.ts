import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sql from 'mssql';
import { startTestDatabase, type TestDatabase } from '../helpers/database.ts';

/**
 * The sandbox as the connector sees it: the real `mssql` driver over TCP against the TDS server
 * and the real engine with the sample database — logins, encryption, result sets, errors,
 * cancellation, concurrency, streaming and transactions.
 */
describe('the sandbox through mssql', () => {
  let db: TestDatabase;
  let pool: sql.ConnectionPool;
  const config = (extra: Partial<sql.config> = {}): sql.config => ({
    server: db.host,
    port: db.port,
    database: db.database,
    user: db.owner.user,
    password: db.owner.password,
    options: { encrypt: false, trustServerCertificate: true },
    ...extra,
  });

  before(async () => {
    db = await startTestDatabase({ fresh: true });
    pool = await new sql.ConnectionPool(config({ pool: { max: 20 } })).connect();
  });

  after(async () => {
    await pool?.close();
    await db?.close();
  });

  for (const encrypt of [false, true]) {
    it(`logs in as owner and reader with encrypt:${encrypt}`, async () => {
      for (const login of [db.owner, db.reader]) {
        const own = await new sql.ConnectionPool(
          config({ user: login.user, password: login.password, options: { encrypt, trustServerCertificate: true } }),
        ).connect();
        const [row] = (await own.request().query('SELECT DB_NAME() AS db, 1 + 1 AS two')).recordset;
        assert.deepEqual(row, { db: db.database, two: 2 });
        await own.close();
      }
    });
  }

  it('refuses a wrong password with a login failure', async () => {
    const bad = new sql.ConnectionPool(config({ password: `${db.owner.password}-wrong` }));
    await assert.rejects(bad.connect(), (error: sql.ConnectionError) => {
      assert.equal(error.code, 'ELOGIN');
      assert.equal(error.message, `Login failed for user '${db.owner.user}'.`);
      return true;
    });
  });

  it('returns several result sets from one batch', async () => {
    const result = await pool
      .request()
      .query('SELECT 1 AS a; SELECT 2 AS b, 3 AS c; SELECT TOP 2 ProductID FROM dbo.Products ORDER BY ProductID');
    const sets = result.recordsets as unknown as unknown[][];
    assert.equal(sets.length, 3);
    assert.deepEqual(sets[0], [{ a: 1 }]);
    assert.deepEqual(sets[1], [{ b: 2, c: 3 }]);
    assert.equal(sets[2]?.length, 2);
  });

  it('reports an unknown table as error 208 on its line', async () => {
    await assert.rejects(pool.request().query('SELECT 1 AS a;\nSELECT * FROM dbo.NoSuchTable'), (error: sql.RequestError) => {
      assert.equal(error.number, 208);
      assert.equal(error.lineNumber, 2);
      assert.match(error.message, /Invalid object name 'dbo\.NoSuchTable'\./);
      return true;
    });
  });

  it('reports a syntax error as 102 or 156', async () => {
    await assert.rejects(pool.request().query('SELECT FROM WHERE'), (error: sql.RequestError) => {
      assert.ok(error.number === 102 || error.number === 156, `got ${error.number}`);
      return true;
    });
  });

  it('runs a prepared statement several times', async () => {
    const single = await new sql.ConnectionPool(config({ pool: { max: 1 } })).connect();
    try {
      const statement = new sql.PreparedStatement(single);
      statement.input('a', sql.Int);
      await statement.prepare('SELECT @a + 1 AS b');
      const results = [await statement.execute({ a: 41 }), await statement.execute({ a: -1 })];
      await statement.unprepare();
      assert.deepEqual(
        results.map((r) => r.recordset),
        [[{ b: 42 }], [{ b: 0 }]],
      );
    } finally {
      await single.close();
    }
  });

  it('times out WAITFOR DELAY with requestTimeout and the connection stays usable', async () => {
    const single = await new sql.ConnectionPool(config({ requestTimeout: 300, pool: { max: 1 } })).connect();
    const started = Date.now();
    await assert.rejects(single.request().query("WAITFOR DELAY '00:00:20'"), (error: sql.RequestError) => error.code === 'ETIMEOUT');
    assert.ok(Date.now() - started < 5000);
    const [row] = (await single.request().query('SELECT 42 AS answer')).recordset;
    assert.deepEqual(row, { answer: 42 });
    await single.close();
  });

  it('cancels WAITFOR DELAY with request.cancel() and the connection stays usable', async () => {
    const single = await new sql.ConnectionPool(config({ pool: { max: 1 } })).connect();
    const request = single.request();
    const pending = request.query("WAITFOR DELAY '00:00:20'");
    setTimeout(() => request.cancel(), 200);
    await assert.rejects(pending, (error: sql.RequestError) => error.code === 'ECANCEL');
    const [row] = (await single.request().query('SELECT 7 AS seven')).recordset;
    assert.deepEqual(row, { seven: 7 });
    await single.close();
  });

  it('serves 20 concurrent connections from one pool', async () => {
    const wide = await new sql.ConnectionPool(config({ pool: { max: 20, min: 0 } })).connect();
    try {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => wide.request().input('i', sql.Int, i).query("WAITFOR DELAY '00:00:00.200'; SELECT @i AS i")),
      );
      assert.deepEqual(
        results.map((r) => r.recordset[0].i),
        Array.from({ length: 20 }, (_, i) => i),
      );
      assert.equal(wide.size, 20, 'twenty connections were open at once');
    } finally {
      await wide.close();
    }
  });

  it('streams every row of the 200 000-row table', async () => {
    const [{ total }] = (await pool.request().query('SELECT COUNT(*) AS total FROM sales.OrderLines')).recordset;
    assert.ok(total >= 200_000, `sales.OrderLines has ${total} rows`);
    const patient = await new sql.ConnectionPool(config({ requestTimeout: 120_000, pool: { max: 1 } })).connect();
    try {
      const request = patient.request();
      request.stream = true;
      let rows = 0;
      let firstRowMs = Number.NaN;
      const started = performance.now();
      const done = new Promise<void>((resolve, reject) => {
        request.on('row', () => {
          if (rows++ === 0) firstRowMs = performance.now() - started;
        });
        request.on('error', reject);
        request.on('done', () => resolve());
      });
      void request.query('SELECT * FROM sales.OrderLines');
      await done;
      assert.equal(rows, total);
      // Rows reach the client as they are produced, not after the socket buffers fill up.
      assert.ok(firstRowMs < 2000, `first row after ${Math.round(firstRowMs)} ms`);
    } finally {
      await patient.close();
    }
  });

  it('commits and rolls back through mssql Transaction', async () => {
    /** Runs `body` in a transaction that is rolled back if anything fails, so no lock outlives the test. */
    const within = async (body: (tx: sql.Transaction) => Promise<void>): Promise<void> => {
      const tx = new sql.Transaction(pool);
      await tx.begin();
      try {
        await body(tx);
      } catch (error) {
        await tx.rollback().catch(() => {});
        throw error;
      }
    };
    await pool.request().batch('CREATE TABLE dbo.TdsTransactionProbe (id int NOT NULL, note nvarchar(20) NULL)');
    try {
      await within(async (tx) => {
        await new sql.Request(tx).query("INSERT INTO dbo.TdsTransactionProbe (id, note) VALUES (1, N'kept')");
        await tx.commit();
      });
      await within(async (tx) => {
        await new sql.Request(tx).query("INSERT INTO dbo.TdsTransactionProbe (id, note) VALUES (2, N'undone')");
        const inside = await new sql.Request(tx).query('SELECT COUNT(*) AS n FROM dbo.TdsTransactionProbe');
        assert.equal(inside.recordset[0].n, 2);
        await tx.rollback();
      });
      const after = await pool.request().query('SELECT id, note FROM dbo.TdsTransactionProbe ORDER BY id');
      assert.deepEqual(after.recordset, [{ id: 1, note: 'kept' }]);
    } finally {
      await pool.request().batch('DROP TABLE dbo.TdsTransactionProbe');
    }
  });
});
