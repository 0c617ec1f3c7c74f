import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCount, resultTable, rowDocument, tableDocument, tableTitle } from '../../../src/research/documents.ts';
import { fitText, largestFitting } from '../../../src/research/fit.ts';
import { jsonBytes } from '../../../src/research/outcome.ts';
import { sampleSql } from '../../../src/research/sql-forms.ts';
import { sampleCatalog } from './catalog-fixture.ts';

const catalog = sampleCatalog();
const byName = (name: string) => {
  const t = catalog.tables.find((x) => x.name === name);
  assert.ok(t);
  return t;
};

describe('documents', () => {
  it('groups thousands with spaces', () => assert.equal(formatCount(1234567), '1 234 567'));

  it('titles a table with name, row count and description', () => {
    assert.equal(tableTitle(byName('Customers')), 'sales.Customers — 500 rows — People and companies that buy from us.');
    assert.equal(tableTitle(byName('OpenOrders')), 'sales.OpenOrders — view');
  });

  it('documents columns, keys, relationships both ways and indexes', () => {
    const orders = tableDocument(byName('Orders'), catalog);
    assert.match(orders, /^sales\.Orders \(table, 20 000 rows\)/);
    assert.match(orders, /- OrderID int NOT NULL \(primary key\)/);
    assert.match(orders, /- CustomerID int NOT NULL \(references sales\.Customers\(CustomerID\)\)/);
    assert.match(orders, /Status nvarchar\(20\) NOT NULL — Pending, Shipped/);
    assert.match(orders, /FK_Orders_Customers: \(CustomerID\) → sales\.Customers \(CustomerID\)/);
    assert.match(orders, /- PK_Orders \(primary key, unique\): OrderID/);
    assert.match(tableDocument(byName('Customers'), catalog), /Referenced by:\n- sales\.Orders \(CustomerID\) via FK_Orders_Customers/);
  });

  it('renders rows as lines and results as an escaped Markdown table', () => {
    const columns = [{ name: 'Id' }, { name: 'Note' }];
    assert.equal(rowDocument(columns, [1, null]), 'Id: 1\nNote: NULL');
    assert.equal(resultTable(columns, [[1, 'a|b\nc']]), '| Id | Note |\n| --- | --- |\n| 1 | a\\|b c |');
  });
});

describe('fit', () => {
  it('finds the largest fitting count', () => {
    assert.equal(
      largestFitting(100, (n) => n <= 37),
      37,
    );
    assert.equal(
      largestFitting(100, () => false),
      -1,
    );
    for (const [max, limit] of [
      [0, 5],
      [1, 0],
      [7, 6],
      [50, 49],
      [50, 0],
    ] as const) {
      assert.equal(
        largestFitting(max, (n) => n <= limit),
        Math.min(max, limit),
        `max ${max}, limit ${limit}`,
      );
    }
  });

  it('builds the whole only once when the whole fits (a cached fetch usually does)', () => {
    const tried: number[] = [];
    assert.equal(
      largestFitting(50, (n) => {
        tried.push(n);
        return true;
      }),
      50,
    );
    assert.deepEqual(tried, [50]);
  });

  it('cuts text to the byte budget and says so', () => {
    const out = fitText('é'.repeat(1000), 300, (text) => ({ text }), ' [cut]');
    assert.ok(out && jsonBytes(out) <= 300);
    assert.ok(out?.text.endsWith(' [cut]'));
    assert.equal(
      fitText('x', 5, (text) => ({ text }), ''),
      undefined,
    );
  });
});

describe('generated SQL', () => {
  it('samples with catalog names only, bracket-quoted, ordered by the key', () => {
    assert.equal(
      sampleSql(byName('Deliveries'), 5),
      'SELECT TOP (5) [DeliveryID], [Insert Date] FROM [dbo].[Deliveries] ORDER BY [DeliveryID]',
    );
  });
});
