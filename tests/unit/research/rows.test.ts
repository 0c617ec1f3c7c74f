import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CatalogColumn } from '../../../src/db/types.ts';
import { keyParam } from '../../../src/research/fetch-forms.ts';
import { keyPositions, rowItems } from '../../../src/research/sql-forms.ts';
import { sampleCatalog } from './catalog-fixture.ts';

const column = (type: string): CatalogColumn => ({ name: 'k', type, nullable: false, isText: /char/.test(type) });
const ctx = { principal: 'p', publicBase: 'https://x.test' };
const orders = sampleCatalog().tables.find((t) => t.name === 'Orders');

describe('keyParam', () => {
  const cases: Array<[string, string | number, unknown]> = [
    ['int', 42, { name: 'p0', type: 'int', value: 42 }],
    ['int', '42', { name: 'p0', type: 'int', value: 42 }],
    ['bigint', '9223372036854775807', { name: 'p0', type: 'bigint', value: '9223372036854775807' }],
    ['nvarchar(20)', 'AB-1', { name: 'p0', type: 'nvarchar', value: 'AB-1' }],
    [
      'uniqueidentifier',
      '6F9619FF-8B86-D011-B42D-00C04FC964FF',
      { name: 'p0', type: 'uniqueidentifier', value: '6F9619FF-8B86-D011-B42D-00C04FC964FF' },
    ],
    ['date', '2024-02-29', { name: 'p0', type: 'date', value: new Date('2024-02-29T00:00:00Z') }],
    ['decimal(10,2)', '12.50', { name: 'p0', type: 'decimal', value: '12.50' }],
    ['int', 'DROP TABLE x', undefined],
    ['int', '1; DROP TABLE x', undefined],
    ['datetime2', 'not a date', undefined],
  ];
  for (const [type, value, expected] of cases) {
    it(`types ${JSON.stringify(value)} for a ${type} key`, () => assert.deepEqual(keyParam('p0', column(type), value), expected));
  }
});

describe('row items', () => {
  const columns = [
    { name: 'OrderID', type: 'int', nullable: false },
    { name: 'Status', type: 'nvarchar(20)', nullable: false },
  ];

  it('finds the key among the result columns, case-insensitively, only when it appears once', () => {
    assert.deepEqual(keyPositions(orders, { columns }), [0]);
    assert.deepEqual(keyPositions(orders, { columns: [{ name: 'orderid', type: 'int', nullable: false }] }), [0]);
    assert.equal(keyPositions(orders, { columns: [...columns, { name: 'OrderID', type: 'int', nullable: false }] }), undefined);
    assert.equal(keyPositions(orders, { columns: columns.slice(1) }), undefined);
  });

  it('gives row ids titled with key and label, and cites a row reached twice once', () => {
    const items = rowItems(
      {
        columns,
        rows: [
          [7, 'Shipped'],
          [7, 'Shipped'],
          [8, 'Pending'],
        ],
      },
      orders,
      'u',
      ctx,
    );
    assert.deepEqual(
      items.map((i) => [i.id, i.title]),
      [
        ['row:sales.Orders:7', 'sales.Orders 7 — Shipped'],
        ['row:sales.Orders:8', 'sales.Orders 8 — Pending'],
      ],
    );
    assert.equal(items[0]?.url, 'https://x.test/records/row%3Asales.Orders%3A7');
  });

  it('falls back to cache row ids without a table or with a NULL key', () => {
    const uuid = '123e4567-e89b-42d3-a456-426614174000';
    assert.deepEqual(
      rowItems({ columns, rows: [[null, 'x']] }, orders, uuid, ctx).map((i) => i.id),
      [`resultrow:${uuid}:1`],
    );
    assert.deepEqual(
      rowItems(
        {
          columns,
          rows: [
            [1, 'x'],
            [2, 'y'],
          ],
        },
        undefined,
        uuid,
        ctx,
      ).map((i) => i.id),
      [`resultrow:${uuid}:1`, `resultrow:${uuid}:2`],
    );
  });
});
