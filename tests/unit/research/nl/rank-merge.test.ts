import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { searchTable } from '../../../../src/research/nl/pick-tables.ts';
import { coverage, interleave, rankRows } from '../../../../src/research/nl/rank-merge.ts';
import { describedTables, offeredTables } from '../../../../src/research/nl/search.ts';
import type { Candidate } from '../../../../src/research/nl/retrieve.ts';
import { loadThesaurus } from '../../../../src/research/nl/thesaurus.ts';
import { understand, type Term } from '../../../../src/research/nl/understand.ts';
import { col, sampleCatalog, table } from '../catalog-fixture.ts';

const thesaurus = loadThesaurus();
const refundsTable = table('sales', 'Refunds', [col('RefundID', 'int'), col('Reason', 'nvarchar(200)')], { rowCount: 2_000 });
const ticketsTable = sampleCatalog().tables.find((t) => t.name === 'SupportTickets');
assert.ok(ticketsTable);

const term = (word: string, weight: number, extra: Partial<Term> = {}): Term => ({
  words: [word],
  patterns: [],
  weight,
  source: 'query',
  core: true,
  ...extra,
});

describe('coverage of the user words', () => {
  const late = term('late', 1);
  const parcel = term('parcel', 1);
  const delayed = term('delayed', 0.5, { source: 'synonym', of: 'late' });
  const overdue = term('overdue', 0.5, { source: 'synonym', of: 'late' });
  const slow = term('slow', 0.5, { source: 'synonym', of: 'late' });
  const terms = [late, parcel, delayed, overdue, slow];

  it('counts a word covered by one synonym at the synonym weight', () => {
    assert.equal(coverage([delayed, parcel], terms), 0.75);
  });
  it('adds synonyms of one word up, but never beyond the word itself', () => {
    assert.equal(coverage([delayed, overdue, slow], terms), 0.5);
    assert.equal(coverage([late, delayed, overdue, slow], terms), 0.5);
  });
  it('counts a word that names the row table as covered', () => {
    const refunds = term('refunds', 0.6, { core: false });
    const faulty = term('faulty', 1);
    assert.equal(
      coverage([faulty], [refunds, faulty], (t) => t === refunds),
      1,
    );
    assert.equal(coverage([faulty], [refunds, faulty]), 1 / 1.6);
  });
});

describe('ranking rows of different tables on one scale', () => {
  const u = understand('refunds for faulty items under warranty', thesaurus, (w) => w === 'refunds');
  const refunds = searchTable(refundsTable, u.words);
  const tickets = searchTable(ticketsTable, u.words);
  assert.ok(refunds && tickets);
  const n = u.terms.length;
  const flags = (words: string[]): number[] => u.terms.map((t) => (t.source === 'query' && words.includes(t.words[0] ?? '') ? 1 : 0));
  const refund: Candidate = {
    table: refunds,
    columns: [
      { name: 'RefundID', type: 'int', nullable: false },
      { name: 'Reason', type: 'nvarchar', nullable: false },
    ],
    row: [7, 'Faulty item under warranty'],
    raw: 1,
    best: 1,
    via: 'text',
    // Faulty, items and warranty match (also in the title-like Reason column); "refunds" is not in the text.
    terms: { m: flags(['faulty', 'items', 'warranty']), h: flags(['faulty', 'items', 'warranty']), d: Array(n).fill(40) },
  };
  const ticket: Candidate = {
    table: tickets,
    columns: [
      { name: 'TicketID', type: 'int', nullable: false },
      { name: 'Subject', type: 'nvarchar', nullable: false },
      { name: 'Body', type: 'nvarchar', nullable: false },
    ],
    row: [3, 'Warranty claim', 'My kettle is still under warranty.'],
    raw: 90,
    best: 90,
    via: 'fulltext',
  };

  it('puts the row of the table a word names ("refunds") before a full-text row matching fewer of the words', () => {
    const ranked = rankRows([ticket, refund], u.terms);
    assert.deepEqual(
      ranked.map((r) => r.candidate.table.table.name),
      ['Refunds', 'SupportTickets'],
    );
    assert.ok((ranked[0]?.score ?? 0) <= 1);
  });

  it('does not let a word no searched row holds weigh as the rarest word (its rarity is unknown)', () => {
    const v = understand('parcel locker left', thesaurus);
    const lockers = searchTable(table('dbo', 'Deliveries', [col('DeliveryID', 'int'), col('Drop', 'nvarchar(200)')], { rowCount: 10_000 }));
    assert.ok(lockers);
    const k = v.terms.length;
    const at = (words: string[]) => v.terms.map((t) => (words.includes(t.words[0] ?? '') && t.source === 'query' ? 1 : 0));
    const row: Candidate = {
      table: lockers,
      columns: [
        { name: 'DeliveryID', type: 'int', nullable: false },
        { name: 'Drop', type: 'nvarchar', nullable: false },
      ],
      row: [1, 'Parcel locker'],
      raw: 1,
      best: 1,
      via: 'text',
      // "left" is in no LIKE-searched row: df 0 must not make it the heaviest word of the query.
      terms: { m: at(['parcel', 'locker']), h: Array(k).fill(0), d: v.terms.map((t) => (t.words[0] === 'left' ? 0 : 500)) },
    };
    const [ranked] = rankRows([row], v.terms);
    assert.ok(ranked && Math.abs(ranked.score - 2 / 3) < 1e-9, `score ${ranked?.score}`);
  });
});

