import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Backend } from '../../sandbox/backend.ts';
import { createEngine } from '../../sandbox/engine/index.ts';
import { errorsOf, events, OWNER, query, READER, rowsOf, withSessions } from './engine-helpers.ts';

let backend: Backend;
before(async () => {
  backend = await createEngine();
});
after(async () => {
  await backend.close();
});

describe('engine basics', () => {
  test('SELECT 1 returns one unnamed int column and one row', async () => {
    await withSessions(backend, [READER], async (s) => {
      const evs = await events(s, 'SELECT 1');
      assert.deepEqual(evs[0], { kind: 'columns', columns: [{ name: '', type: { name: 'int' }, nullable: true }] });
      assert.deepEqual(rowsOf(evs), [[1]]);
      assert.deepEqual(evs[evs.length - 1], { kind: 'done', rowCount: 1 });
    });
  });

  test('the SET options tedious sends on connect are accepted silently', async () => {
    await withSessions(backend, [READER], async (s) => {
      const evs = await events(
        s,
        `set textsize 2147483647 set quoted_identifier on set arithabort on set numeric_roundabort off
        set ansi_warnings on set ansi_padding on set ansi_nulls on set concat_null_yields_null on set cursor_close_on_commit off
        set implicit_transactions off set language us_english set dateformat mdy set datefirst 7
        set transaction isolation level read committed`,
      );
      assert.deepEqual(errorsOf(evs), []);
      assert.ok(evs.every((e) => e.kind === 'done'));
    });
  });

  test('the login, database and version functions describe the sandbox truthfully', async () => {
    await withSessions(backend, [OWNER, READER], async (owner, reader) => {
      const sql = `SELECT SUSER_SNAME() AS login, USER_NAME() AS usr, DB_NAME() AS db, @@VERSION AS v, @@TRANCOUNT AS tc,
        SERVERPROPERTY('ProductVersion') AS pv, SERVERPROPERTY('Edition') AS ed`;
      const [o] = await query(owner, sql);
      const [r] = await query(reader, sql);
      assert.equal(o?.login, 'retail_owner');
      assert.equal(o?.usr, 'dbo');
      assert.equal(r?.login, 'retail_reader');
      assert.equal(r?.db, 'RetailDB');
      assert.match(String(r?.v), /sandbox/i);
      assert.doesNotMatch(String(r?.v), /^Microsoft SQL Server/);
      assert.equal(r?.tc, 0);
      assert.match(String(r?.pv), /^\d+\.\d+/);
      assert.match(String(r?.ed), /sandbox/i);
    });
  });

  test('permission functions answer per login', async () => {
    const sql = `SELECT IS_ROLEMEMBER('db_datareader') AS r, IS_ROLEMEMBER('db_datawriter') AS w, IS_ROLEMEMBER('db_owner') AS o,
      IS_ROLEMEMBER('db_ddladmin') AS ddl, IS_SRVROLEMEMBER('sysadmin') AS sa, HAS_PERMS_BY_NAME(db_name(), 'DATABASE', 'INSERT') AS di,
      HAS_PERMS_BY_NAME(db_name(), 'DATABASE', 'CREATE TABLE') AS ct, HAS_PERMS_BY_NAME('sales.Orders', 'OBJECT', 'INSERT') AS oi,
      HAS_PERMS_BY_NAME('sales.Orders', 'OBJECT', 'SELECT') AS os`;
    await withSessions(backend, [OWNER, READER], async (owner, reader) => {
      assert.deepEqual(await query(owner, sql), [{ r: 1, w: 1, o: 1, ddl: 1, sa: 1, di: 1, ct: 1, oi: 1, os: 1 }]);
      assert.deepEqual(await query(reader, sql), [{ r: 1, w: 0, o: 0, ddl: 0, sa: 0, di: 0, ct: 0, oi: 0, os: 1 }]);
    });
  });

  test('result columns carry declared SQL Server names and types', async () => {
    await withSessions(backend, [OWNER], async (s) => {
      const evs = await events(
        s,
        `CREATE TABLE dbo.TypeProbe (Id int NOT NULL PRIMARY KEY, Tiny tinyint, Cash money, Stamp datetime,
        Flag bit NOT NULL DEFAULT 0, Label nvarchar(40), Code char(3), Big bigint, Amount decimal(9,3), Guid uniqueidentifier, Bin varbinary(8));
        INSERT INTO dbo.TypeProbe (Id, Tiny, Cash, Stamp, Flag, Label, Code, Big, Amount, Guid, Bin)
        VALUES (1, 7, 12.5, '2024-02-29T10:11:12.123', 1, N'Zoë', 'abc', 9007199254740993, 1.5, '6F9619FF-8B86-D011-B42D-00C04FC964FF', 0x0A0B);
        SELECT * FROM dbo.typeprobe`,
      );
      assert.deepEqual(errorsOf(evs), []);
      const cols = evs.find((e) => e.kind === 'columns');
      assert.ok(cols && cols.kind === 'columns');
      assert.deepEqual(
        cols.columns.map((c) => [c.name, c.type.name]),
        [
          ['Id', 'int'],
          ['Tiny', 'tinyint'],
          ['Cash', 'money'],
          ['Stamp', 'datetime'],
          ['Flag', 'bit'],
          ['Label', 'nvarchar'],
          ['Code', 'char'],
          ['Big', 'bigint'],
          ['Amount', 'decimal'],
          ['Guid', 'uniqueidentifier'],
          ['Bin', 'varbinary'],
        ],
      );
      assert.deepEqual(rowsOf(evs)[0], [
        1,
        7,
        '12.5000',
        '2024-02-29 10:11:12.123',
        true,
        'Zoë',
        'abc',
        9007199254740993n,
        '1.500',
        '6F9619FF-8B86-D011-B42D-00C04FC964FF',
        Buffer.from([10, 11]),
      ]);
    });
  });

  const errorCases: [string, string, number, number][] = [
    ['syntax error near a token', 'SELECT 1 +', 102, 1],
    ['unknown object', 'SELECT 1\nSELECT * FROM dbo.NoSuchTable', 208, 2],
    ['unknown column', 'SELECT NoSuchColumn FROM sales.Customers', 207, 1],
    ['division by zero', 'SELECT 1/0', 8134, 1],
    [
      'duplicate primary key',
      'CREATE TABLE dbo.PkProbe (Id int PRIMARY KEY); INSERT INTO dbo.PkProbe VALUES (1);\nINSERT INTO dbo.PkProbe VALUES (1)',
      2627,
      2,
    ],
    [
      'foreign key violation',
      'CREATE TABLE dbo.FkParent (Id int PRIMARY KEY); CREATE TABLE dbo.FkChild (Id int, ParentId int REFERENCES dbo.FkParent (Id));\n\nINSERT INTO dbo.FkChild VALUES (1, 99)',
      547,
      3,
    ],
    ['NULL into a NOT NULL column', 'INSERT INTO hr.Departments (DepartmentID) VALUES (999)', 515, 1],
    ['conversion failure', "SELECT CAST('abc' AS int)", 245, 1],
    ['unknown procedure', 'EXEC dbo.NoSuchProc', 2812, 1],
  ];
  for (const [name, sql, number, line] of errorCases) {
    test(`errors: ${name} → ${number}`, async () => {
      await withSessions(backend, [OWNER], async (s) => {
        const errs = errorsOf(await events(s, sql));
        assert.equal(errs.length, 1, JSON.stringify(errs));
        assert.equal(errs[0]?.number, number, errs[0]?.message);
        assert.equal(errs[0]?.line, line);
        assert.ok((errs[0]?.severity ?? 0) >= 11);
      });
    });
  }

  test('statements without semicolons run one after another', async () => {
    await withSessions(backend, [READER], async (s) => {
      const evs = await events(s, 'SELECT 1 AS a SELECT 2 AS b\nSELECT TOP 2 Name FROM hr.Departments ORDER BY Name');
      assert.equal(evs.filter((e) => e.kind === 'columns').length, 3);
      assert.equal(rowsOf(evs).length, 4);
    });
  });

  test('variables: DECLARE, SET and SELECT @v', async () => {
    await withSessions(backend, [READER], async (s) => {
      const rows = await query(
        s,
        `DECLARE @n int = 2, @name nvarchar(50); SET @n += 1;
        SELECT @name = Name FROM hr.Departments WHERE DepartmentID = 1; SELECT @n AS n, @name AS name`,
      );
      assert.equal(rows[0]?.n, 3);
      assert.equal(typeof rows[0]?.name, 'string');
    });
  });
});
