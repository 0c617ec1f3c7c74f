import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assembleCatalog, displayType } from '../../../src/db/catalog.ts';
import { privilegeReport } from '../../../src/db/privileges.ts';

const rows = {
  database: 'RetailDB',
  objects: [
    { object_id: 10, schema_name: 'sales', object_name: 'Orders', object_type: 'U ' },
    { object_id: 20, schema_name: 'sales', object_name: 'Customers', object_type: 'U ' },
    { object_id: 30, schema_name: 'sales', object_name: 'OpenOrders', object_type: 'V ' },
  ],
  columns: [
    { object_id: 10, column_id: 1, column_name: 'OrderID', type_name: 'int', max_length: 4, precision: 10, scale: 0, is_nullable: false },
    {
      object_id: 10,
      column_id: 2,
      column_name: 'CustomerID',
      type_name: 'int',
      max_length: 4,
      precision: 10,
      scale: 0,
      is_nullable: false,
    },
    {
      object_id: 10,
      column_id: 3,
      column_name: 'Status',
      type_name: 'nvarchar',
      max_length: 40,
      precision: 0,
      scale: 0,
      is_nullable: true,
    },
    { object_id: 10, column_id: 4, column_name: 'Total', type_name: 'decimal', max_length: 9, precision: 12, scale: 2, is_nullable: false },
    {
      object_id: 20,
      column_id: 1,
      column_name: 'CustomerID',
      type_name: 'int',
      max_length: 4,
      precision: 10,
      scale: 0,
      is_nullable: false,
    },
    { object_id: 20, column_id: 2, column_name: 'Notes', type_name: 'varchar', max_length: -1, precision: 0, scale: 0, is_nullable: true },
    { object_id: 99, column_id: 1, column_name: 'Orphan', type_name: 'int', max_length: 4, precision: 10, scale: 0, is_nullable: true },
  ],
  indexes: [
    { object_id: 10, index_id: 1, index_name: 'PK_Orders', is_unique: true, is_primary_key: true, key_ordinal: 1, column_name: 'OrderID' },
    {
      object_id: 10,
      index_id: 2,
      index_name: 'IX_Orders_Customer',
      is_unique: false,
      is_primary_key: false,
      key_ordinal: 1,
      column_name: 'CustomerID',
    },
    {
      object_id: 10,
      index_id: 2,
      index_name: 'IX_Orders_Customer',
      is_unique: false,
      is_primary_key: false,
      key_ordinal: 2,
      column_name: 'Status',
    },
    { object_id: 20, index_id: 1, index_name: 'PK_Customers', is_unique: 1, is_primary_key: 1, key_ordinal: 1, column_name: 'CustomerID' },
  ],
  foreignKeys: [
    {
      fk_name: 'FK_Orders_Customers',
      parent_object_id: 10,
      constraint_column_id: 1,
      column_name: 'CustomerID',
      ref_schema: 'sales',
      ref_table: 'Customers',
      ref_column: 'CustomerID',
    },
  ],
  descriptions: [
    { object_id: 10, column_id: 0, description: 'One row per order.' },
    { object_id: 10, column_id: 3, description: 'Shipped, Pending or Cancelled.' },
  ],
  rowCounts: [
    { object_id: 10, row_count: '20000' },
    { object_id: 20, row_count: 500 },
  ],
};

describe('assembleCatalog', () => {
  const catalog = assembleCatalog(rows, 42);
  const orders = catalog.tables.find((t) => t.name === 'Orders');

  it('lists tables and views with their kind, in the statement order', () => {
    assert.deepEqual(
      catalog.tables.map((t) => `${t.schema}.${t.name}:${t.kind}`),
      ['sales.Orders:table', 'sales.Customers:table', 'sales.OpenOrders:view'],
    );
    assert.equal(catalog.database, 'RetailDB');
    assert.equal(catalog.loadedAt, 42);
  });

  it('attaches columns with display types, nullability, text flags and descriptions', () => {
    assert.deepEqual(
      orders?.columns.map((c) => [c.name, c.type, c.nullable, c.isText]),
      [
        ['OrderID', 'int', false, false],
        ['CustomerID', 'int', false, false],
        ['Status', 'nvarchar(20)', true, true],
        ['Total', 'decimal(12,2)', false, false],
      ],
    );
    assert.equal(orders?.columns[2]?.description, 'Shipped, Pending or Cancelled.');
    assert.equal(orders?.columns[2]?.maxLength, 20);
    assert.equal(catalog.tables[1]?.columns[1]?.maxLength, -1);
  });

  it('derives the primary key, indexes in key order, foreign keys, description and row count', () => {
    assert.deepEqual(orders?.primaryKey, ['OrderID']);
    assert.deepEqual(
      orders?.indexes.map((i) => [i.name, i.unique, i.primaryKey, i.columns]),
      [
        ['PK_Orders', true, true, ['OrderID']],
        ['IX_Orders_Customer', false, false, ['CustomerID', 'Status']],
      ],
    );
    assert.deepEqual(orders?.foreignKeys, [
      { name: 'FK_Orders_Customers', columns: ['CustomerID'], refSchema: 'sales', refTable: 'Customers', refColumns: ['CustomerID'] },
    ]);
    assert.equal(orders?.description, 'One row per order.');
    assert.equal(orders?.rowCount, 20000);
    assert.equal(catalog.tables[2]?.rowCount, undefined);
  });
});

describe('displayType', () => {
  const cases: Array<[[string, number, number, number], string]> = [
    [['nchar', 20, 0, 0], 'nchar(10)'],
    [['varbinary', -1, 0, 0], 'varbinary(max)'],
    [['numeric', 9, 18, 4], 'numeric(18,4)'],
    [['datetime2', 8, 27, 7], 'datetime2'],
    [['datetime2', 7, 23, 3], 'datetime2(3)'],
    [['BIT', 1, 1, 0], 'bit'],
    [['sysname', 256, 0, 0], 'sysname'],
  ];
  for (const [args, expected] of cases) it(`shows ${expected}`, () => assert.equal(displayType(...args).type, expected));
});

describe('privilegeReport', () => {
  it('says a login with only read rights cannot write', () => {
    const report = privilegeReport([{ login_name: 'reader', finding: null }]);
    assert.deepEqual(report, { login: 'reader', canWrite: false, findings: [] });
  });

  it('lists every finding once, in order', () => {
    const rows = [
      { login_name: 'owner', finding: null },
      ...['member of db_owner', 'has INSERT on the database', 'member of db_owner'].map((finding) => ({ login_name: 'owner', finding })),
    ];
    const report = privilegeReport(rows);
    assert.equal(report.canWrite, true);
    assert.deepEqual(report.findings, ['member of db_owner', 'has INSERT on the database']);
  });

  it('keeps the message readable for thousands of findings', () => {
    const rows = Array.from({ length: 500 }, (_, i) => ({ login_name: 'w', finding: `has INSERT on [s].[t${i}]` }));
    const report = privilegeReport(rows);
    assert.equal(report.findings.length, 21);
    assert.equal(report.findings[20], '… and 480 more');
  });

  it('assumes the worst when the check returned nothing', () => {
    assert.equal(privilegeReport([]).canWrite, true);
  });
});
