import { mean, ndcgAt, percentile, precisionAt, recallAt, reciprocalRank, type Judgement } from './metrics.ts';
import { KINDS } from './query-set.ts';

/** One query's ranking by one system. */
export interface Scored {
  kind: string;
  paraphrase: boolean;
  ndcg10: number;
  recall10: number;
  p5: number;
  mrr: number;
  ms: number;
}

export interface Summary {
  queries: number;
  ndcg10: number;
  recall10: number;
  p5: number;
  mrr: number;
  p50Ms: number;
  p95Ms: number;
}

/** The groups reported: each kind, the paraphrase subset and everything. */
export const GROUPS = [...KINDS, 'paraphrase', 'overall'] as const;
export type Group = (typeof GROUPS)[number];

export function score(kind: string, paraphrase: boolean, ranked: readonly string[], judgement: Judgement, ms: number): Scored {
  return {
    kind,
    paraphrase,
    ndcg10: ndcgAt(ranked, judgement, 10),
    recall10: recallAt(ranked, judgement, 10),
    p5: precisionAt(ranked, judgement, 5),
    mrr: reciprocalRank(ranked, judgement),
    ms,
  };
}

const inGroup =
  (group: Group) =>
  (s: Scored): boolean =>
    group === 'overall' || (group === 'paraphrase' ? s.paraphrase : s.kind === group);

export function summarise(scores: readonly Scored[]): Record<Group, Summary> {
  const out = {} as Record<Group, Summary>;
  for (const group of GROUPS) {
    const chosen = scores.filter(inGroup(group));
    const ms = chosen.map((s) => s.ms);
    out[group] = {
      queries: chosen.length,
      ndcg10: mean(chosen.map((s) => s.ndcg10)),
      recall10: mean(chosen.map((s) => s.recall10)),
      p5: mean(chosen.map((s) => s.p5)),
      mrr: mean(chosen.map((s) => s.mrr)),
      p50Ms: percentile(ms, 50),
      p95Ms: percentile(ms, 95),
    };
  }
  return out;
}

export interface Goal {
  goal: string;
  value: number;
  target: number;
  /** `≥`: the value must reach the target; `≤`: it must stay below it. */
  direction: '≥' | '≤';
  met: boolean;
}

const goal = (name: string, value: number, direction: '≥' | '≤', target: number): Goal => ({
  goal: name,
  value,
  target,
  direction,
  met: direction === '≥' ? value >= target : value <= target,
});

/**
 * The goals of issue 8: every kind ≥ BM25, overall ≥ 1.1× BM25, paraphrases ≥ 0.5, p95 ≤ 1 s.
 * A goal about a group without queries (a run limited to some kinds) is left out.
 */
export function goals(connector: Record<Group, Summary>, bm25: Record<Group, Summary>): Goal[] {
  const ratio = (g: Group): number => connector[g].ndcg10 / bm25[g].ndcg10;
  const has = (g: Group): boolean => connector[g].queries > 0;
  return [
    ...KINDS.filter(has).map((k) => goal(`${k}: nDCG@10 connector / BM25`, ratio(k), '≥', 1)),
    goal('overall: nDCG@10 connector / BM25', ratio('overall'), '≥', 1.1),
    ...(has('paraphrase') ? [goal('paraphrase subset: connector nDCG@10', connector.paraphrase.ndcg10, '≥', 0.5)] : []),
    goal('connector search p95 (ms)', connector.overall.p95Ms, '≤', 1000),
  ];
}

const f3 = (n: number): string => (Number.isFinite(n) ? n.toFixed(3) : '  —  ');
const ms = (n: number): string => (Number.isFinite(n) ? `${n.toFixed(n < 10 ? 1 : 0)} ms` : '—');

/** A plain-text table of both systems per group, with the nDCG@10 ratio. */
export function formatReport(connector: Record<Group, Summary>, bm25: Record<Group, Summary>): string {
  const header = ['group', 'n', 'system', 'nDCG@10', 'R@10', 'P@5', 'MRR', 'p50', 'p95', 'ratio nDCG'];
  const lines: string[][] = [header];
  for (const g of GROUPS.filter((group) => connector[group].queries > 0)) {
    for (const [name, s] of [
      ['connector', connector[g]],
      ['bm25', bm25[g]],
    ] as const) {
      const ratio = name === 'connector' && bm25[g].ndcg10 > 0 ? `${(connector[g].ndcg10 / bm25[g].ndcg10).toFixed(2)}×` : '';
      lines.push([
        name === 'connector' ? g : '',
        name === 'connector' ? String(s.queries) : '',
        name,
        f3(s.ndcg10),
        f3(s.recall10),
        f3(s.p5),
        f3(s.mrr),
        ms(s.p50Ms),
        ms(s.p95Ms),
        ratio,
      ]);
    }
  }
  const widths = header.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length)));
  return lines
    .map((l) =>
      l
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function formatGoals(list: readonly Goal[]): string {
  return list
    .map(
      (g) => `  [${g.met ? 'met   ' : 'missed'}] ${g.goal} = ${g.value.toFixed(g.target >= 100 ? 0 : 2)} (goal ${g.direction} ${g.target})`,
    )
    .join('\n');
}
