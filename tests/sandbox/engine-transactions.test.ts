import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Backend } from '../../sandbox/backend.ts';
import { createEngine } from '../../sandbox/engine/index.ts';
import { errorsOf, events, OWNER, query, READER, rowsOf, rpcEvents, withSessions } from './engine-helpers.ts';

let backend: Backend;
before(async () => {
  backend = await createEngine();
  await withSessions(backend, [OWNER], async (o) => {
    assert.deepEqual(
      errorsOf(
        await events(
          o,
          `CREATE TABLE dbo.TxProbe (Id int NOT NULL CONSTRAINT PK_TxProbe PRIMARY KEY, Name nvarchar(50) NOT NULL);
      INSERT INTO dbo.TxProbe (Id, Name) VALUES (1, N'one'), (2, N'two'), (3, N'three')`,
        ),
      ),
      [],
    );
  });
});
after(async () => {
  await backend.close();
});

describe('writes, permissions and transactions', () => {
  for (const sql of [
    "INSERT INTO hr.Departments (DepartmentID, Name, CostCenter) VALUES (900, N'X', 'CC')",
    "UPDATE hr.Departments SET Name = N'Y' WHERE DepartmentID = 1",
    'DELETE FROM hr.Departments WHERE DepartmentID = 1',
  ]) {
    const verb = sql.split(' ')[0] as string;
    test(`the reader's ${verb} is refused with error 229`, async () => {
      await withSessions(backend, [READER], async (r) => {
        const errs = errorsOf(await events(r, sql));
        assert.equal(errs[0]?.number, 229);
        assert.equal(errs[0]?.severity, 14);
        assert.equal(errs[0]?.message, `The ${verb} permission was denied on the object 'Departments', database 'RetailDB', schema 'hr'.`);
      });
    });
  }

  test('the reader cannot create tables (262) and sees no change', async () => {
    await withSessions(backend, [READER], async (r) => {
      assert.equal(errorsOf(await events(r, 'CREATE TABLE dbo.ReaderProbe (Id int)'))[0]?.number, 262);
      assert.equal(errorsOf(await events(r, 'SELECT * FROM dbo.ReaderProbe'))[0]?.number, 208);
    });
  });

  test("the owner's writes are visible to the reader afterwards", async () => {
    await withSessions(backend, [OWNER, READER], async (o, r) => {
      const evs = await events(
        o,
        `INSERT INTO dbo.TxProbe (Id, Name) SELECT 901, N'Sandbox QA' FROM dbo.TxProbe WHERE Id = 1;
        UPDATE p SET p.Name = p.Name + N' Team' FROM dbo.TxProbe p JOIN dbo.TxProbe x ON x.Id = p.Id WHERE p.Id = 901`,
      );
      assert.deepEqual(errorsOf(evs), []);
      assert.deepEqual(
        evs.filter((e) => e.kind === 'done').map((e) => (e.kind === 'done' ? e.rowCount : -1)),
        [1, 1],
      );
      assert.deepEqual(await query(r, 'SELECT Name FROM dbo.TxProbe WHERE Id = 901'), [{ Name: 'Sandbox QA Team' }]);
    });
  });

  test('a rolled-back transaction leaves no trace, and @@TRANCOUNT follows BEGIN/COMMIT', async () => {
    await withSessions(backend, [OWNER], async (o) => {
      const evs = await events(
        o,
        `BEGIN TRAN; INSERT INTO dbo.TxProbe (Id, Name) VALUES (910, N'probe'); SELECT @@TRANCOUNT AS tc; ROLLBACK`,
      );
      assert.deepEqual(errorsOf(evs), []);
      assert.deepEqual(rowsOf(evs), [[1]]);
      assert.deepEqual(
        evs.filter((e) => e.kind === 'transaction').map((e) => (e.kind === 'transaction' ? e.state : '')),
        ['begin', 'rollback'],
      );
    });
    await withSessions(backend, [OWNER], async (o) => {
      const before = await query(o, 'SELECT COUNT(*) AS n FROM dbo.TxProbe');
      await events(o, "BEGIN TRANSACTION; INSERT INTO dbo.TxProbe (Id, Name) VALUES (902, N'Ghost'); SELECT 1/0;");
      const inside = await query(o, 'SELECT COUNT(*) AS n, @@TRANCOUNT AS tc FROM dbo.TxProbe');
      assert.equal(inside[0]?.tc, 1, 'a statement error does not end the transaction');
      assert.equal(inside[0]?.n, Number(before[0]?.n) + 1);
      await events(o, 'ROLLBACK TRANSACTION');
      assert.deepEqual(await query(o, 'SELECT COUNT(*) AS n, @@TRANCOUNT AS tc FROM dbo.TxProbe'), [{ n: before[0]?.n, tc: 0 }]);
    });
  });

  test('transaction-manager requests begin, commit and roll back', async () => {
    await withSessions(backend, [OWNER], async (o) => {
      const begun = await o.beginTransaction();
      assert.equal(begun[0]?.kind, 'transaction');
      await events(o, "INSERT INTO dbo.TxProbe (Id, Name) VALUES (903, N'TM')");
      const rolled = await o.rollbackTransaction();
      assert.ok(rolled.some((e) => e.kind === 'transaction' && e.state === 'rollback'));
      assert.deepEqual(await query(o, 'SELECT COUNT(*) AS n FROM dbo.TxProbe WHERE Id = 903'), [{ n: 0 }]);
      await o.beginTransaction();
      await events(o, "INSERT INTO dbo.TxProbe (Id, Name) VALUES (904, N'TM2')");
      const committed = await o.commitTransaction();
      assert.ok(committed.some((e) => e.kind === 'transaction' && e.state === 'commit'));
      assert.deepEqual(await query(o, 'SELECT COUNT(*) AS n FROM dbo.TxProbe WHERE Id = 904'), [{ n: 1 }]);
    });
  });

  test("concurrent sessions never see each other's uncommitted work", async () => {
    await withSessions(backend, [OWNER, READER], async (writer, other) => {
      await events(writer, "BEGIN TRAN; INSERT INTO dbo.TxProbe (Id, Name) VALUES (905, N'Pending')");
      const blocked = errorsOf(await events(other, 'SET LOCK_TIMEOUT 200; SELECT COUNT(*) FROM dbo.TxProbe WHERE Id = 905'));
      assert.equal(blocked[0]?.number, 1222, 'the other session waits instead of reading uncommitted rows');
      const waiting = query(other, 'SET LOCK_TIMEOUT -1; SELECT COUNT(*) AS n FROM dbo.TxProbe WHERE Id = 905');
      await new Promise((r) => setTimeout(r, 100));
      await events(writer, 'ROLLBACK');
      assert.deepEqual(await waiting, [{ n: 0 }]);
    });
  });

  test('a cancelled request stops streaming and releases the engine', async () => {
    await withSessions(backend, [READER, READER], async (a, b) => {
      const ctrl = new AbortController();
      let rows = 0;
      for await (const ev of a.batch('SELECT * FROM sales.OrderLines', ctrl.signal)) {
        if (ev.kind === 'row' && ++rows === 10) ctrl.abort();
      }
      assert.ok(rows < 5000, `stopped after ${rows} rows`);
      const started = Date.now();
      assert.deepEqual(await query(b, 'SELECT 1 AS ok'), [{ ok: 1 }]);
      assert.ok(Date.now() - started < 2000);
      assert.deepEqual(await query(a, 'SELECT 2 AS ok'), [{ ok: 2 }]);
    });
  });

  test('WAITFOR DELAY waits, and a cancel ends it early', async () => {
    await withSessions(backend, [READER], async (s) => {
      let t = Date.now();
      await events(s, "WAITFOR DELAY '00:00:00.300'");
      assert.ok(Date.now() - t >= 250);
      const ctrl = new AbortController();
      setTimeout(() => ctrl.abort(), 100);
      t = Date.now();
      await events(s, "WAITFOR DELAY '00:00:30'", ctrl.signal);
      assert.ok(Date.now() - t < 5000);
    });
  });

  test('sp_executesql binds typed parameters', async () => {
    await withSessions(backend, [READER], async (s) => {
      const evs = await rpcEvents(s, 'sp_executesql', [
        {
          name: '',
          type: { name: 'nvarchar', length: 'max' },
          value: "SELECT @id + 1 AS n, @name AS name, @flag AS flag, @at AS at WHERE @name LIKE N'%b%'",
          output: false,
        },
        {
          name: '',
          type: { name: 'nvarchar', length: 'max' },
          value: '@id int, @name nvarchar(20), @flag bit, @at datetime2',
          output: false,
        },
        { name: '@id', type: { name: 'int' }, value: 41, output: false },
        { name: '@name', type: { name: 'nvarchar', length: 20 }, value: "O'Bri", output: false },
        { name: '@flag', type: { name: 'bit' }, value: true, output: false },
        { name: '@at', type: { name: 'datetime2', scale: 7 }, value: '2024-02-29 10:00:00.1234567', output: false },
      ]);
      assert.deepEqual(errorsOf(evs), []);
      assert.deepEqual(rowsOf(evs), [[42, "O'Bri", true, '2024-02-29 10:00:00.123457']]);
      assert.deepEqual(evs[evs.length - 1], { kind: 'return_status', value: 0 });
    });
  });

  test('DELETE TOP, MERGE and SELECT INTO run for real', async () => {
    await withSessions(backend, [OWNER], async (o) => {
      const evs = await events(
        o,
        `SELECT DepartmentID, Name INTO dbo.DeptCopy FROM hr.Departments;
        DELETE TOP (2) FROM dbo.DeptCopy;
        MERGE INTO dbo.DeptCopy AS t USING (SELECT DepartmentID, Name FROM hr.Departments) AS s ON t.DepartmentID = s.DepartmentID
        WHEN MATCHED THEN UPDATE SET t.Name = s.Name + N'!' WHEN NOT MATCHED THEN INSERT (DepartmentID, Name) VALUES (s.DepartmentID, s.Name);
        SELECT COUNT(*) AS n, SUM(CASE WHEN Name LIKE N'%!' THEN 1 ELSE 0 END) AS bang FROM dbo.DeptCopy`,
      );
      assert.deepEqual(errorsOf(evs), []);
      const [n, bang] = rowsOf(evs)[0] as number[];
      const [total] = (await query(o, 'SELECT COUNT(*) AS n FROM hr.Departments')).map((r) => Number(r.n));
      assert.equal(n, total);
      assert.equal(bang, Number(total) - 2);
    });
  });
});
