import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatGoals, formatReport, goals, score, summarise, type Scored } from '../../eval/search/report.ts';

const s = (kind: string, ndcg10: number, ms: number, paraphrase = false): Scored => ({
  kind,
  paraphrase,
  ndcg10,
  recall10: ndcg10,
  p5: ndcg10,
  mrr: ndcg10,
  ms,
});

describe('search evaluation report', () => {
  it('scores one ranking with every metric', () => {
    const scored = score('entity', false, ['x', 'a'], new Map([['a', 2]]), 12);
    assert.equal(scored.mrr, 1 / 2);
    assert.equal(scored.recall10, 1);
    assert.equal(scored.p5, 1 / 5);
    assert.equal(scored.ndcg10, 1 / Math.log2(3));
    assert.equal(scored.ms, 12);
  });

  it('summarises per kind, for the paraphrase subset and overall', () => {
    const summary = summarise([s('schema', 1, 100), s('text', 0.5, 300, true), s('text', 0, 200), s('entity', 0.2, 400)]);
    assert.equal(summary.schema.queries, 1);
    assert.equal(summary.text.ndcg10, 0.25);
    assert.equal(summary.paraphrase.queries, 1);
    assert.equal(summary.paraphrase.ndcg10, 0.5);
    assert.equal(summary.overall.queries, 4);
    assert.equal(summary.overall.ndcg10, 1.7 / 4);
    assert.equal(summary.overall.p50Ms, 200);
    assert.equal(summary.overall.p95Ms, 400);
  });

  it('marks each goal of the issue met or missed', () => {
    const connector = summarise([s('schema', 0.9, 100), s('text', 0.8, 900, true), s('entity', 0.4, 1_200)]);
    const bm25 = summarise([s('schema', 0.95, 1), s('text', 0.4, 1), s('entity', 0.2, 1)]);
    const list = goals(connector, bm25);
    const met = Object.fromEntries(list.map((g) => [g.goal, g.met]));
    assert.deepEqual(met, {
      'schema: nDCG@10 connector / BM25': false,
      'text: nDCG@10 connector / BM25': true,
      'entity: nDCG@10 connector / BM25': true,
      'overall: nDCG@10 connector / BM25': true,
      'paraphrase subset: connector nDCG@10': true,
      'connector search p95 (ms)': false,
    });
    assert.match(formatGoals(list), /\[missed\] connector search p95 \(ms\) = 1200 \(goal ≤ 1000\)/);
    assert.match(formatReport(connector, bm25), /^text\s+1\s+connector\s+0\.800 .* 2\.00×$/m);
  });

  it('leaves out goals and rows of groups a limited run has no queries for', () => {
    const connector = summarise([s('entity', 0.4, 100)]);
    const bm25 = summarise([s('entity', 0.2, 1)]);
    assert.deepEqual(
      goals(connector, bm25).map((g) => g.goal),
      ['entity: nDCG@10 connector / BM25', 'overall: nDCG@10 connector / BM25', 'connector search p95 (ms)'],
    );
    assert.doesNotMatch(formatReport(connector, bm25), /^(schema|text|paraphrase)\s/m);
  });
});
