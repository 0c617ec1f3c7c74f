/**
 * Ranking metrics of the search evaluation, as pure functions over a ranked list of ids and a
 * graded judgement (`id → gain`, gain > 0 means relevant; 2 = the exact target, 1 = related).
 * Ids that are not judged count as gain 0. A repeated id keeps its slot but gains nothing again.
 */

/** Graded relevance: id → gain. */
export type Judgement = ReadonlyMap<string, number>;

const firstK = (ranked: readonly string[], k: number): Array<string | undefined> =>
  ranked.slice(0, k).map((id, i) => (ranked.indexOf(id) === i ? id : undefined));

const relevantCount = (judgement: Judgement): number => [...judgement.values()].filter((g) => g > 0).length;

/** Discounted cumulative gain with linear gains: Σ gain_i / log2(i + 1), i counting from 1. */
export function dcg(gains: readonly number[]): number {
  return gains.reduce((sum, gain, i) => sum + gain / Math.log2(i + 2), 0);
}

/**
 * nDCG@k: DCG of the top k divided by the DCG of the ideal top k (the judged gains sorted
 * descending). 0 when nothing is relevant.
 */
export function ndcgAt(ranked: readonly string[], judgement: Judgement, k: number): number {
  const gains = firstK(ranked, k).map((id) => (id === undefined ? 0 : (judgement.get(id) ?? 0)));
  const ideal = dcg(
    [...judgement.values()]
      .filter((g) => g > 0)
      .sort((a, b) => b - a)
      .slice(0, k),
  );
  return ideal === 0 ? 0 : dcg(gains) / ideal;
}

/**
 * Recall@k, capped: relevant ids in the top k divided by min(k, number of relevant ids), so a
 * query with hundreds of relevant rows can still reach 1 ("R-capped" recall, as in BEIR).
 */
export function recallAt(ranked: readonly string[], judgement: Judgement, k: number): number {
  const relevant = relevantCount(judgement);
  if (relevant === 0) return 0;
  const found = firstK(ranked, k).filter((id) => id !== undefined && (judgement.get(id) ?? 0) > 0).length;
  return found / Math.min(k, relevant);
}

/** Precision@k: relevant ids in the top k divided by k (a shorter list is padded with misses). */
export function precisionAt(ranked: readonly string[], judgement: Judgement, k: number): number {
  return firstK(ranked, k).filter((id) => id !== undefined && (judgement.get(id) ?? 0) > 0).length / k;
}

/** Reciprocal rank of the first relevant id; 0 when none is ranked. */
export function reciprocalRank(ranked: readonly string[], judgement: Judgement): number {
  const index = firstK(ranked, Number.POSITIVE_INFINITY).findIndex((id) => id !== undefined && (judgement.get(id) ?? 0) > 0);
  return index < 0 ? 0 : 1 / (index + 1);
}

/** The p-th percentile (0 < p ≤ 100) by nearest rank; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}
