import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startSandbox } from '../../sandbox/index.ts';
import { DbError } from '../../src/db/index.ts';
import { dbFor } from './stack.ts';

const opts = { maxRows: 10, timeoutMs: 10_000 };
const realServer = Boolean(process.env.MSSQL_TEST_HOST);

// The database is restarted here, which only the in-process sandbox allows (not a shared real server).
describe('db when the database goes away and comes back', {
  skip: realServer ? 'skipped on a real SQL Server: the test must stop and restart the database' : false,
}, () => {
  it('fails with DB_UNAVAILABLE while the database is down and recovers without a restart of the connector', {
    timeout: 120_000,
  }, async () => {
    const first = await startSandbox({ host: '127.0.0.1', port: 0 });
    const database = {
      kind: 'sandbox' as const,
      host: first.host,
      port: first.port,
      database: first.database,
      owner: first.logins.owner,
      reader: first.logins.reader,
      close: () => first.close(),
    };
    const db = dbFor(database, database.reader, { connectTimeoutMs: 2_000 });
    let second: Awaited<ReturnType<typeof startSandbox>> | undefined;
    try {
      assert.deepEqual((await db.query('SELECT 1 AS one', [], opts)).rows, [[1]]);
      await first.close();

      const down = await db.query('SELECT 1 AS one', [], opts).catch((e: unknown) => e);
      assert.ok(down instanceof DbError && down.code === 'DB_UNAVAILABLE', String(down));
      assert.equal((await db.ping()).ok, false);

      second = await startSandbox({ host: '127.0.0.1', port: first.port });
      assert.deepEqual((await db.query('SELECT 2 AS two', [], opts)).rows, [[2]]);
      assert.equal((await db.ping()).ok, true);
    } finally {
      await db.close();
      await second?.close();
    }
  });
});
