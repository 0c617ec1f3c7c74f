import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rankTables } from '../../../src/research/ranking.ts';
import { queryWords } from '../../../src/research/words.ts';
import { sampleCatalog } from './catalog-fixture.ts';

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
});
