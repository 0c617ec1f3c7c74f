import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesPatterns, phrasePattern, stemOf, wordPatterns } from '../../../../src/research/nl/terms.ts';

describe('whole-word matching', () => {
  const cases: Array<[word: string, text: string, matches: boolean]> = [
    ['late', 'The parcel arrived late.', true],
    ['late', 'Our latest catalogue', false],
    ['app', 'The app keeps crashing', true],
    ['app', 'I am very happy', false],
    ['app', 'I appreciate it', false],
    ['app', 'Disappointed', false],
    ['top', 'Please stop e-mailing me', false],
    ['top', 'Top quality!', true],
    ['kit', 'Kitchen scales', false],
    ['kit', 'The repair kit was missing', true],
    ['refund', '(refund)', true],
    ['order', 'order-6351', true],
  ];
  for (const [word, text, matches] of cases) {
    it(`"${word}" ${matches ? 'matches' : 'does not match'} "${text}"`, () => {
      assert.equal(matchesPatterns(text, wordPatterns(word)), matches);
    });
  }
});

describe('stemming', () => {
  const cases: Array<[word: string, text: string]> = [
    ['arrival', 'It never arrived'],
    ['arrived', 'Arrival was quick'],
    ['delivery', 'Delivered to the wrong door'],
    ['deliveries', 'Delivery was late'],
    ['charged', 'They charge twice'],
    ['refunds', 'I want a refund'],
    ['delayed', 'A delay of two weeks'],
    ['late', 'Deliveries were lates'],
  ];
  for (const [word, text] of cases) {
    it(`"${word}" matches "${text}" through its stem (${stemOf(word)})`, () => {
      assert.ok(matchesPatterns(text, wordPatterns(word)), wordPatterns(word).join(' | '));
    });
  }

  it('matches a phrase in order, with words between', () => {
    assert.ok(matchesPatterns('I was charged for it twice', [phrasePattern(['charged', 'twice'])]));
    assert.ok(!matchesPatterns('twice charged', [phrasePattern(['charged', 'twice'])]));
  });

  it('leaves numbers and non-Latin words whole', () => {
    assert.deepEqual(wordPatterns('6351'), ['%[^a-z0-9]6351[^a-z0-9]%']);
    assert.ok(!matchesPatterns('order 63512', wordPatterns('6351')));
    assert.ok(matchesPatterns('Заказ не пришёл', wordPatterns('пришёл')));
  });

  it('builds patterns only from letters, digits, spaces, % and word-boundary classes', () => {
    for (const w of ['late', 'arrival', 'delivery', 'x1', 'süß', 'пришёл']) {
      for (const p of wordPatterns(w)) assert.match(p, /^[%\p{L}\p{N} [\]^a-z0-9-]+$/u, p);
    }
  });
});
