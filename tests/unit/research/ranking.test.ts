import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rankTables } from '../../../src/research/ranking.ts';
import { queryWords } from '../../../src/research/words.ts';
import { col, sampleCatalog, table } from './catalog-fixture.ts';

const all = () => true;
const names = (tables: Array<{ schema: string; name: string }>) => tables.map((t) => `${t.schema}.${t.name}`);

describe('rankTables', () => {
  it('puts a table named by the words first', () => {
    const ranked = rankTables(sampleCatalog(), queryWords('late deliveries'), all);
    assert.equal(names(ranked.map((m) => m.table))[0], 'dbo.Deliveries');
  });

  it('finds tables through column names and descriptions', () => {
    const ranked = rankTables(sampleCatalog(), queryWords('cancelled status'), all);
    assert.equal(names(ranked.map((m) => m.table))[0], 'sales.Orders');
    assert.deepEqual(ranked[0]?.columns, ['Status']);
  });

  it('lets "view" name every view, whatever it is called, and tells which words named the table itself', () => {
    const catalog = {
      database: 'Hr',
      loadedAt: 0,
      tables: [
        table('hr', 'Employees', [col('EmployeeID', 'int'), col('IsActive', 'bit', { description: 'Still employed.' })], {
          description: 'Active and former staff.',
        }),
        table('hr', 'StaffList', [col('EmployeeID', 'int')], { kind: 'view', primaryKey: [], description: 'Active employees.' }),
      ],
    };
    const ranked = rankTables(catalog, ['view', 'active', 'employees'], all);
    assert.equal(names(ranked.map((m) => m.table))[0], 'hr.StaffList');
    assert.deepEqual(ranked[0]?.tableWords, ['view']);
    assert.deepEqual(ranked[1]?.tableWords, ['employees']);
    assert.deepEqual(
      rankTables(catalog, ['view'], all).map((m) => m.table.name),
      ['StaffList'],
      'a base table is no view',
    );
  });

  it('uses table descriptions', () => {
    const ranked = rankTables(sampleCatalog(), queryWords('complaints'), all);
    assert.deepEqual(names(ranked.map((m) => m.table)), ['dbo.SupportTickets']);
  });

  it('leaves out tables the configuration hides', () => {
    const ranked = rankTables(sampleCatalog(), queryWords('customer orders'), (t) => t.name !== 'Orders');
    assert.ok(!names(ranked.map((m) => m.table)).includes('sales.Orders'));
    assert.ok(names(ranked.map((m) => m.table)).includes('sales.Customers'));
  });

  it('returns nothing when no name or description matches', () => assert.deepEqual(rankTables(sampleCatalog(), ['zebra'], all), []));

  const shop = {
    database: 'Shop',
    loadedAt: 0,
    tables: [
      table('sales', 'OrderLines', [col('OrderLineID', 'int'), col('OrderID', 'int'), col('Qty', 'int')]),
      table('sales', 'Orders', [col('OrderID', 'int'), col('Status', 'nvarchar(20)')]),
      table('dbo', 'ProductReviews', [col('ReviewID', 'int'), col('Rating', 'tinyint')]),
      { ...table('dbo', 'vw_ProductRatings', [col('ProductID', 'int'), col('AvgRating', 'decimal(4,2)')]), kind: 'view' as const },
      table('hr', 'Employees', [col('EmployeeID', 'int'), col('Salary', 'money')]),
      table('dbo', 'Products', [col('ProductID', 'int'), col('SKU', 'varchar(20)'), col('ItemDescription', 'nvarchar(200)')]),
    ],
  };
  const first = (query: string, words = queryWords(query)) => names(rankTables(shop, words, all).map((m) => m.table))[0];

  it('weighs the head noun of a name above its other words: "orders" is Orders before OrderLines', () => {
    assert.equal(first('orders'), 'sales.Orders');
    assert.equal(first('order lines'), 'sales.OrderLines');
  });

  it('spells out abbreviations of column names: "average rating" finds AvgRating, "quantity" finds Qty', () => {
    assert.equal(first('average rating', ['average', 'rating']), 'dbo.vw_ProductRatings');
    assert.equal(first('quantity'), 'sales.OrderLines');
  });

  it('matches acronyms the query spells out: "human resources" finds the hr schema, "stock keeping unit" the SKU column', () => {
    assert.equal(first('human resources'), 'hr.Employees');
    assert.equal(first('stock keeping unit'), 'dbo.Products');
    assert.deepEqual(
      rankTables(shop, queryWords('item description'), all).map((m) => m.columns),
      [['ItemDescription']],
      'never the ID columns',
    );
  });

  it('lets the user word matched once outrank a synonym matched in several places (matches saturate as in BM25)', () => {
    const billing = {
      database: 'Shop',
      loadedAt: 0,
      tables: [
        table('sales', 'Customers', [
          col('CustomerID', 'int'),
          col('City', 'nvarchar(100)', { description: 'City of the billing address.' }),
          col('Country', 'nvarchar(60)', { description: 'Country of the billing address.' }),
          col('Street', 'nvarchar(60)', { description: 'Street of the billing address.' }),
        ]),
        table('sales', 'Orders', [col('OrderID', 'int', { description: 'Order number printed on invoices.' })]),
      ],
    };
    const ranked = rankTables(billing, ['invoices', 'bill'], all, (w) => (w === 'invoices' ? 1 : 0.5));
    assert.equal(names(ranked.map((m) => m.table))[0], 'sales.Orders');
  });
});
