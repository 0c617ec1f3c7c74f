import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { startTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { runProcess } from '../helpers/run-process.ts';
import { openPool, readOnce } from './reader-pool.ts';

const PYTHON = '/usr/bin/python3';
const DRIVER = '/usr/lib/x86_64-linux-gnu/odbc/libtdsodbc.so';

/**
 * pyodbc through unixODBC and FreeTDS's ODBC driver (Debian's python3-pyodbc and tdsodbc), the
 * way a Python user would connect: a DSN-less connection string naming the driver library.
 * Each check prints one JSON line.
 */
const PRELUDE = `
import json, sys, pyodbc
host, port, database, user, password, version, autocommit = sys.argv[1:8]
cn = pyodbc.connect(f"Driver=${DRIVER};Server={host};Port={port};Database={database};UID={user};PWD={password};TDS_Version={version}", autocommit=autocommit == "on", timeout=20)
cur = cn.cursor()
out = lambda name, value: print(json.dumps({"check": name, "value": value}, default=str))
trancount = lambda: cur.execute("SELECT @@TRANCOUNT").fetchone()[0]
`;

const SCRIPT = `${PRELUDE}
out("rows", [list(r) for r in cur.execute("SELECT TOP 5 OrderID, CustomerID, Status FROM sales.Orders ORDER BY OrderID").fetchall()])
out("types", [list(r) for r in cur.execute("SELECT CAST(42 AS int) AS i, CAST(-7 AS bigint) AS g, CAST(12.34 AS decimal(6,2)) AS d, N'héllo wörld' AS s, CAST(1 AS bit) AS b, NULL AS z").fetchall()])
out("lobs", [list(r) for r in cur.execute("SELECT CAST(REPLICATE('ab', 5000) AS varchar(max)) AS t, CAST(N'élan' AS nvarchar(max)) AS nt, CAST(NULL AS varbinary(max)) AS b").fetchall()])
out("params", [list(r) for r in cur.execute("SELECT ? AS a, ? AS b, ? AS c", 41, "çà va", None).fetchall()])
before = cur.execute("SELECT Status FROM sales.Orders WHERE OrderID = 1").fetchone()[0]
if autocommit == "off":
    cur.execute("UPDATE sales.Orders SET Status = 'Rolled back' WHERE OrderID = 1")
    inside = cur.execute("SELECT Status FROM sales.Orders WHERE OrderID = 1").fetchone()[0]
    cn.rollback()
    out("transaction", [before, inside, cur.execute("SELECT Status FROM sales.Orders WHERE OrderID = 1").fetchone()[0]])
cn.close()
`;

/**
 * Autocommit off as an ODBC application uses it: one connection, commits and rollbacks in a row
 * (FreeTDS ends each with a transaction-manager request that begins the next transaction), and
 * @@TRANCOUNT as the driver's transaction leaves it.
 */
const TRANSACTIONS_SCRIPT = `${PRELUDE}
status = lambda: cur.execute("SELECT Status FROM sales.Orders WHERE OrderID = 2").fetchone()[0]
seen = []
for i in range(3):
    cur.execute("UPDATE sales.Orders SET Status = ? WHERE OrderID = 2", f"Commit {i}")
    seen.append(trancount())
    cn.commit()
    seen.append(trancount())
out("commits", [seen, status()])
cur.execute("UPDATE sales.Orders SET Status = 'Rolled back' WHERE OrderID = 2")
cn.rollback()
cur.execute("UPDATE sales.Orders SET Status = 'Rolled back again' WHERE OrderID = 2")
cn.rollback()
out("rollbacks", [status(), trancount()])
cn.commit()
cn.close()
`;

/**
 * SET IMPLICIT_TRANSACTIONS ON as Microsoft's ODBC and JDBC drivers send it for autocommit off,
 * here from the application with FreeTDS in autocommit mode: the transaction a statement opens
 * stays open over several requests (parameterised ones included) until COMMIT or ROLLBACK.
 */
const IMPLICIT_SCRIPT = `${PRELUDE}
status = lambda: cur.execute("SELECT Status FROM sales.Orders WHERE OrderID = ?", 3).fetchone()[0]
cur.execute("SET IMPLICIT_TRANSACTIONS ON")
seen = [trancount()]
before = status()
seen.append(trancount())
cur.execute("UPDATE sales.Orders SET Status = ? WHERE OrderID = 3", "Implicit")
seen.append(trancount())
cur.execute("ROLLBACK")
seen.append(trancount())
out("rollback", [seen, before, status()])
cur.execute("UPDATE sales.Orders SET Status = ? WHERE OrderID = 3", "Implicit commit")
cur.execute("COMMIT")
after_commit = trancount()
out("commit", [after_commit, status(), trancount()])
cur.execute("COMMIT")
cn.close()
`;

/** Runs a script (PRELUDE + checks) as the owner and collects its JSON lines by check. */
async function pyodbc(db: TestDatabase, script: string, version: string, autocommit: 'on' | 'off'): Promise<Map<string, unknown>> {
  const args = ['-c', script, db.host, String(db.port), db.database, db.owner.user, db.owner.password, version, autocommit];
  const result = await runProcess(PYTHON, args);
  assert.equal(result.status, 0, `pyodbc failed: ${result.stderr}`);
  const lines = result.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { check: string; value: unknown });
  return new Map(lines.map((l) => [l.check, l.value]));
}

