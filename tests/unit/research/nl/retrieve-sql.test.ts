import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pickTables, searchTable } from '../../../../src/research/nl/pick-tables.ts';
import { relatedJobs } from '../../../../src/research/nl/related.ts';
import { fullTextSearch, lookup, rankedSearch } from '../../../../src/research/nl/retrieve-sql.ts';
import type { Candidate } from '../../../../src/research/nl/retrieve.ts';
import { loadThesaurus } from '../../../../src/research/nl/thesaurus.ts';
import { understand } from '../../../../src/research/nl/understand.ts';
import { sampleCatalog } from '../catalog-fixture.ts';

const catalog = sampleCatalog();
const tickets = searchTable(catalog.tables.find((t) => t.name === 'SupportTickets')!)!;
const hostile = `refund'; DROP TABLE x; -- ]] "6351" anna@example.com KIT-0042 Jane Doe`;
const u = understand(hostile, loadThesaurus());

describe('retrieval SQL', () => {
  it('never puts query text into the SQL: every word travels as a parameter', () => {
    const built = [rankedSearch(tickets, u.terms, 7), fullTextSearch(tickets, u.terms, 7), lookup(tickets, u.identifiers, 5)];
    for (const q of built) {
      assert.ok(q);
      for (const fragment of ['refund', 'DROP', 'anna', 'KIT', '0042', 'Jane', '6351'])
        assert.ok(!q.sql.includes(fragment), `${fragment} in ${q.sql}`);
      assert.ok(q.params.length > 1);
    }
  });

  it('ranks in the database: TOP (@top) … ORDER BY the score, descending', () => {
    const q = rankedSearch(tickets, u.terms, 7);
    assert.match(q.sql, /SELECT TOP \(@top\) .* ORDER BY \[__score\] DESC, \[TicketID\]$/);
    assert.match(q.sql, /LOG10\(/, 'rarer words weigh more');
    assert.deepEqual(
      q.params.find((p) => p.name === 'top'),
      { name: 'top', type: 'int', value: 7 },
    );
  });

  it('weighs title columns and synonyms: a synonym term carries half the weight of a user word', () => {
    const q = rankedSearch(tickets, understand('double billing', loadThesaurus()).terms, 5);
    assert.match(q.sql, /\[__h0\]/);
    assert.match(q.sql, /^.*0\.5 \* LOG10/);
  });

  it('uses CONTAINSTABLE and its RANK for the full-text path, synonyms weighted below the user words', () => {
    const q = fullTextSearch(tickets, understand('double billing', loadThesaurus()).terms, 5);
    assert.match(
      q?.sql ?? '',
      /FROM CONTAINSTABLE\(\[dbo\]\.\[SupportTickets\], \*, @q\) AS ft JOIN \[dbo\]\.\[SupportTickets\] AS t ON t\.\[TicketID\] = ft\.\[KEY\] ORDER BY ft\.\[RANK\] DESC/,
    );
    const condition = String(q?.params.find((p) => p.name === 'q')?.value);
    assert.match(
      condition,
      /^ISABOUT\(FORMSOF\(INFLECTIONAL, "double"\) WEIGHT\(1\.00\), FORMSOF\(INFLECTIONAL, "billing"\) WEIGHT\(1\.00\), "charged twice" WEIGHT\(0\.50\)/,
    );
  });

  it('quotes every full-text term, so query words never become full-text operators', () => {
    const condition = String(
      fullTextSearch(tickets, understand('near and or not "formsof" isabout', loadThesaurus()).terms, 5)?.params[1]?.value,
    );
    assert.doesNotMatch(condition.replace(/"[^"]*"/g, ''), /\b(?:near|and|or|not)\b/i);
  });

  it('looks numbers up in the integer key only', () => {
    const q = lookup(tickets, understand('ticket 42', loadThesaurus()).identifiers, 5);
    assert.match(q?.sql ?? '', /WHERE t\.\[TicketID\] = @i0/);
    assert.deepEqual(q?.params[1], { name: 'i0', type: 'int', value: 42 });
    assert.equal(lookup(tickets, understand('ticket 99999999999', loadThesaurus()).identifiers, 5), undefined);
  });
});

describe('pickTables', () => {
  it('picks every base table with text or an integer key, honouring the table policy, named tables first', () => {
    const all = pickTables(catalog, ['tickets'], () => true).map((s) => s.table.name);
    assert.equal(all[0], 'SupportTickets');
    assert.ok(all.includes('Deliveries'), 'a table with only a key can still hold an entity');
    const allowed = pickTables(catalog, ['tickets'], (t) => t.schema !== 'dbo').map((s) => s.table.name);
    assert.ok(allowed.every((n) => n !== 'SupportTickets' && n !== 'Deliveries'));
    assert.ok(
      pickTables({ ...catalog, tables: catalog.tables.map((t) => ({ ...t, kind: 'view' as const })) }, [], () => true).length === 0,
      'views repeat their tables',
    );
  });
});

describe('relatedJobs', () => {
  it('follows a foreign key only into tables it was given (denied tables never appear)', () => {
    const customers = searchTable(catalog.tables.find((t) => t.name === 'Customers')!, ['orders'])!;
    const orders = searchTable(catalog.tables.find((t) => t.name === 'Orders')!, ['orders'])!;
    const entity: Candidate = {
      table: customers,
      columns: [{ name: 'CustomerID', type: 'int', nullable: false }],
      row: [17],
      raw: 1,
      best: 1,
      via: 'lookup',
    };
    const jobs = relatedJobs([entity], [customers, orders], 5);
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0]?.table, orders);
    assert.match(jobs[0]?.query.sql ?? '', /WHERE t\.\[CustomerID\] = @k0/);
    assert.equal(relatedJobs([entity], [customers], 5).length, 0);
  });
});
