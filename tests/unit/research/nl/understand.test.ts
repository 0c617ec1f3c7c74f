import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadThesaurus, ThesaurusError } from '../../../../src/research/nl/thesaurus.ts';
import { findIdentifiers, MAX_QUERY_WORDS, readIntent, SYNONYM_WEIGHT, understand } from '../../../../src/research/nl/understand.ts';
import { matchesPatterns } from '../../../../src/research/nl/terms.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const thesaurus = loadThesaurus();

describe('intent', () => {
  const cases: Array<[string, 'rows' | 'tables']> = [
    ['which table records refunds', 'tables'],
    ['where are customer addresses stored', 'tables'],
    ['what columns hold the order total', 'tables'],
    ['tables about payments', 'tables'],
    ['where can i find supplier contacts', 'tables'],
    ['what stores the stock level of a product', 'tables'],
    ['is there a table of job runs', 'tables'],
    ['where is the history of price changes', 'tables'],
    ['where are supplier ratings', 'tables'],
    ['where is order 6351', 'rows'],
    ['what data do we have on suppliers', 'tables'],
    ['is there any information about refunds', 'tables'],
    ['data about product returns', 'tables'],
    ['how are refunds recorded', 'tables'],
    ['what information did customer 42 give', 'rows'],
    ['customers who could not find the tracking page', 'rows'],
    ['what a disappointing purchase', 'rows'],
    ['customers angry about being charged twice', 'rows'],
    ['late deliveries', 'rows'],
    ['orders of customer Jane Doe', 'rows'],
    ['impolite employees', 'rows'],
  ];
  for (const [query, intent] of cases) it(`reads "${query}" as ${intent} first`, () => assert.equal(readIntent(query), intent));
});

describe('understand', () => {
  it('drops the verb of a where-is question, which says where to look rather than what to find', () => {
    assert.deepEqual(understand('where are customer addresses stored', thesaurus).words, ['customer', 'addresses']);
    assert.deepEqual(understand('which table holds refunds', thesaurus).words, ['refunds']);
    assert.deepEqual(understand('parcels held at the depot', thesaurus).words, ['parcels', 'held', 'depot'], 'kept in a row search');
  });

  it('drops "details" like "information": it asks for everything about the subject, not for the word', () => {
    assert.deepEqual(understand('customer contact details', thesaurus).words, ['customer', 'contact']);
  });

  it('counts a word and its inflection once', () => {
    assert.deepEqual(understand('parcels left in a parcel locker', thesaurus).words, ['parcels', 'left', 'locker']);
  });

  it('keeps a word that names a table as a content word', () => {
    const u = understand('impolite employees', thesaurus);
    assert.deepEqual(u.words, ['impolite', 'employees']);
  });

  it('drops stop words and keeps at most MAX_QUERY_WORDS words', () => {
    assert.deepEqual(understand('show me the refunds', thesaurus).words, ['refunds']);
    const many = Array.from({ length: 40 }, (_, i) => `word${String.fromCharCode(97 + (i % 26))}${i}`).join(' ');
    assert.equal(understand(many, thesaurus).words.length, MAX_QUERY_WORDS);
  });

  it('expands with thesaurus synonyms that weigh less than the user words', () => {
    const u = understand('double billing', thesaurus);
    const synonyms = u.terms.filter((t) => t.source === 'synonym');
    assert.ok(
      synonyms.some((t) => matchesPatterns('I was charged twice for one order', t.patterns)),
      JSON.stringify(synonyms),
    );
    assert.ok(synonyms.every((t) => t.weight === SYNONYM_WEIGHT && t.weight < 1));
    assert.ok(u.terms.filter((t) => t.source === 'query').every((t) => t.weight === 1));
    const rude = understand('impolite staff', thesaurus).terms;
    assert.ok(rude.some((t) => t.source === 'synonym' && matchesPatterns('the agent was rude', t.patterns)));
  });

  it('adds an operator thesaurus file to the built-in one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'thesaurus-'));
    const path = join(dir, 'extra.json');
    writeFileSync(path, JSON.stringify({ groups: [['widget', 'gizmo']] }));
    const extra = loadThesaurus(path);
    assert.ok(understand('gizmo', extra).terms.some((t) => t.words.join(' ') === 'widget'));
    assert.ok(understand('double billing', extra).terms.some((t) => t.source === 'synonym'));
    writeFileSync(path, '{"groups": "nope"}');
    assert.throws(
      () => loadThesaurus(path),
      (e: unknown) => e instanceof ThesaurusError && e.code === 'THESAURUS_INVALID',
    );
    assert.throws(() => loadThesaurus(join(dir, 'missing.json')), ThesaurusError);
  });

  const bad: Array<[string, string]> = [
    ['empty', ''],
    ['only stop words', 'the of and which what'],
    ['only punctuation', '!!! ??? ... ;;; ---'],
  ];
  for (const [name, query] of bad) {
    it(`finds nothing to search in ${name}`, () => {
      const u = understand(query, thesaurus);
      assert.equal(u.terms.length + u.identifiers.length, 0);
    });
  }

  it('reads a 20 000-character query in bounded time and size', () => {
    const started = performance.now();
    const u = understand('refund late '.repeat(1_700), thesaurus);
    assert.ok(performance.now() - started < 500);
    assert.ok(u.words.length <= MAX_QUERY_WORDS);
  });

  it('reads any Unicode without throwing', () => {
    for (const q of ['Заказ не пришёл', '日本語のレビュー 😀', '\u0000\uFFFF\uD800', 'café crème brûlée', 'ＤＥＬＥＴＥ ｆｒｏｍ']) {
      const u = understand(q, thesaurus);
      assert.ok(Array.isArray(u.terms));
    }
  });
});

describe('identifiers', () => {
  it('finds numbers with the word before them, codes, e-mails and names', () => {
    const ids = findIdentifiers(
      'tickets for order 6351 from anna.berg@example.com about SKU KIT-0042 and "Brisa Pedestal Fan" by Jane Doe',
    );
    const by = (kind: string) => ids.filter((i) => i.kind === kind).map((i) => i.value);
    assert.deepEqual(by('number'), ['6351']);
    assert.equal(ids.find((i) => i.kind === 'number')?.before, 'order');
    assert.deepEqual(by('email'), ['anna.berg@example.com']);
    assert.deepEqual(by('code'), ['KIT-0042']);
    assert.deepEqual(by('name'), ['Brisa Pedestal Fan', 'Jane Doe']);
  });

  it('reads a query of just two capitalised words as a person, whose words still get synonyms if they are vocabulary', () => {
    assert.deepEqual(
      findIdentifiers('Léa Wagner').map((i) => i.value),
      ['Léa Wagner'],
    );
    const u = understand('Late Delivery', thesaurus);
    assert.ok(u.terms.some((t) => t.source === 'synonym' && t.of === 'late'));
  });

  it('does not read a capitalised first word as a name', () => {
    assert.deepEqual(
      findIdentifiers('Orders of customer Jane Doe').map((i) => i.value),
      ['Jane Doe'],
    );
  });
});