const available = existsSync(DRIVER) && spawnSync(PYTHON, ['-c', 'import pyodbc']).status === 0;
let db: TestDatabase;

describe('pyodbc with FreeTDS ODBC against the sandbox', {
  skip: available ? false : 'Debian python3-pyodbc and tdsodbc are not installed',
}, () => {
  before(async () => {
    // Its own database: the rolled-back UPDATE holds the engine while its transaction is open.
    db = await startTestDatabase({ fresh: true });
  });
  after(async () => {
    await db?.close();
  });

  for (const [version, autocommit] of [
    ['7.4', 'on'],
    ['7.4', 'off'],
    ['7.1', 'on'],
    ['7.1', 'off'],
  ] as const) {
    test(`TDS ${version}, autocommit ${autocommit}: a multi-row result, a handful of types and parameters arrive as the mssql driver reads them`, async () => {
      const pool = await openPool(db, db.reader);
      try {
        const expected = (
          await pool.request().query<Record<string, unknown>>('SELECT TOP 5 OrderID, CustomerID, Status FROM sales.Orders ORDER BY OrderID')
        ).recordset.map((r) => [r.OrderID, r.CustomerID, r.Status]);
        const got = await pyodbc(db, SCRIPT, version, autocommit);
        assert.deepEqual(got.get('rows'), expected);
        assert.deepEqual(got.get('types'), [[42, -7, '12.34', 'héllo wörld', true, null]]);
        assert.deepEqual(got.get('params'), [[41, 'çà va', null]]);
        assert.deepEqual(got.get('lobs'), [['ab'.repeat(5000), 'élan', null]]);
        if (autocommit === 'off') {
          const [before, inside, after] = got.get('transaction') as string[];
          assert.equal(inside, 'Rolled back');
          assert.equal(after, before, 'the rollback restored the row');
        }
      } finally {
        await pool.close();
      }
    });
  }

  for (const version of ['7.4', '7.1']) {
    test(`TDS ${version}: SET IMPLICIT_TRANSACTIONS ON keeps the transaction a statement opens until ROLLBACK or COMMIT`, async () => {
      const got = await pyodbc(db, IMPLICIT_SCRIPT, version, 'on');
      const [seen, before, after] = got.get('rollback') as [number[], string, string];
      assert.deepEqual(seen, [0, 1, 1, 0], '@@TRANCOUNT: none before a table is read, one from the SELECT until ROLLBACK');
      assert.equal(after, before, 'the rollback undid the UPDATE');
      assert.deepEqual(got.get('commit'), [0, 'Implicit commit', 1], 'COMMIT ended the transaction; the next SELECT opened another');
      const rows = await readOnce(db, 'SELECT Status FROM sales.Orders WHERE OrderID = 3');
      assert.deepEqual(rows, [{ Status: 'Implicit commit' }], 'the commit is visible to another connection');
    });
  }

  test("autocommit off: three commits in a row, two rollbacks after a commit, @@TRANCOUNT 1 throughout the driver's transactions", async () => {
    const got = await pyodbc(db, TRANSACTIONS_SCRIPT, '7.4', 'off');
    assert.deepEqual(got.get('commits'), [[1, 1, 1, 1, 1, 1], 'Commit 2']);
    assert.deepEqual(got.get('rollbacks'), ['Commit 2', 1]);
    const rows = await readOnce(db, 'SELECT Status FROM sales.Orders WHERE OrderID = 2');
    assert.deepEqual(rows, [{ Status: 'Commit 2' }], 'the last commit is visible to another connection');
  });
});
