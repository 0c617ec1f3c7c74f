import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadThesaurus, ThesaurusError } from '../../../../src/research/nl/thesaurus.ts';
import {
  findIdentifiers,
  MAX_QUERY_WORDS,
  maskQuantities,
  readIntent,
  spellNames,
  SYNONYM_WEIGHT,
  understand,
} from '../../../../src/research/nl/understand.ts';
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
    // How tables connect, tables or columns asked for by name, subject areas, availability.
    ['how are orders linked to customers', 'tables'],
    ['relationship between refunds and support tickets', 'tables'],
    ['what do i join to see which products each order contained', 'tables'],
    ['joining payments to orders', 'tables'],
    ['foreign key from reviews to products', 'tables'],
    ['what is the primary key of employees', 'tables'],
    ['list the fields of a support ticket', 'tables'],
    ['find the table with employee pay', 'tables'],
    ['table to find the top n products by average rating', 'tables'],
    ['shipping and fulfilment data', 'tables'],
    ['customer service information', 'tables'],
    ['which entity holds product prices', 'tables'],
    ['do we store which carrier delivered each parcel', 'tables'],
    ['does the database have supplier reliability scores', 'tables'],
    ["is the customer's country recorded", 'tables'],
    ['are product weights stored anywhere', 'tables'],
    ['can i see when a ticket was closed', 'tables'],
    ['how can i tell which employee approved a refund', 'tables'],
    ['what would i query to measure delivery delays', 'tables'],
    ['list tables about money', 'tables'],
    ['how long do the scheduled jobs take', 'tables'],
    ['how many refunds were approved', 'tables'],
    ['how much did order 6351 cost', 'rows'],
    ['customers asking how long delivery takes', 'rows'],
    ['when the nightly import job runs, where can i see how long it took', 'tables'],
    ['customers asking where they can see their order', 'rows'],
    ['number of refunds per month', 'tables'],
    ['average delivery time by carrier', 'tables'],
    ['refund amounts broken down by reason', 'tables'],
    ['trend of job run durations over time', 'tables'],
    ['point me to the refund approvals', 'tables'],
    ['need data on supplier performance', 'tables'],
    ["i'm looking for information about refunds", 'tables'],
    ["what's the source of truth for product prices", 'tables'],
    ['which part of the database covers staff and pay', 'tables'],
    ['customers asking for information about refunds', 'rows'],
    ['show me complaints about late deliveries', 'rows'],
    ['reviews by verified buyers', 'rows'],
    ['complaints by customers about late delivery', 'rows'],
    ['show me all columns with dates', 'tables'],
    // Content that uses the same words.
    ['reviews of the table lamp', 'rows'],
    ['reviews of the dining table', 'rows'],
    ['reviews saying the table lamp flickers', 'rows'],
    ['customers sharing their views on delivery', 'rows'],
    ['customers asking to remove their personal data', 'rows'],
    ['complaints about lost data', 'rows'],
    ['how do i link my loyalty card to my account', 'rows'],
    ['customers who could not connect to the app', 'rows'],
    ['customers asking how to join the loyalty programme', 'rows'],
    ['tickets about a broken link in the confirmation e-mail', 'rows'],
    ['which customers hold gold status', 'rows'],
    ['are customers happy with delivery', 'rows'],
    ['can i see complaints about late deliveries', 'rows'],
    ['how do i return an item', 'rows'],
    ['is the parcel lost', 'rows'],
  ];
  for (const [query, intent] of cases) it(`reads "${query}" as ${intent} first`, () => assert.equal(readIntent(query), intent));
});

