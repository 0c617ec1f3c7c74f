import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { quoteName, resolveTable, selectColumn, splitTableReference } from '../../../src/research/identifiers.ts';
import { sampleCatalog } from './catalog-fixture.ts';

describe('quoteName', () => {
  it('brackets names and doubles closing brackets', () => {
    assert.equal(quoteName('Orders'), '[Orders]');
    assert.equal(quoteName('a]; DROP TABLE x--'), '[a]]; DROP TABLE x--]');
  });
});

describe('selectColumn', () => {
  const cases: Array<[string, string, string]> = [
    ['Body', 'xml', 'CAST([Body] AS nvarchar(max)) AS [Body]'],
    ['Raw ]Doc', 'xml', 'CAST([Raw ]]Doc] AS nvarchar(max)) AS [Raw ]]Doc]'],
    ['Notes', 'nvarchar(max)', '[Notes]'],
    ['Payload', 'varbinary(max)', '[Payload]'],
    ['OrderID', 'int', '[OrderID]'],
  ];
  for (const [name, type, expected] of cases)
    it(`selects a ${type} column ${JSON.stringify(name)} as ${expected} (xml as nvarchar(max), which TEXTSIZE cuts)`, () =>
      assert.equal(selectColumn({ name, type }), expected));
});

describe('splitTableReference', () => {
  const cases: Array<[string, string[] | undefined]> = [
    ['Orders', ['Orders']],
    ['sales.Orders', ['sales', 'Orders']],
    ['[sales].[Order Lines]', ['sales', 'Order Lines']],
    ['"sales"."Orders"', ['sales', 'Orders']],
    ['RetailDB.sales.Orders', ['sales', 'Orders']],
    ['[a]]b].c', ['a]b', 'c']],
    ['sales.', undefined],
    ['[unclosed', undefined],
    ['a.b.c.d', undefined],
    ['', undefined],
  ];
  for (const [text, parts] of cases) it(`splits ${JSON.stringify(text)}`, () => assert.deepEqual(splitTableReference(text), parts));
});

describe('resolveTable', () => {
  const catalog = sampleCatalog();
  const cases: Array<[string, string | undefined]> = [
    ['sales.Orders', 'sales.Orders'],
    ['[sales].[Orders]', 'sales.Orders'],
    ['SALES.ORDERS', 'sales.Orders'],
    ['orders', 'sales.Orders'],
    ['hr.Orders', undefined],
    ['Nope', undefined],
  ];
  for (const [reference, expected] of cases) {
    it(`resolves ${reference} to ${expected ?? 'nothing'}`, () => {
      const r = resolveTable(catalog, reference);
      assert.equal(r.ok ? `${r.table.schema}.${r.table.name}` : undefined, expected);
    });
  }

  it('reports a bare name present in several schemas (none of them dbo) as ambiguous', () => {
    const twice = sampleCatalog();
    const orders = twice.tables.find((t) => t.name === 'Orders');
    if (orders) twice.tables.push({ ...orders, schema: 'archive' });
    const r = resolveTable(twice, 'Orders');
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.reason, 'ambiguous');
  });
});
