import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sql from 'mssql';
import { type Sandbox, startSandbox } from '../../sandbox/index.ts';

const RUNAWAY = 'SELECT COUNT_BIG(*) AS n FROM sales.OrderLines a CROSS JOIN sales.OrderLines b';

describe('a replaced engine thread warms its caches before it takes work', {
  skip: process.env.MSSQL_TEST_HOST ? 'the engine thread is the sandbox’s own' : false,
}, () => {
  let sandbox: Sandbox;
  const lines: string[] = [];
  before(async () => {
    sandbox = await startSandbox({ port: 0, log: (line) => lines.push(line) });
  });
  after(async () => {
    await sandbox?.close();
  });

  const pool = (requestTimeout: number): Promise<sql.ConnectionPool> =>
    new sql.ConnectionPool({
      server: sandbox.host,
      port: sandbox.port,
      database: sandbox.database,
      user: sandbox.logins.reader.user,
      password: sandbox.logins.reader.password,
      requestTimeout,
      pool: { max: 1 },
      options: { encrypt: false, trustServerCertificate: true },
    }).connect();

  it('after a runaway query is cut off, the new thread reads every table once, says so, then answers', { timeout: 120_000 }, async () => {
    const impatient = await pool(300);
    try {
      await assert.rejects(impatient.request().query(RUNAWAY), /timeout|cancel/i);
    } finally {
      await impatient.close();
    }
    // Requests in flight when a thread is replaced fail; wait for the new one to take over.
    for (let waited = 0; waited < 60_000 && !lines.some((line) => line.includes('took over')); waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const patient = await pool(60_000);
    try {
      const tables = await patient.request().query<{ n: number }>('SELECT COUNT(*) AS n FROM sys.tables');
      const count = tables.recordset[0]?.n ?? 0;
      assert.ok(count > 5, `sample database tables: ${count}`);
      const took = lines.find((line) => line.includes('the new engine thread took over'));
      assert.ok(took, lines.join('\n'));
      assert.match(took, new RegExp(`\\(${count} tables read first`));
      assert.equal(lines.filter((line) => line.includes('replacing the engine thread')).length, 1, lines.join('\n'));
    } finally {
      await patient.close();
    }
  });
});
