import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bestCoverage, canMatch, MAX_FILTER_VALUES, MIN_SCAN_COVERAGE, valueFilter } from '../../../../src/research/nl/column-values.ts';
import { searchTable } from '../../../../src/research/nl/pick-tables.ts';
import { rankedSearch } from '../../../../src/research/nl/retrieve-sql.ts';
import { loadThesaurus } from '../../../../src/research/nl/thesaurus.ts';
import { understand } from '../../../../src/research/nl/understand.ts';
import { col, table } from '../catalog-fixture.ts';

const thesaurus = loadThesaurus();
const orders = searchTable(
  table('sales', 'Orders', [col('OrderID', 'int'), col('Status', 'nvarchar(20)'), col('Notes', 'nvarchar(500)')], { rowCount: 20_000 }),
)!;
// The distinct values of the table's one searched column (Notes), as read from the database.
const notes = [['Leave with neighbour', 'Gift wrap please', 'Call before delivery', 'Fragile']];
const terms = (q: string) => understand(q, thesaurus).terms.filter((t) => t.source === 'query');

describe('column values: which tables can answer, and which of their rows', () => {
  it('a table whose few values no term matches cannot answer; one whose values a term matches whole-word can', () => {
    assert.deepEqual(orders.textColumns, ['Notes']);
    for (const [q, expected] of [
      ['gift wrapping', true],
      ['calls', true],
      ['fragile parcels', true],
      ['giftshop', false],
      ['wrapped', true],
      ['wrath', false],
      ['refund', false],
    ] as const) {
      assert.equal(canMatch(notes, terms(q)), expected, q);
    }
  });

  it('an unknown vocabulary (a column of many values, or a failed read) always can answer', () => {
    assert.equal(canMatch(undefined, terms('refund')), true);
  });

  it('a phrase counts when each of its words matches some value (a phrase may span columns)', () => {
    const phrase = {
      words: ['neighbour', 'gift'],
      patterns: ['%[^a-z0-9]neighbour%gift%'],
      weight: 1,
      source: 'synonym' as const,
      core: true,
    };
    assert.equal(canMatch(notes, [phrase]), true);
    assert.equal(canMatch([['Leave with neighbour']], [phrase]), false);
  });

  it('a phrase whose other words no value holds does not make a value holding one of its words a candidate', () => {
    const sendBack = {
      words: ['send', 'back'],
      patterns: ['%[^a-z0-9]send%[^a-z0-9]back%'],
      weight: 0.5,
      source: 'synonym' as const,
      core: true,
    };
    const drops = [['Back porch', 'Front door', 'Parcel locker']];
    assert.equal(valueFilter(orders, drops, [sendBack]), undefined);
    assert.equal(canMatch(drops, [sendBack]), false);
  });

  it('a table whose values can cover only a small share of the query (one synonym of one word) is not worth a scan', () => {
    const drops = [['Back porch', 'Front door', 'Parcel locker']];
    const u = understand('cost of shipping an order', thesaurus, (w) => w === 'order');
    const deliveries = searchTable(table('dbo', 'Deliveries', [col('DeliveryID', 'int'), col('Drop', 'nvarchar(200)')]), u.words)!;
    assert.ok(canMatch(drops, u.terms), '"parcel" (a synonym of shipping) is in the values');
    assert.ok(bestCoverage(deliveries, drops, u.terms) < MIN_SCAN_COVERAGE);
    const lockers = understand('parcels left in a locker', thesaurus);
    assert.ok(bestCoverage(deliveries, drops, lockers.terms) >= MIN_SCAN_COVERAGE);
    assert.equal(bestCoverage(deliveries, undefined, u.terms), 1, 'unknown values: always scanned');
  });

  it('a word naming the table counts towards what its rows can cover', () => {
    const u = understand('orders with gift notes', thesaurus, (w) => w === 'orders');
    const named = searchTable(orders.table, u.words)!;
    assert.ok(bestCoverage(named, notes, u.terms) > bestCoverage(orders, notes, u.terms));
  });

  it('the scan is limited to rows holding a matching value, each value a parameter', () => {
    const t = terms('gift for the neighbour');
    const only = valueFilter(orders, notes, t);
    assert.deepEqual(only, [{ column: 'Notes', values: ['Leave with neighbour', 'Gift wrap please'] }]);
    const q = rankedSearch(orders, t, 10, only);
    assert.match(q.sql, /WHERE t\.\[Notes\] IN \(@v0_0, @v0_1\)/);
    assert.ok(!q.sql.includes('Gift wrap'));
    assert.deepEqual(
      q.params.filter((p) => p.name.startsWith('v')).map((p) => p.value),
      ['Leave with neighbour', 'Gift wrap please'],
    );
  });

  it('no filter when the vocabulary is unknown, nothing matches, or too many values match to list', () => {
    assert.equal(valueFilter(orders, undefined, terms('gift')), undefined);
    assert.equal(valueFilter(orders, notes, terms('refund')), undefined);
    const many = [Array.from({ length: MAX_FILTER_VALUES + 1 }, (_, i) => `gift ${i}`)];
    assert.equal(valueFilter(orders, many, terms('gift')), undefined);
  });
});
