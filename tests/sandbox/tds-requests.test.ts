import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sql from 'mssql';
import { startScriptedServer, type ScriptedServer } from './tds-scripted-backend.ts';

/** Cancellation, timeouts, transactions, concurrency and streaming backpressure, through mssql. */
describe('TDS request handling with the mssql driver', () => {
  let scripted: ScriptedServer;
  let pool: sql.ConnectionPool;
  const config = (extra: Partial<sql.config> = {}): sql.config => scripted.config(extra);

  before(async () => {
    scripted = await startScriptedServer();
    pool = await new sql.ConnectionPool(config({ pool: { max: 20 } })).connect();
  });

  after(async () => {
    await pool.close();
    await scripted.close();
  });

  it('times out a slow request with requestTimeout and keeps the connection usable', async () => {
    const single = await new sql.ConnectionPool(config({ requestTimeout: 200, pool: { max: 1 } })).connect();
    const started = Date.now();
    await assert.rejects(single.request().batch('WAIT 10000'), (error: sql.RequestError) => error.code === 'ETIMEOUT');
    assert.ok(Date.now() - started < 3000);
    const again = await single.request().batch('WAIT 1');
    assert.deepEqual(again.recordset, [{ waited: 1 }]);
    await single.close();
  });

  it('cancels a request with request.cancel(), even mid-stream, and keeps the connection usable', async () => {
    const single = await new sql.ConnectionPool(config({ pool: { max: 1 } })).connect();
    const waiting = single.request();
    const pending = waiting.batch('WAIT 10000');
    setTimeout(() => waiting.cancel(), 100);
    await assert.rejects(pending, (error: sql.RequestError) => error.code === 'ECANCEL');

    const streaming = single.request();
    streaming.stream = true;
    let rows = 0;
    const finished = new Promise<unknown>((resolve) => {
      streaming.on('row', () => {
        if (++rows === 1000) streaming.cancel();
      });
      streaming.on('error', resolve);
      streaming.on('done', () => resolve(undefined));
    });
    void streaming.batch('ROWS 5000000');
    const error = (await finished) as sql.RequestError | undefined;
    assert.equal(error?.code, 'ECANCEL');
    assert.ok(rows < 5_000_000);
    const again = await single.request().batch('MULTI');
    assert.equal(again.recordsets.length, 3);
    await single.close();
  });

  it('begins, commits and rolls back through the transaction manager', async () => {
    scripted.script.transactions.length = 0;
    const committed = new sql.Transaction(pool);
    await committed.begin();
    await new sql.Request(committed).batch('MULTI');
    await committed.commit();
    const rolledBack = new sql.Transaction(pool);
    await rolledBack.begin();
    await rolledBack.rollback();
    assert.deepEqual(scripted.script.transactions, ['begin', 'commit', 'begin', 'rollback']);
  });

  it('serves a pool of 20 concurrent connections', async () => {
    const opened = scripted.script.sessionsOpened;
    const wide = await new sql.ConnectionPool(config({ pool: { max: 20, min: 0 } })).connect();
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 20 }, () => wide.request().batch('WAIT 300')));
    assert.ok(Date.now() - started < 3000, 'the 20 waits overlapped');
    assert.equal(results.length, 20);
    assert.ok(scripted.script.sessionsOpened - opened >= 20);
    await wide.close();
  });

  for (const encrypt of [false, true]) {
    it(`streams 200 000 rows with encrypt:${encrypt}, producing them only as fast as the client reads (backpressure)`, async () => {
      const own = await new sql.ConnectionPool(config({ options: { encrypt, trustServerCertificate: true } })).connect();
      const request = own.request();
      request.stream = true;
      let rows = 0;
      let lastId = -1;
      let producedWhilePaused = Number.NaN;
      const producedBefore = scripted.script.rowsProduced;
      const done = new Promise<void>((resolve, reject) => {
        request.on('row', (row: { id: number }) => {
          rows++;
          lastId = row.id;
          if (rows === 1000) {
            request.pause();
            setTimeout(() => {
              producedWhilePaused = scripted.script.rowsProduced - producedBefore;
              request.resume();
            }, 500);
          }
        });
        request.on('error', reject);
        request.on('done', () => resolve());
      });
      void request.batch('ROWS 200000');
      await done;
      assert.equal(rows, 200_000);
      assert.equal(lastId, 199_999);
      // 200 000 rows of ~420 bytes are ~84 MB; while the client pauses, only what fits in socket
      // buffers may be produced.
      assert.ok(producedWhilePaused < 60_000, `produced ${producedWhilePaused} rows while the client was paused`);
      await own.close();
    });
  }
});
