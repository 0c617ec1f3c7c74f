import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Backend } from '../../sandbox/backend.ts';
import { createEngine } from '../../sandbox/engine/index.ts';
import {
  CATALOG_QUERIES,
  COLUMNS_SQL,
  DESCRIPTIONS_SQL,
  FOREIGN_KEYS_SQL,
  INDEXES_SQL,
  OBJECTS_SQL,
  ROW_COUNTS_SQL,
} from '../../src/db/catalog-queries.ts';
import { errorsOf, events, query, READER, withSessions } from './engine-helpers.ts';

let backend: Backend;
before(async () => {
  backend = await createEngine();
});
after(async () => {
  await backend.close();
});

describe('catalog views answer the connector and the usual catalog queries', () => {
  for (const [name, sql] of Object.entries(CATALOG_QUERIES)) {
    test(`connector catalog query ${name} runs for the reader`, async () => {
      await withSessions(backend, [READER], async (s) => {
        const evs = await events(s, `SET LOCK_TIMEOUT 5000;\n${sql}`);
        assert.deepEqual(errorsOf(evs), []);
        assert.ok(
          evs.some((e) => e.kind === 'row'),
          `${name} returned no rows`,
        );
      });
    });
  }

  test('sys views describe tables, columns, keys, descriptions and row counts as SQL Server does', async () => {
    await withSessions(backend, [READER], async (s) => {
      const objects = await query(s, OBJECTS_SQL);
      const customers = objects.find((o) => o.schema_name === 'sales' && o.object_name === 'Customers');
      assert.ok(customers, 'sales.Customers listed with its declared spelling');
      assert.equal(customers.object_type, 'U ');
      assert.ok(
        objects.some((o) => o.object_type === 'V '),
        'views listed',
      );
      const id = customers.object_id;
      const cols = (await query(s, COLUMNS_SQL)).filter((c) => c.object_id === id);
      const pk = cols.find((c) => c.column_name === 'CustomerID');
      assert.equal(pk?.type_name, 'int');
      assert.equal(pk?.max_length, 4);
      assert.equal(pk?.is_nullable, false);
      const name = cols.find((c) => c.column_name === 'Name');
      assert.equal(name?.type_name, 'nvarchar');
      assert.equal(Number(name?.max_length) % 2, 0);
      const idx = (await query(s, INDEXES_SQL)).filter((i) => i.object_id === id && i.is_primary_key === true);
      assert.deepEqual(
        idx.map((i) => i.column_name),
        ['CustomerID'],
      );
      const fks = await query(s, FOREIGN_KEYS_SQL);
      assert.ok(fks.some((f) => f.ref_schema === 'sales' && f.ref_table === 'Customers' && f.ref_column === 'CustomerID'));
      const descs = await query(s, DESCRIPTIONS_SQL);
      assert.ok(descs.some((d) => d.object_id === id && d.column_id === 0 && String(d.description).length > 0));
      assert.ok(descs.some((d) => d.object_id === id && Number(d.column_id) > 0));
      const counts = await query(s, ROW_COUNTS_SQL);
      const [ol] = await query(s, "SELECT OBJECT_ID('sales.OrderLines') AS id, COUNT(*) AS n FROM sales.OrderLines");
      const olCount = counts.find((c) => c.object_id === ol?.id);
      assert.equal(olCount?.row_count, BigInt(Number(ol?.n)));
      assert.ok(Number(ol?.n) >= 200_000);
    });
  });

  test('INFORMATION_SCHEMA views use SQL Server names and type names', async () => {
    await withSessions(backend, [READER], async (s) => {
      const tables = await query(s, "SELECT * FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'hr' ORDER BY TABLE_NAME");
      assert.ok(tables.some((t) => t.TABLE_NAME === 'Employees' && t.TABLE_TYPE === 'BASE TABLE' && t.TABLE_CATALOG === 'RetailDB'));
      const cols = await query(
        s,
        "SELECT COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, IS_NULLABLE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'Customers' AND TABLE_SCHEMA = 'sales'",
      );
      assert.ok(cols.some((c) => c.COLUMN_NAME === 'Name' && c.DATA_TYPE === 'nvarchar' && Number(c.CHARACTER_MAXIMUM_LENGTH) > 0));
      const kcu = await query(
        s,
        "SELECT CONSTRAINT_NAME, COLUMN_NAME FROM INFORMATION_SCHEMA.KEY_COLUMN_USAGE WHERE TABLE_NAME = 'Orders'",
      );
      assert.ok(kcu.some((k) => k.COLUMN_NAME === 'CustomerID'));
      const rc = await query(
        s,
        'SELECT CONSTRAINT_NAME, UNIQUE_CONSTRAINT_NAME, DELETE_RULE FROM INFORMATION_SCHEMA.REFERENTIAL_CONSTRAINTS',
      );
      assert.ok(rc.length > 0 && rc.every((r) => typeof r.UNIQUE_CONSTRAINT_NAME === 'string'));
      const views = await query(s, 'SELECT TABLE_NAME, VIEW_DEFINITION FROM INFORMATION_SCHEMA.VIEWS');
      assert.ok(views.length > 0 && views.every((v) => /SELECT/i.test(String(v.VIEW_DEFINITION))));
      assert.deepEqual(await query(s, 'SELECT COUNT(*) AS n FROM INFORMATION_SCHEMA.ROUTINES'), [{ n: 0 }]);
    });
  });

  test('OBJECT_ID, OBJECT_NAME and SCHEMA_NAME resolve names case-insensitively', async () => {
    await withSessions(backend, [READER], async (s) => {
      const [r] = await query(
        s,
        "SELECT OBJECT_NAME(OBJECT_ID('[SALES].[customers]')) AS n, SCHEMA_NAME(SCHEMA_ID('Sales')) AS sn, OBJECT_ID('dbo.Nope') AS missing",
      );
      assert.deepEqual(r, { n: 'Customers', sn: 'sales', missing: null });
    });
  });

  test('OBJECT_ID, OBJECT_NAME and OBJECT_SCHEMA_NAME agree with sys.objects for every object, constraints included', async () => {
    await withSessions(backend, [READER], async (s) => {
      const rows = await query(
        s,
        `SELECT o.object_id AS id, o.name AS name, SCHEMA_NAME(o.schema_id) AS sch, RTRIM(o.type) AS type,
           OBJECT_NAME(o.object_id) AS byName, OBJECT_SCHEMA_NAME(o.object_id) AS bySchema,
           OBJECT_ID(QUOTENAME(SCHEMA_NAME(o.schema_id)) + '.' + QUOTENAME(o.name)) AS byId,
           OBJECT_ID(QUOTENAME(SCHEMA_NAME(o.schema_id)) + '.' + QUOTENAME(o.name), RTRIM(o.type)) AS byIdTyped,
           OBJECT_ID(QUOTENAME(SCHEMA_NAME(o.schema_id)) + '.' + QUOTENAME(o.name), CASE WHEN o.type = 'V' THEN 'U' ELSE 'V' END) AS byIdWrongType
         FROM sys.objects o`,
      );
      assert.ok(rows.some((r) => r.type === 'U') && rows.some((r) => r.type === 'V') && rows.some((r) => r.type === 'F'));
      const wrong = rows.filter(
        (r) => r.byName !== r.name || r.bySchema !== r.sch || r.byId !== r.id || r.byIdTyped !== r.id || r.byIdWrongType !== null,
      );
      assert.deepEqual(wrong, []);
      const [none] = await query(
        s,
        'SELECT OBJECT_NAME(-5) AS neg, OBJECT_NAME(0) AS zero, OBJECT_SCHEMA_NAME(2147483647) AS big, OBJECT_ID(NULL) AS nul',
      );
      assert.deepEqual(none, { neg: null, zero: null, big: null, nul: null });
    });
  });
});
