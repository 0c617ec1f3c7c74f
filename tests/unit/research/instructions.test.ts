import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitSearch } from '../../../src/research/catalog-forms.ts';
import { buildInstructions } from '../../../src/research/instructions.ts';
import { jsonBytes } from '../../../src/research/outcome.ts';
import { sampleCatalog } from './catalog-fixture.ts';

describe('buildInstructions', () => {
  const catalog = sampleCatalog();
  const text = buildInstructions(
    catalog,
    catalog.tables.filter((t) => t.schema !== 'hr'),
    50,
  );

  it('names the database and the visible schemas only', () => {
    assert.match(text, /"RetailDB" \(schemas: dbo, sales\)/);
    assert.doesNotMatch(text, /hr\.Employees/);
  });

  it('lists the largest tables first with row counts, leanly (no descriptions: list tables has them)', () => {
    const orders = text.indexOf('sales.Orders (20 000 rows)');
    const customers = text.indexOf('sales.Customers (500 rows)');
    assert.ok(orders >= 0 && customers > orders);
    assert.doesNotMatch(text, /People and companies/);
    assert.ok(Buffer.byteLength(text) < 700, `${Buffer.byteLength(text)} bytes`);
  });

  it('explains every search form with examples from this database and the row limit', () => {
    for (const form of [
      '`list tables`',
      '`describe sales.Orders`',
      '`sample sales.Orders limit 5`',
      'SELECT TOP (10) OrderID FROM sales.Orders',
      'natural-language',
      'at most 50 rows',
      '`fetch`',
      'cite its url',
    ]) {
      assert.ok(text.includes(form), form);
    }
  });
});

describe('fitSearch', () => {
  const results = Array.from({ length: 50 }, (_, i) => ({
    id: `table:dbo.T${i}`,
    title: `dbo.T${i} — ${'x'.repeat(50)}`,
    url: `https://x.test/records/table%3Adbo.T${i}`,
  }));

  it('keeps output that fits untouched', () => {
    assert.deepEqual(fitSearch({ results }, 1_000_000), { output: { results }, cut: false });
  });

  it('drops trailing results until the output fits, and marks it truncated', () => {
    const { output, cut } = fitSearch({ results }, 2_000);
    assert.equal(cut, true);
    assert.equal(output.truncated, true);
    assert.ok(jsonBytes(output) <= 2_000);
    assert.ok(output.results.length > 0 && output.results.length < 50);
    assert.deepEqual(output.results[0], results[0]);
  });
});