describe('intent of a query naming tables or numbers', () => {
  const tables = new Set(['orders', 'order', 'lines', 'payments', 'products', 'suppliers', 'customers', 'customer', 'reviews']);
  const names = (w: string): boolean => tables.has(w);

  it('reads a query that only names tables as asking for them, unless it names a row', () => {
    assert.equal(understand('orders, order lines and payments', thesaurus, names).intent, 'tables');
    assert.equal(understand('products together with their suppliers', thesaurus, names).intent, 'tables');
    assert.equal(understand('customer reviews', thesaurus, names).intent, 'tables');
    assert.equal(understand('orders of customer 42', thesaurus, names).intent, 'rows', 'a number names a row');
    assert.equal(understand('late orders', thesaurus, names).intent, 'rows', '"late" is about the content');
    assert.equal(understand('orders, order lines and payments', thesaurus).intent, 'rows', 'without a catalog nothing names a table');
  });

  it('reads "table", "column" or "field" after a word naming a table or column as asking for it', () => {
    const columns = (w: string): boolean => ['reason', 'tier', 'number'].includes(w);
    for (const q of ['the orders table', 'refund reason column', 'customer loyalty tier field', 'product reviews table rating'])
      assert.equal(understand(q, thesaurus, names, columns).intent, 'tables', q);
    for (const q of ['kitchen table reviews', 'reviews of the dining table', 'a wobbly table'])
      assert.equal(understand(q, thesaurus, names, columns).intent, 'rows', q);
  });

  it('blanks the numbers that key no row before reading where-is wording, keeps those that do', () => {
    const ids = (q: string) => findIdentifiers(q);
    assert.equal(
      maskQuantities('where are 2-letter country codes', ids('where are 2-letter country codes'), names),
      'where are n-letter country codes',
    );
    assert.equal(maskQuantities('where is order 6351', ids('where is order 6351'), names), 'where is order 6351');
    assert.equal(maskQuantities('where is id 42', ids('where is id 42'), names), 'where is id 42');
    assert.equal(understand('where are 2-letter country codes', thesaurus, names).intent, 'tables');
    assert.equal(understand('where is the top 10 of products', thesaurus, names).intent, 'tables');
    assert.equal(understand('where is order 6351', thesaurus, names).intent, 'rows');
    assert.equal(understand('where is customer 42', thesaurus, names).intent, 'rows');
  });

  it('reads a number-word compound ("2-letter", "5-star") as a number and a word, not a code', () => {
    assert.deepEqual(
      findIdentifiers('5-star reviews').map((i) => i.kind),
      ['number'],
    );
    assert.deepEqual(
      findIdentifiers('batch BF-0413 and 2024-q1').map((i) => [i.kind, i.value]),
      [
        ['code', 'BF-0413'],
        ['code', '2024-q1'],
      ],
    );
  });
});

describe('names written as they are', () => {
  const names = new Map([
    ['satisfactionscore', 'satisfaction score'],
    ['approvedbyid', 'approved by id'],
    ['launchdate', 'launch date'],
  ]);

  it('spells out a multi-word name of the database written as one word, in any case or with underscores', () => {
    assert.deepEqual(spellNames('which table has a SatisfactionScore column', names), {
      text: 'which table has a satisfaction score column',
      named: ['satisfactionscore'],
    });
    assert.deepEqual(spellNames('where is launch_date or APPROVEDBYID', names), {
      text: 'where is launch date or approved by id',
      named: ['launchdate', 'approvedbyid'],
    });
    assert.deepEqual(spellNames('customers who paid with PayPal', names), { text: 'customers who paid with PayPal', named: [] });
    assert.deepEqual(spellNames('anything', new Map()), { text: 'anything', named: [] });
  });

  it('drops "column" and "field" from a where-is question, as it drops its verbs', () => {
    assert.deepEqual(understand('which table has a satisfaction score column', thesaurus).words, ['satisfaction', 'score']);
    assert.deepEqual(understand('forms with a missing field', thesaurus).words, ['forms', 'missing', 'field'], 'kept in a row search');
  });
});

describe('understand', () => {
  it('drops the verb of a where-is question, which says where to look rather than what to find', () => {
    assert.deepEqual(understand('where are customer addresses stored', thesaurus).words, ['customer', 'addresses']);
    assert.deepEqual(understand('which table holds refunds', thesaurus).words, ['refunds']);
    assert.deepEqual(understand('parcels held at the depot', thesaurus).words, ['parcels', 'held', 'depot'], 'kept in a row search');
  });

  it('leaves out how a request opens: "help me find", "could you please", "I\'m trying to"', () => {
    assert.deepEqual(understand('help me find employee hire dates', thesaurus).words, ['employee', 'hire', 'dates']);
    assert.deepEqual(understand('Could you please show me refund reasons', thesaurus).words, ['refund', 'reasons']);
    assert.deepEqual(understand("I'm trying to find supplier scores", thesaurus).words, ['supplier', 'scores']);
    assert.deepEqual(understand('customers asking for help with returns', thesaurus).words, ['customers', 'asking', 'help', 'returns']);
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
