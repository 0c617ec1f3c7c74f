import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dcg, mean, ndcgAt, percentile, precisionAt, recallAt, reciprocalRank } from '../../eval/search/metrics.ts';

const judged = (entries: Record<string, number>) => new Map(Object.entries(entries));
const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-4, `${actual} ≠ ${expected}`);

describe('search evaluation metrics (hand-computed)', () => {
  it('dcg divides each gain by log2 of its rank plus one', () => {
    // 2/log2(2) + 0/log2(3) + 1/log2(4) = 2 + 0 + 0.5
    close(dcg([2, 0, 1]), 2.5);
    assert.equal(dcg([]), 0);
  });

  it('nDCG@k uses graded gains and the ideal ordering of all judged ids', () => {
    const j = judged({ a: 2, b: 1, c: 2 });
    // DCG = 0 + 2/log2(3) + 1/2 = 1.76186; ideal [2,2,1] = 2 + 2/log2(3) + 1/2 = 3.76186
    close(ndcgAt(['x', 'a', 'b'], j, 3), 1.76186 / 3.76186);
    assert.equal(ndcgAt(['a', 'c', 'b'], j, 3), 1);
    // A grade-1 id first costs against the ideal: (1 + 2/log2(3) + 2/2) / 3.76186
    close(ndcgAt(['b', 'a', 'c'], j, 3), (1 + 2 / Math.log2(3) + 1) / 3.76186);
  });

  it('nDCG@k only looks at the first k results and is 0 without relevant ids', () => {
    const j = judged({ a: 2 });
    assert.equal(ndcgAt(['x', 'y', 'a'], j, 2), 0);
    close(ndcgAt(['x', 'y', 'a'], j, 3), 1 / 2); // 2/log2(4) over 2/log2(2)
    assert.equal(ndcgAt(['a'], judged({ a: 0 }), 10), 0);
    assert.equal(ndcgAt([], j, 10), 0);
  });

  it('recall@k is capped by min(k, relevant) so large gold sets can reach 1', () => {
    const j = judged({ a: 2, b: 1, c: 2 });
    close(recallAt(['x', 'a', 'b'], j, 3), 2 / 3);
    close(recallAt(['x', 'a', 'b'], j, 2), 1 / 2);
    const many = judged(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`r${i}`, 1])));
    assert.equal(
      recallAt(
        Array.from({ length: 10 }, (_, i) => `r${i}`),
        many,
        10,
      ),
      1,
    );
    assert.equal(recallAt(['a'], judged({}), 10), 0);
  });

  it('P@5 counts relevant ids in the first five and pads a short list with misses', () => {
    const j = judged({ a: 2, b: 1 });
    close(precisionAt(['a', 'x', 'b'], j, 5), 2 / 5);
    close(precisionAt(['x', 'y', 'z', 'w', 'v', 'a'], j, 5), 0);
  });

  it('reciprocal rank is one over the rank of the first relevant id', () => {
    const j = judged({ b: 1 });
    close(reciprocalRank(['x', 'y', 'b'], j), 1 / 3);
    assert.equal(reciprocalRank(['x', 'y'], j), 0);
    assert.equal(reciprocalRank(['b'], j), 1);
  });

  it('a repeated id keeps its slot but counts only at its first rank', () => {
    const j = judged({ a: 2, b: 2 });
    close(precisionAt(['a', 'a', 'b'], j, 2), 1 / 2);
    close(recallAt(['a', 'a', 'b'], j, 2), 1 / 2);
    close(reciprocalRank(['x', 'x', 'a'], j), 1 / 3);
    close(ndcgAt(['a', 'a', 'b'], j, 3), (2 + 2 / 2) / (2 + 2 / Math.log2(3)));
  });

  it('percentile takes the nearest rank and mean averages', () => {
    const ten = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    assert.equal(percentile(ten, 50), 5);
    assert.equal(percentile(ten, 95), 10);
    assert.equal(percentile([3, 1, 2], 50), 2);
    assert.ok(Number.isNaN(percentile([], 50)));
    assert.equal(mean([1, 2, 3, 6]), 3);
  });
});