describe('ranking exact lookups', () => {
  it('puts first the entity the rest of the query describes: the employee titled head of finance, not a namesake customer', () => {
    const u = understand('Léa Wagner, head of finance', thesaurus);
    const catalog = sampleCatalog();
    const employees = searchTable(
      table('hr', 'Employees', [col('EmployeeID', 'int'), col('FirstName', 'nvarchar(50)'), col('JobTitle', 'nvarchar(100)')]),
    );
    const customers = searchTable(catalog.tables.find((t) => t.name === 'Customers') ?? refundsTable);
    assert.ok(employees && customers);
    const customer: Candidate = {
      table: customers,
      columns: customers.table.columns.map((c) => ({ name: c.name, type: c.type, nullable: false })),
      row: [1575, 'Léa Wagner', 'France'],
      raw: 1,
      best: 1,
      via: 'lookup',
    };
    const employee: Candidate = {
      table: employees,
      columns: employees.table.columns.map((c) => ({ name: c.name, type: c.type, nullable: false })),
      row: [77, 'Léa', 'Head of Finance'],
      raw: 1,
      best: 1,
      via: 'lookup',
    };
    const ranked = rankRows([customer, employee], u.terms);
    assert.deepEqual(
      ranked.map((r) => r.candidate.row[0]),
      [77, 1575],
    );
    assert.ok((ranked[1]?.score ?? 0) >= 3 && (ranked[0]?.score ?? 0) < 4, 'both stay in the entity tier');
  });
});

describe('a query that describes tables without where-is wording', () => {
  const item = (id: string, score: number, describes = false) => ({ item: { id, title: id, url: `https://x/${id}` }, score, describes });
  const rows = Array.from({ length: 10 }, (_, i) => item(`row${i}`, 0.9 - i * 0.05));
  const tables = [item('table:Products', 1.05, true), item('table:OrderLines', 0.45), item('table:Tickets', 0.2)];

  it('puts the tables covering a good part of it before the rows when one table holds every word', () => {
    const u = understand('product catalogue with prices and categories', thesaurus);
    const out = interleave(rows, describedTables(u, tables), u.intent, 10).map((r) => r.id);
    assert.deepEqual(out.slice(0, 3), ['table:Products', 'table:OrderLines', 'row0']);
  });

  it('leaves the order alone when no table holds every word itself (a paraphrase reaching table words through synonyms)', () => {
    const u = understand('pieces lacking from the kit', thesaurus);
    const synonymsOnly = tables.map((t) => ({ ...t, describes: false }));
    assert.deepEqual(describedTables(u, synonymsOnly), synonymsOnly);
    const withId = understand('product catalogue entry 42', thesaurus);
    assert.deepEqual(describedTables(withId, tables), tables, 'an identifier asks for a row');
  });

  it('offers the tables covering it and the tables around the best of them within the first 10 results', () => {
    const catalog = sampleCatalog();
    const ctx = { principal: 'test', publicBase: 'http://127.0.0.1' };
    const scored = [item('table:sales.Customers', 1.05, true), item('table:dbo.SupportTickets', 0.3)];
    const u = understand('people and companies that buy from us', thesaurus);
    const offered = offeredTables(catalog, u, scored, () => true, ctx, 25);
    assert.deepEqual(
      offered.tables.map((t) => t.item.id),
      ['table:sales.Customers', 'table:sales.Orders', 'table:dbo.SupportTickets'],
      'Orders references Customers',
    );
    assert.deepEqual([offered.shown, offered.page], [2, 10]);
    const many = Array.from({ length: 25 }, (_, i) => item(`row${i}`, 0.9 - i * 0.01));
    const out = interleave(many, offered.tables, u.intent, 25, offered.shown, offered.page).map((r) => r.id);
    assert.deepEqual(out.slice(8, 11), ['row7', 'table:sales.Orders', 'row8']);
    const content = offeredTables(catalog, understand('pieces lacking from the kit', thesaurus), scored.slice(1), () => true, ctx, 25);
    assert.deepEqual([content.shown, content.page], [2, 25], 'other queries: the two best tables, anywhere in the list');
  });

  it('shows around the covering table the tables the query names first, in that order, and every other table after the rows', () => {
    const catalog = sampleCatalog();
    const ctx = { principal: 'test', publicBase: 'http://127.0.0.1' };
    const named = (id: string, score: number) => ({ ...item(id, score), named: true });
    const scored = [
      item('table:sales.Orders', 1.05, true),
      item('table:dbo.SupportTickets', 0.36),
      named('table:sales.Customers', 0.29),
      item('table:dbo.Products', 0.3),
      item('table:dbo.Deliveries', 0.2),
      item('table:hr.Employees', 0.25),
    ];
    const u = understand('customers and the orders they placed', thesaurus);
    const offered = offeredTables(catalog, u, scored, () => true, ctx, 25);
    const ids = offered.tables.map((t) => t.item.id);
    assert.equal(ids[0], 'table:sales.Orders');
    assert.equal(ids[1], 'table:sales.Customers', 'named by the query, before the tables referencing Orders');
    const around = offered.tables.slice(1, offered.shown).map((t) => t.score);
    assert.deepEqual(
      around,
      [...around].sort((a, b) => b - a),
      'scores keep the order through the merge',
    );
    const after = offered.tables.slice(offered.shown);
    assert.ok(after.length > 0 && after.every((t) => t.score < 0), 'the other tables follow every row');
    const out = interleave(rows, offered.tables, u.intent, 25, offered.shown, offered.page).map((r) => r.id);
    assert.equal(out[0], 'table:sales.Orders');
    const shownAt = offered.tables.slice(1, offered.shown).map((t) => out.indexOf(t.item.id));
    assert.ok(
      shownAt.every((at) => at >= 0 && at < 10),
      out.join(' '),
    );
    assert.deepEqual(
      shownAt,
      [...shownAt].sort((a, b) => a - b),
      'in the order offered',
    );
    assert.ok(out.indexOf('row9') < out.indexOf(after[0]?.item.id ?? ''), out.join(' '));
  });
});
