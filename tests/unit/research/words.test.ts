import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeLike, identifierWords, queryWords, sameRoot, stem, usSpelling } from '../../../src/research/words.ts';

describe('stem', () => {
  const cases: Array<[string, string]> = [
    ['deliveries', 'deliver'],
    ['delivery', 'deliver'],
    ['delivered', 'deliver'],
    ['refunds', 'refund'],
    ['refunding', 'refund'],
    ['billing', 'bill'],
    ['late', 'late'],
    ['address', 'address'],
    ['rating', 'rating'],
    ['hr', 'hr'],
    ['2024s', '2024s'],
  ];
  for (const [word, root] of cases) it(`reduces ${word} to ${root}`, () => assert.equal(stem(word), root));
});

describe('queryWords', () => {
  it('drops stop words, punctuation and duplicates, folds case and width', () => {
    assert.deepEqual(queryWords('Find all the customers who complained about LATE deliveries, late!'), [
      'customers',
      'complained',
      'late',
      'deliveries',
    ]);
    assert.deepEqual(queryWords('ｒｅｆｕｎｄ requests'), ['refund', 'requests']);
  });
  it('keeps at most the requested number of words', () => assert.equal(queryWords('one two three four five six seven eight', 3).length, 3));
});

describe('identifierWords', () => {
  const cases: Array<[string, string[]]> = [
    ['OrderLines', ['order', 'lines']],
    ['created_at', ['created', 'at']],
    ['Insert Date', ['insert', 'date']],
    ['HTTPStatusCode', ['http', 'status', 'code']],
    ['CustomerID', ['customer', 'id']],
  ];
  for (const [name, words] of cases) it(`splits ${name}`, () => assert.deepEqual(identifierWords(name), words));
});

describe('sameRoot', () => {
  it('matches singular and plural forms', () => {
    assert.ok(sameRoot('delivery', 'Deliveries'.toLowerCase()));
    assert.ok(sameRoot('customers', 'customer'));
    assert.ok(!sameRoot('order', 'border'));
    assert.ok(!sameRoot('id', 'identity'));
  });
});

describe('escapeLike', () => {
  const cases: Array<[string, string]> = [
    ['50%', '50!%'],
    ['a_b', 'a!_b'],
    ['[x]', '![x]'],
    ['wow!', 'wow!!'],
    ["O'Brien", "O'Brien"],
  ];
  for (const [raw, escaped] of cases) it(`escapes ${raw}`, () => assert.equal(escapeLike(raw), escaped));
});

describe('British and American spellings meet', () => {
  const pairs: Array<[string, string]> = [
    ['centre', 'center'],
    ['centres', 'centers'],
    ['colour', 'color'],
    ['behaviour', 'behavior'],
    ['catalogue', 'catalog'],
    ['organised', 'organized'],
    ['analyse', 'analyze'],
  ];
  for (const [british, american] of pairs)
    it(`${british} ~ ${american}`, () => {
      assert.equal(usSpelling(british), usSpelling(american));
      assert.ok(sameRoot(british, american));
    });
  it('leaves short and ordinary words alone', () => {
    for (const w of ['store', 'hour', 'your', 'there', 'figure', 'price', 'rise']) assert.equal(usSpelling(w), w);
  });
});
