import type { Catalog, CatalogTable } from '../../db/types.ts';
import { recordUrl } from '../catalog-forms.ts';
import { tableTitle } from '../documents.ts';
import { isTableNamed, qualifiedName } from '../identifiers.ts';
import { tableId } from '../ids.ts';
import { compactName } from '../words.ts';
import { rankTables, type TableMatch } from '../ranking.ts';
import type { ResearchContext } from '../types.ts';
import type { Scored } from './rank-merge.ts';
import { tableIndex } from './table-bm25.ts';
import { SYNONYM_WEIGHT, type Understanding } from './understand.ts';

/**
 * Share of a fused table score that is the table's BM25 score relative to the best table's. The
 * heuristic leads (head nouns, coverage of the query): BM25 alone reorders two tables only when
 * their heuristic shares differ by less than 0.3 ÷ 0.7 of their relative BM25 difference — it
 * breaks ties and lifts a table whose descriptions hold the query's rarer words, while a common
 * word strong in one table's name (Products for "product returns") cannot carry it over the table
 * covering more of the question.
 */
export const BM25_SHARE = 0.3;
/**
 * Added to a table whose own name or one of whose columns' names the query wrote as it is
 * ("SatisfactionScore", "rows_processed"): the user named where to look, whatever else matches.
 */
export const NAMED_BONUS = 1;
const namesIn = (table: CatalogTable, named: readonly string[]): boolean =>
  named.length > 0 && (named.includes(compactName(table.name)) || table.columns.some((c) => named.includes(compactName(c.name))));

/** Bonus by rank among the heuristic's tables: ties between equal shares go to the better-placed match. */
const RANK_BONUS = 0.05;

/**
 * Stage 4 for table documents: each table scored twice and the two fused. The heuristic
 * (ranking.ts) scores the share of the user's words (or their synonyms) a table's names, columns
 * and descriptions match, each word weighted by its rarity among the tables, the head noun of
 * the table's name weighing most; BM25 (table-bm25.ts) scores the same words over the same text
 * as a full-text index would, so a word only a description holds, or held many times, counts as
 * it does there. When the query asks where data lives they are fused as (1 − BM25_SHARE) ·
 * heuristic + BM25_SHARE · BM25 ÷ best BM25, both on 0…1; otherwise the heuristic alone scores
 * (see below). Synonyms weigh SYNONYM_WEIGHT in both parts.
 */
export function tableResults(
  catalog: Catalog,
  u: Understanding,
  allows: (t: CatalogTable) => boolean,
  ctx: ResearchContext,
  named: readonly string[] = [],
): Scored[] {
  const synonyms = u.terms.filter((t) => t.source === 'synonym' && t.words.length === 1);
  const words = [...u.words, ...synonyms.map((t) => t.words[0] ?? '')];
  const factor = (w: string): number => (u.words.includes(w) ? 1 : SYNONYM_WEIGHT);
  const matches = rankTables(catalog, words, allows, factor);
  const heuristic = heuristicShares(matches, u, synonyms);
  const byTable = new Map(matches.map((m, i) => [m.table, { match: m as TableMatch | undefined, share: heuristic[i] ?? 0 }]));
  // Asked where data lives, the tables are the answer: BM25's evidence joins the heuristic's. A
  // query describing content keeps the heuristic's share alone, the scale describedTables and the
  // merge with rows read as "how much of the query this table covers".
  const bm25 =
    u.intent === 'tables'
      ? tableIndex(catalog, allows).scores([...new Set(words)].map((word) => ({ word, weight: factor(word) })))
      : new Map<CatalogTable, number>();
  const best = Math.max(0, ...bm25.values());
  for (const table of bm25.keys()) if (!byTable.has(table)) byTable.set(table, { match: undefined, share: 0 });
  const namedTables = new Set(catalog.tables.filter((t) => allows(t) && namesIn(t, named)));
  for (const table of namedTables) if (!byTable.has(table)) byTable.set(table, { match: undefined, share: 0 });
  const scored = [...byTable].map(([table, { match, share }]) => {
    const relative = best > 0 ? (bm25.get(table) ?? 0) / best : 0;
    const score = (best > 0 ? (1 - BM25_SHARE) * share + BM25_SHARE * relative : share) + (namedTables.has(table) ? NAMED_BONUS : 0);
    const hit = new Set(match?.words ?? []);
    const id = tableId(table.schema, table.name);
    const columns = match?.columns ?? [];
    const where = columns.length > 0 ? `; columns: ${columns.slice(0, 8).join(', ')}` : '';
    const said = match ? `"${match.words.join('", "')}"` : 'the query by its descriptions';
    const item = { id, title: tableTitle(table), url: recordUrl(ctx, id), text: `Matches ${said} in ${qualifiedName(table)}${where}` };
    return { item, score, describes: u.words.every((w) => hit.has(w)), named: (match?.tableWords.length ?? 0) > 0 };
  });
  // No one table holds the whole query, yet a few tables named in it do between them ("employees
  // and the orders they took", "products together with their suppliers"): those describe it.
  if (!scored.some((s) => s.describes)) for (const i of jointCover(matches, u.words)) if (scored[i]) scored[i].describes = true;
  // Fused: by the fused score (stable, so equal scores keep the heuristic's order). Otherwise the
  // heuristic's own order, which decides the tables a search always offers (rank-merge.ts).
  if (best <= 0) {
    if (named.length === 0) return scored;
    // A table the query named as it is comes first here too.
    const first = new Set([...namedTables].map((t) => tableId(t.schema, t.name)));
    return [...scored].sort((a, b) => Number(first.has(b.item.id)) - Number(first.has(a.item.id)));
  }
  scored.sort((a, b) => b.score - a.score);
  return withRelated(catalog, scored, allows, ctx, ANSWERS_AROUND, MAX_TABLE_ANSWERS);
}

