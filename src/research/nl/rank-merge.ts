import type { SearchResultItem } from '../types.ts';
import type { Candidate } from './retrieve.ts';
import { matchesPatterns } from './terms.ts';
import type { Intent, Term } from './understand.ts';

/**
 * Stage 4: one ranked list. Scores from different tables and paths are put on one scale:
 * an exact lookup (the entity the query names) first, then the rows related to it, then word
 * matches by the share of the user's words they cover — for the ranked LIKE search weighted by IDF
 * over all tables searched (globalScorer), for full-text rows ¾ that share and ¼ the RANK relative
 * to the table's best.
 */
export interface Ranked {
  candidate: Candidate;
  score: number;
  /** Terms found in the row's text columns. */
  matched: Term[];
}

export const ENTITY_SCORE = 3;
/**
 * Share of a full-text row's score that is its RANK relative to its table's best; the rest is the
 * share of the user's words it covers. RANK orders rows within a table well, but every table's best
 * row has the same relative RANK: coverage is what puts rows of different tables on one scale.
 */
export const FULL_TEXT_RANK_SHARE = 0.25;
export const RELATED_SCORE = 2;
/** At most this is added to an entity's or related row's score for the query words it also matches (< 1: the tiers stay apart). */
export const TIE_BREAK = 0.5;

/** The terms a row's text columns match (the same patterns the database used). */
export function matchedTerms(c: Candidate, terms: readonly Term[]): Term[] {
  const text = c.table.textColumns
    .map((name) => c.row[c.columns.findIndex((col) => col.name === name)])
    .filter((v): v is string => typeof v === 'string')
    .join(' \n ');
  return text ? terms.filter((t) => matchesPatterns(text, t.patterns)) : [];
}

/**
 * Share of the user's words a row covers, 0…1: each word counts once, by itself (its weight) or,
 * failing that, by its synonyms (their lower weights added up, at most the word's own weight: a row
 * that says the same thing in two other ways is about it, yet never more than the word itself).
 * `named` says whether a word names the row's table ("refunds" for a Refunds row): the row is what
 * that word asks for, so the word counts as covered.
 */
export function coverage(matched: readonly Term[], terms: readonly Term[], named: (t: Term) => boolean = () => false): number {
  const own = terms.filter((t) => t.source === 'query');
  const total = own.reduce((n, t) => n + t.weight, 0);
  if (total === 0) return 0;
  const got = own.reduce((n, t) => {
    if (matched.includes(t) || named(t)) return n + t.weight;
    const word = t.words.length === 1 ? t.words[0] : undefined;
    return (
      n +
      Math.min(
        t.weight,
        matched.filter((s) => s.source === 'synonym' && s.of === word).reduce((m, s) => m + s.weight, 0),
      )
    );
  }, 0);
  return Math.min(1, got / total);
}

/** Whether a user word names the candidate's table (and so a row of it is what the word asks for). */
const namesTableOf =
  (c: Candidate) =>
  (t: Term): boolean =>
    t.source === 'query' && !t.core && t.words.length === 1 && c.table.namedBy.includes(t.words[0] ?? '');

const keyOf = (c: Candidate): string => {
  const key = c.table.table.primaryKey.map((k) => c.row[c.columns.findIndex((col) => col.name === k)]);
  return `${c.table.table.schema}.${c.table.table.name}\u0000${JSON.stringify(key.length > 0 ? key : c.row)}`;
};

/**
 * Scores of ranked LIKE rows with IDF over every table searched, not just the row's own: a word
 * that is rare in one small table but everywhere else weighs what it weighs in the database.
 * Each user word counts once, by itself or by its synonyms (added up, each IDF capped at the word's,
 * at most what the word itself would give):
 * score = Σ over user words of weight · idf · (match + ½ · title match) ÷ Σ weight · idf · (1 + ½ if
 * the table has title columns), so a table without titles can reach 1 too. A word naming the row's
 * table counts as matched.
 */
export function globalScorer(candidates: readonly Candidate[], terms: readonly Term[]): (c: Candidate) => number | undefined {
  const tables = new Map<Candidate['table'], number[]>();
  for (const c of candidates) if (c.via === 'text' && c.terms && !tables.has(c.table)) tables.set(c.table, c.terms.d);
  const rows = [...tables.keys()].reduce((n, t) => n + Math.max(1, t.table.rowCount ?? 1_000), 0);
  const dfs = terms.map((_, i) => [...tables.values()].reduce((n, d) => n + (d[i] ?? 0), 0));
  const idfOf = (df: number): number => Math.log10((rows + df + 1) / (df + 0.5));
  // A word no LIKE-searched row holds may still be common where full text searched (tickets,
  // reviews): its rarity is unknown, not maximal — it weighs what the words seen weigh on average.
  const seen = dfs.filter((df) => df > 0).map(idfOf);
  const unknown = seen.length > 0 ? seen.reduce((a, b) => a + b, 0) / seen.length : 1;
  const idf = dfs.map((df) => (df > 0 ? idfOf(df) : unknown));
  const own = terms.map((t, i) => ({ t, i })).filter(({ t }) => t.source === 'query');
  const synonymsOf = own.map(({ t }) => terms.map((s, j) => ({ s, j })).filter(({ s }) => s.source === 'synonym' && s.of === t.words[0]));
  return (c) => {
    if (c.via !== 'text' || !c.terms) return undefined;
    const { m, h } = c.terms;
    const named = namesTableOf(c);
    const titles = c.table.titleColumns.length > 0 ? 0.5 : 0;
    let best = 0;
    let got = 0;
    own.forEach(({ t, i }, k) => {
      const weight = t.weight * (idf[i] ?? 0);
      best += weight * (1 + titles);
      const self = named(t) ? weight : weight * ((m[i] ?? 0) + 0.5 * (h[i] ?? 0));
      const viaSynonyms = (synonymsOf[k] ?? []).reduce(
        (n, { s, j }) => n + s.weight * Math.min(idf[j] ?? 0, idf[i] ?? 0) * ((m[j] ?? 0) + 0.5 * (h[j] ?? 0)),
        0,
      );
      got += Math.max(self, Math.min(weight * (1 + titles), viaSynonyms));
    });
    return best > 0 ? Math.min(1, got / best) : 0;
  };
}

