import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { searchTable } from '../../../../src/research/nl/pick-tables.ts';
import { fullTextSearch } from '../../../../src/research/nl/retrieve-sql.ts';
import { wordPatterns, matchesPatterns } from '../../../../src/research/nl/terms.ts';
import { expand, loadThesaurus, type Thesaurus } from '../../../../src/research/nl/thesaurus.ts';
import { understand } from '../../../../src/research/nl/understand.ts';
import { sampleCatalog } from '../catalog-fixture.ts';

const groups = (g: string[][]): Thesaurus => ({ groups: g.map((p) => p.map((x) => x.split(' '))) });
const phrases = (e: Array<{ words: string[] }>) => e.map((x) => x.words.join(' '));

describe('thesaurus expansion', () => {
  it('takes synonyms round-robin, one per group in turn, so one long group cannot use up the budget', () => {
    const t = groups([
      ['late', 'delayed', 'overdue', 'slow'],
      ['rude', 'impolite', 'unfriendly'],
    ]);
    assert.deepEqual(phrases(expand(t, ['late', 'rude'], 3, 3)), ['delayed', 'impolite', 'overdue']);
  });

  it('expands the preferred words (about the subject) before the others', () => {
    const t = groups([
      ['customer', 'client'],
      ['rude', 'impolite'],
    ]);
    assert.deepEqual(phrases(expand(t, ['customer', 'rude'], 1, 3, (i) => i === 1)), ['impolite']);
  });

  it('finds a phrase by its content words, but not a phrase that is one content word among stop words', () => {
    const t = groups([
      ['never arrived', 'lost parcel'],
      ['not received', 'missing parcel'],
    ]);
    assert.deepEqual(phrases(expand(t, ['never', 'arrived'])), ['lost parcel']);
    assert.deepEqual(expand(t, ['received']), []);
  });

  it('never offers a synonym the query already holds', () => {
    const t = groups([['refund', 'reimbursement', 'money back']]);
    assert.deepEqual(phrases(expand(t, ['refund', 'reimbursement'])), ['money back']);
  });

  it('does not expand the words of a name ("Solid Oak Desk" is a product, not "sturdy")', () => {
    const u = understand('reviews of "Solid Oak Desk"', loadThesaurus());
    assert.ok(!u.terms.some((t) => t.source === 'synonym' && t.of === 'solid'), JSON.stringify(u.terms.map((t) => t.words)));
    assert.ok(understand('solid desk', loadThesaurus()).terms.some((t) => t.source === 'synonym' && t.of === 'solid'));
  });

  it('the built-in vocabulary links everyday paraphrases to support wording', () => {
    const th = loadThesaurus();
    for (const [query, synonym] of [
      ['want my cash back', 'refund'],
      ['staff were impolite', 'rude'],
      ['gadget quit working', 'stopped working'],
      ['charged two times', 'charged twice'],
      ['parcel vanished', 'never arrived'],
    ] as const) {
      assert.ok(
        understand(query, th).terms.some((t) => t.words.join(' ') === synonym),
        query,
      );
    }
  });

  it('general families link paraphrases with no shared word: the expanded query matches the wording it never used', () => {
    const th = loadThesaurus();
    for (const [query, text] of [
      ['hazardous for toddlers', 'A small part broke off on the first day, not safe for young children.'],
      ['feline totally uninterested', 'Our cat ignored it completely and it wobbles badly.'],
      ['software freezing at checkout', 'The app crashes every time I press "Pay now".'],
      ['garments too tight', 'The size is wrong, the clothing does not fit.'],
      ['awaiting reimbursement', 'Still waiting for my refund'],
    ] as const) {
      const u = understand(query, th);
      const synonyms = u.terms.filter((t) => t.source === 'synonym' && matchesPatterns(text, t.patterns));
      assert.ok(
        u.terms.filter((t) => t.source === 'query').every((t) => !matchesPatterns(text, t.patterns)),
        `${query} shares a word with the text`,
      );
      assert.ok(synonyms.length >= 1, `${query}: ${JSON.stringify(u.terms.map((t) => t.words.join(' ')))}`);
    }
  });

  it('keeps the synonyms of a word weighing less than the word', () => {
    const u = understand('hazardous toys', loadThesaurus());
    const own = u.terms.find((t) => t.words[0] === 'hazardous')?.weight ?? 0;
    for (const t of u.terms.filter((x) => x.source === 'synonym')) assert.ok(t.weight < own, t.words.join(' '));
  });
});

describe('short words match their stem', () => {
  it('"calls" finds "call", and "call" finds "calls", never inside another word', () => {
    assert.ok(matchesPatterns('please call me', wordPatterns('calls')));
    for (const text of ['two calls', 'a call']) assert.ok(matchesPatterns(text, wordPatterns('call')), text);
    assert.ok(!matchesPatterns('recall', wordPatterns('call')));
  });
});

describe('full-text condition', () => {
  it('leaves out a synonym phrase that would lose all but one word to the noise list ("not received")', () => {
    const tickets = searchTable(sampleCatalog().tables.find((t) => t.name === 'SupportTickets')!)!;
    const q = fullTextSearch(
      tickets,
      [
        { words: ['parcel'], patterns: [], weight: 1, source: 'query', core: true },
        { words: ['not', 'received'], patterns: [], weight: 0.5, source: 'synonym', core: true },
        { words: ['lost', 'parcel'], patterns: [], weight: 0.5, source: 'synonym', core: true },
      ],
      5,
    );
    const condition = String(q?.params.find((p) => p.name === 'q')?.value);
    assert.ok(condition.includes('"lost parcel"') && !condition.includes('received'), condition);
  });
});
