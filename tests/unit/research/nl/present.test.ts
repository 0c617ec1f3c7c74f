import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { searchTable } from '../../../../src/research/nl/pick-tables.ts';
import { rowNoun, rowText, rowTitle, snippetAround } from '../../../../src/research/nl/present.ts';
import { interleave, rankRows } from '../../../../src/research/nl/rank-merge.ts';
import type { Candidate } from '../../../../src/research/nl/retrieve.ts';
import { loadThesaurus } from '../../../../src/research/nl/thesaurus.ts';
import { understand } from '../../../../src/research/nl/understand.ts';
import { sampleCatalog } from '../catalog-fixture.ts';

const catalog = sampleCatalog();
const tickets = searchTable(catalog.tables.find((t) => t.name === 'SupportTickets')!)!;
const columns = [
  { name: 'TicketID', type: 'int', nullable: false },
  { name: 'Subject', type: 'nvarchar(200)', nullable: false },
  { name: 'Body', type: 'nvarchar(max)', nullable: false },
];
const body = `${'Hello, I hope you are well. '.repeat(12)}I was charged twice for order 6351 and want my money back. ${'Regards. '.repeat(20)}`;
const candidate = (id: number, raw: number, via: Candidate['via'] = 'text'): Candidate => ({
  table: tickets,
  columns,
  row: [id, `Subject ${id}`, body],
  raw,
  best: 10,
  via,
});

describe('presentation', () => {
  it('titles a row with its table noun, key and natural label', () => {
    assert.equal(rowNoun({ name: 'SupportTickets' }), 'Support ticket');
    assert.equal(rowNoun({ name: 'Categories' }), 'Category');
    assert.equal(rowTitle(tickets.table, columns, [214, 'I was billed twice', 'x']), 'Support ticket 214: I was billed twice');
  });

  it('cuts a snippet around the first matched word, not the start of the text', () => {
    const s = snippetAround(
      body,
      understand('charged twice', loadThesaurus()).terms.flatMap((t) => t.patterns),
    );
    assert.match(s, /charged twice for order 6351/);
    assert.ok(s.startsWith('…') && s.length <= 222);
  });

  it('writes a snippet, key facts and the match strength, never a lone short field', () => {
    const terms = understand('charged twice', loadThesaurus()).terms;
    const [ranked] = rankRows([candidate(1, 8)], terms);
    assert.ok(ranked);
    const text = rowText(ranked);
    assert.match(text, /charged twice/);
    assert.match(text, /match 0\.80: charged, twice/);
  });
});

describe('rank and merge', () => {
  const terms = understand('charged twice', loadThesaurus()).terms;
  it('puts exact lookups first, related rows next, then word matches by normalised score; a row found twice once', () => {
    const ranked = rankRows(
      [candidate(1, 2), candidate(2, 9), candidate(3, 1, 'related'), candidate(4, 1, 'lookup'), candidate(2, 3)],
      terms,
    );
    assert.deepEqual(
      ranked.map((r) => r.candidate.row[0]),
      [4, 3, 2, 1],
    );
    assert.ok(Math.abs((ranked[2]?.score ?? 0) - 0.9) < 1e-9);
  });

  const item = (id: string, score: number) => ({ item: { id, title: id, url: `https://x/${id}` }, score });
  const rows = Array.from({ length: 12 }, (_, i) => item(`row${i}`, 0.9 - i * 0.05));
  const tables = [item('table1', 0.6), item('table2', 0.2)];
  it('lists tables first when the query asks where data lives', () => {
    assert.deepEqual(
      interleave(rows, tables, 'tables', 5).map((r) => r.id),
      ['table1', 'table2', 'row0', 'row1', 'row2'],
    );
  });
  it('merges rows and tables by score when the query describes content', () => {
    const out = interleave(rows, tables, 'rows', 10).map((r) => r.id);
    assert.deepEqual(out.slice(0, 8), ['row0', 'row1', 'row2', 'row3', 'row4', 'row5', 'table1', 'row6']);
    assert.equal(out.at(-1), 'table2', 'the best tables are always offered, last when rows outscore them');
    assert.equal(out.length, 10);
    assert.deepEqual(
      interleave([], tables, 'rows', 10).map((r) => r.id),
      ['table1', 'table2'],
    );
  });
  it('keeps as many tables on the first page as asked, last there when rows outscore them, the rows they displace after', () => {
    const six = Array.from({ length: 6 }, (_, i) => item(`t${i}`, 0.1 - i * 0.01));
    assert.deepEqual(
      interleave(rows, six, 'rows', 12, 5, 10).map((r) => r.id),
      ['row0', 'row1', 'row2', 'row3', 'row4', 't0', 't1', 't2', 't3', 't4', 'row5', 'row6'],
    );
    assert.deepEqual(
      interleave(rows, six, 'rows', 12)
        .map((r) => r.id)
        .slice(9),
      ['row9', 't0', 't1'],
      'by default the page is the whole list: the two best tables close it',
    );
  });
});

describe('global scoring of ranked LIKE rows', () => {
  it('weighs a term by how rare it is across every table searched, so a small table does not win on a word common elsewhere', () => {
    const terms = understand('parcel smashed', loadThesaurus()).terms.filter((t) => t.source === 'query');
    const small = { ...tickets, table: { ...tickets.table, name: 'Tiny', rowCount: 10 } };
    const big = { ...tickets, table: { ...tickets.table, rowCount: 10_000 } };
    // parcel is everywhere in the big table; smashed is rare. The tiny table matches only parcel.
    const tiny: Candidate = { ...candidate(1, 1), table: small, raw: 1, best: 1, terms: { m: [1, 0], h: [0, 0], d: [10, 0] } };
    const rare: Candidate = { ...candidate(2, 1), table: big, raw: 1, best: 10, terms: { m: [0, 1], h: [0, 0], d: [5_000, 3] } };
    const ranked = rankRows([tiny, rare], terms);
    assert.deepEqual(
      ranked.map((r) => r.candidate.row[0]),
      [2, 1],
    );
    assert.ok((ranked[0]?.score ?? 0) <= 1);
  });

  it('lets framing words and words naming a table count, at a lower weight', () => {
    const u = understand('customers complaining about refunds', loadThesaurus(), (w) => w === 'customers');
    const weight = (w: string) => u.terms.find((t) => t.words[0] === w)?.weight;
    assert.equal(weight('refunds'), 1);
    assert.ok((weight('customers') ?? 1) < 1 && (weight('customers') ?? 0) > 0);
    assert.ok((weight('complaining') ?? 1) < 1 && (weight('complaining') ?? 0) > 0);
  });
});