/** Scores, de-duplicates (a row found twice keeps its best score) and sorts the candidates. */
export function rankRows(candidates: readonly Candidate[], terms: readonly Term[]): Ranked[] {
  const topRank = new Map<SearchTableKey, number>();
  for (const c of candidates) if (c.via === 'fulltext') topRank.set(c.table, Math.max(topRank.get(c.table) ?? 0, c.raw));
  const global = globalScorer(candidates, terms);
  // A word match must include a word about the subject, not only a table name or a framing word
  // ("customers complaining about late deliveries": a delivery "handed to customer" is no answer).
  const core = terms.map((t) => t.core);
  const aboutSubject = (c: Candidate, matched: readonly Term[]): boolean => {
    if (!core.includes(true)) return true;
    if (c.terms) return c.terms.m.some((m, i) => m === 1 && core[i]);
    // Full text: judged by the words our patterns see (none seen: the server's stemmer matched, keep it).
    return c.via !== 'fulltext' || matched.length === 0 || matched.some((t) => t.core);
  };
  const best = new Map<string, Ranked>();
  candidates.forEach((c, order) => {
    const matched = matchedTerms(c, terms);
    if (!aboutSubject(c, matched)) return;
    let score: number;
    // Among entities (and among related rows), the one the rest of the query describes better
    // first: "Léa Wagner, head of finance" is the employee with that title, not a namesake customer.
    if (c.via === 'lookup') score = ENTITY_SCORE + TIE_BREAK * coverage(matched, terms, namesTableOf(c));
    else if (c.via === 'related') score = RELATED_SCORE + TIE_BREAK * coverage(matched, terms, namesTableOf(c)) - order * 1e-4;
    else if (c.via === 'fulltext')
      score =
        (1 - FULL_TEXT_RANK_SHARE) * coverage(matched, terms, namesTableOf(c)) +
        FULL_TEXT_RANK_SHARE * (c.raw / (topRank.get(c.table) || 1));
    else score = global(c) ?? c.raw / c.best;
    const k = keyOf(c);
    const seen = best.get(k);
    if (!seen || seen.score < score) best.set(k, { candidate: c, score, matched });
  });
  return [...best.values()].sort((a, b) => b.score - a.score);
}
type SearchTableKey = Candidate['table'];

export interface Scored {
  item: SearchResultItem;
  score: number;
  /** A table document whose names and descriptions hold every word of the query. */
  describes?: boolean;
  /** A table a word of the query names by the table's own name. */
  named?: boolean;
}

/** Added to table scores when the query asks where data lives: every table before any row. */
export const TABLE_INTENT_BONUS = 10;

/**
 * Rows and table documents in one list, by score on one scale: a row's normalised relevance, a
 * table's share of the query words its names and descriptions match. When the query asks where
 * data lives the tables come first; otherwise a table comes before rows that match less of the
 * query than it does ("product catalogue with SKU, price and category" describes a table).
 * The first `shown` tables are always within the first `firstPage` results (by default the whole
 * list), last there if rows outscore them.
 */
export function interleave(
  rows: readonly Scored[],
  tables: readonly Scored[],
  intent: Intent,
  max: number,
  shown = TABLES_ALWAYS_SHOWN,
  firstPage = max,
): SearchResultItem[] {
  const bonus = intent === 'tables' ? TABLE_INTENT_BONUS : 0;
  const all = [...tables.map((t) => ({ ...t, score: t.score + bonus, table: 0 })), ...rows.map((r) => ({ ...r, table: 1 }))];
  // Stable: ties keep tables before rows and each list's own order.
  const merged = all.sort((a, b) => b.score - a.score || a.table - b.table);
  const limit = Math.max(1, max);
  const page = Math.max(1, Math.min(limit, firstPage));
  // The best tables are always offered (they answer "where is this kept"): within the first page,
  // at its end if rows outscore them; the rows they displace follow.
  const missing = tables.slice(0, shown).filter((t) => !merged.slice(0, page).some((o) => o.item === t.item));
  if (missing.length === 0 || page <= missing.length) return merged.slice(0, limit).map((s) => s.item);
  const rest = merged.filter((o) => !missing.some((t) => t.item === o.item));
  return [...rest.slice(0, page - missing.length), ...missing, ...rest.slice(page - missing.length)].slice(0, limit).map((s) => s.item);
}

/** Results an agent reads first (the evaluation's top 10): where a query describing tables gets them. */
export const FIRST_PAGE = 10;

/** Table documents a search always shows, when it has them. */
export const TABLES_ALWAYS_SHOWN = 2;