/** Where-is answers: the tables around this many best tables follow the tables the words match. */
export const ANSWERS_AROUND = 3;
/** Table documents when the query asks where data lives: the whole first page may be tables, filled along foreign keys. */
export const MAX_TABLE_ANSWERS = 10;

/** Tables at most that describe a query between them (jointCover). */
export const MAX_JOINT_COVER = 3;

/**
 * Indexes of at most MAX_JOINT_COVER matches whose names and descriptions hold every word between
 * them, each named by one of the words (its own name, not a column's: a word that only a column
 * or a description holds says nothing of which table is meant), chosen greedily in the heuristic's
 * order; none when no such few tables exist.
 */
export function jointCover(matches: readonly TableMatch[], words: readonly string[]): number[] {
  const left = new Set(words);
  const chosen: number[] = [];
  while (left.size > 0 && chosen.length < MAX_JOINT_COVER) {
    let best = -1;
    let gain = 0;
    matches.forEach((m, i) => {
      if (chosen.includes(i) || m.tableWords.length === 0) return;
      const g = m.words.filter((w) => left.has(w)).length;
      if (g > gain) [best, gain] = [i, g];
    });
    if (best < 0) return [];
    chosen.push(best);
    for (const w of matches[best]?.words ?? []) left.delete(w);
  }
  return left.size === 0 && chosen.length > 1 ? chosen : [];
}

/**
 * The scored tables followed by the tables related to the best `around` of them (relatedTables),
 * the best one's first, each with score 0 and not `describes`: where the answer connects, after
 * every table the words match. With `fill`, the tables related to those follow in turn, nearest
 * first, until the list holds `fill` tables (or nothing more connects).
 */
export function withRelated(
  catalog: Catalog,
  scored: readonly Scored[],
  allows: (t: CatalogTable) => boolean,
  ctx: ResearchContext,
  around = 1,
  fill = 0,
): Scored[] {
  const shown = new Set(scored.map((s) => s.item.id));
  const out = [...scored];
  let frontier = [...scored]
    .sort((a, b) => b.score - a.score)
    .slice(0, around)
    .flatMap((s) => catalog.tables.filter((t) => tableId(t.schema, t.name) === s.item.id));
  while (frontier.length > 0) {
    const next: CatalogTable[] = [];
    for (const top of frontier)
      for (const table of relatedTables(catalog, top, allows)) {
        const id = tableId(table.schema, table.name);
        if (shown.has(id)) continue;
        shown.add(id);
        next.push(table);
        const item = { id, title: tableTitle(table), url: recordUrl(ctx, id), text: `Related to ${qualifiedName(top)}` };
        out.push({ item, score: 0, describes: false });
      }
    if (out.length >= fill) break;
    frontier = next;
  }
  return out;
}

/**
 * The tables around a where-is answer, after every table the words match: views that hold its
 * key (the same rows presented otherwise), then tables whose foreign keys reference it (its
 * details), then the tables it references (its context). A researcher asking where something
 * lives is shown where it connects; the words alone never name these.
 */
export function relatedTables(catalog: Catalog, top: CatalogTable, allows: (t: CatalogTable) => boolean): CatalogTable[] {
  const key = top.primaryKey.length === 1 ? top.primaryKey[0] : undefined;
  const others = catalog.tables.filter((t) => t !== top && allows(t));
  const views = others.filter(
    (t) => t.kind === 'view' && key !== undefined && t.columns.some((c) => c.name.toLowerCase() === key.toLowerCase()),
  );
  const children = others.filter((t) => t.foreignKeys.some((f) => isTableNamed(top, f.refSchema, f.refTable)));
  const parents = others.filter((t) => top.foreignKeys.some((f) => isTableNamed(t, f.refSchema, f.refTable)));
  return [...new Set([...views, ...children, ...parents])];
}

/**
 * Per match, the share of the user's words it covers, each weighted by its rarity among the
 * tables; a word covered through its synonym weighs what the synonym weighs among the tables;
 * plus a little for rank.
 */
function heuristicShares(matches: readonly TableMatch[], u: Understanding, synonyms: Understanding['terms']): number[] {
  const weights = matches[0]?.weights;
  const weight = (w: string): number => weights?.get(w) ?? 1;
  const total = u.words.reduce((n, w) => n + weight(w), 0);
  return matches.map((m, i) => {
    const hit = new Set(m.words);
    const covered = u.words.reduce(
      (n, w) =>
        n +
        (hit.has(w)
          ? weight(w)
          : Math.max(
              0,
              ...synonyms.filter((t) => t.of === w && hit.has(t.words[0] ?? '')).map((t) => Math.min(weight(w), weight(t.words[0] ?? ''))),
            )),
      0,
    );
    return (total > 0 ? covered / total : 0) + RANK_BONUS / (i + 1);
  });
}
