import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { startTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { runProcess } from '../helpers/run-process.ts';
import { readOnce } from './reader-pool.ts';

const JTDS = '/usr/share/java/jtds.jar';
const CHECKS = fileURLToPath(new URL('./jtds-checks.java', import.meta.url));

/** Runs jtds-checks.java (Java's single-file launcher) as the owner; its "check<TAB>value" lines by check. */
async function jtds(db: TestDatabase): Promise<Map<string, string>> {
  const args = ['-Dstdout.encoding=UTF-8', '-cp', JTDS, CHECKS, db.host, String(db.port), db.database, db.owner.user, db.owner.password];
  const result = await runProcess('java', [...args, '8.0', 'off'], { timeoutMs: 120_000 });
  assert.equal(result.status, 0, `jTDS failed: ${result.stderr}`);
  return new Map(
    result.stdout
      .split('\n')
      .filter((line) => line.includes('\t'))
      .map((line) => line.split('\t') as [string, string]),
  );
}

const available = existsSync(JTDS) && spawnSync('java', ['-version']).status === 0;
let db: TestDatabase;

describe('jTDS (JDBC, TDS 7.1) against the sandbox', {
  skip: available ? false : 'Java or jTDS (Debian libjtds-java) is not installed',
}, () => {
  before(async () => {
    // Its own database: autocommit off holds the engine and the checks write.
    db = await startTestDatabase({ fresh: true });
  });
  after(async () => {
    await db?.close();
  });

  // ssl=off only: with ssl=request (login-only TLS) jTDS at times waits for ever on a login
  // response the server has sent, byte for byte the same as in the runs that pass.
  test('ssl=off (LOGIN7 without PRELOGIN): rows, types, text/ntext for max types, parameters, and autocommit off through SET IMPLICIT_TRANSACTIONS', async () => {
    const expected = (
      await readOnce<Record<string, unknown>>(db, 'SELECT TOP 5 OrderID, CustomerID, Status FROM sales.Orders ORDER BY OrderID')
    )
      .map((r) => `${r.OrderID}|${r.CustomerID}|${r.Status}`)
      .join(';');
    const [before] = await readOnce<{ Status: string }>(db, 'SELECT Status FROM sales.Orders WHERE OrderID = 4');
    const got = await jtds(db);
    assert.equal(got.get('rows'), expected);
    assert.equal(got.get('types'), '42|-7|12.34|héllo wörld|null');
    assert.equal(got.get('lobs'), '10000|abab|élan|2024-01-02', 'varchar(max) as text, nvarchar(max) as ntext, date as text');
    assert.equal(got.get('params'), '41|çà va|null');
    // @@TRANCOUNT before any statement, after the UPDATE that opened the transaction, after rollback.
    assert.equal(got.get('rollback'), `0,1,0|${before?.Status}`, 'the rollback undid the UPDATE');
    assert.equal(got.get('commit'), '0');
    assert.deepEqual(await readOnce(db, 'SELECT Status FROM sales.Orders WHERE OrderID = 4'), [{ Status: 'jTDS committed' }]);
  });
});
