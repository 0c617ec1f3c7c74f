import type { SearchResultItem } from '../types.ts';
import type { Candidate } from './retrieve.ts';
import { matchesPatterns } from './terms.ts';
import type { Intent, Term } from './understand.ts';

/**
 * Stage 4: one ranked list. Scores from different tables and paths are put on one scale:
 * an exact lookup (the entity the query names) first, then the rows related to it, then word
 * matches by normalised relevance — for the ranked LIKE search with IDF over all tables searched
 * (globalScorer), and for full-text
 * rows half the RANK relative to the table's best, half the share of the user's words matched.
 */
export interface Ranked {
  candidate: Candidate;
  score: number;
  /** Terms found in the row's text columns. */
  matched: Term[];
}

export const ENTITY_SCORE = 3;
export const RELATED_SCORE = 2;

/** The terms a row's text columns match (the same patterns the database used). */
export function matchedTerms(c: Candidate, terms: readonly Term[]): Term[] {
  const text = c.table.textColumns
    .map((name) => c.row[c.columns.findIndex((col) => col.name === name)])
    .filter((v): v is string => typeof v === 'string')
    .join(' \n ');
  return text ? terms.filter((t) => matchesPatterns(text, t.patterns)) : [];
}

/** Share of the query's weight a row's matches carry (user words 1, synonyms less), 0…1. */
export function coverage(matched: readonly Term[], terms: readonly Term[]): number {
  const total = terms.filter((t) => t.source === 'query').reduce((n, t) => n + t.weight, 0);
  if (total === 0) return 0;
  return Math.min(1, matched.reduce((n, t) => n + t.weight, 0) / total);
}

const keyOf = (c: Candidate): string => {
  const key = c.table.table.primaryKey.map((k) => c.row[c.columns.findIndex((col) => col.name === k)]);
  return `${c.table.table.schema}.${c.table.table.name}\u0000${JSON.stringify(key.length > 0 ? key : c.row)}`;
};

/**
 * Scores of ranked LIKE rows with IDF over every table searched, not just the row's own: a word
 * that is rare in one small table but everywhere else weighs what it weighs in the database.
 * score = Σ weight · idf · (match + ½ · title match) ÷ Σ over user words of weight · idf · 1.5.
 */
export function globalScorer(candidates: readonly Candidate[], terms: readonly Term[]): (c: Candidate) => number | undefined {
  const tables = new Map<Candidate['table'], number[]>();
  for (const c of candidates) if (c.via === 'text' && c.terms && !tables.has(c.table)) tables.set(c.table, c.terms.d);
  const rows = [...tables.keys()].reduce((n, t) => n + Math.max(1, t.table.rowCount ?? 1_000), 0);
  const idf = terms.map((_, i) => {
    const df = [...tables.values()].reduce((n, d) => n + (d[i] ?? 0), 0);
    return Math.log10((rows + df + 1) / (df + 0.5));
  });
  const best = terms.reduce((n, t, i) => n + (t.source === 'query' ? t.weight * (idf[i] ?? 0) * 1.5 : 0), 0) || 1;
  return (c) => {
    if (c.via !== 'text' || !c.terms) return undefined;
    const { m, h } = c.terms;
    return terms.reduce((n, t, i) => n + t.weight * (idf[i] ?? 0) * ((m[i] ?? 0) + 0.5 * (h[i] ?? 0)), 0) / best;
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
    if (c.via === 'lookup') score = ENTITY_SCORE;
    else if (c.via === 'related') score = RELATED_SCORE - order * 1e-4;
    else if (c.via === 'fulltext') score = 0.5 * (c.raw / (topRank.get(c.table) || 1)) + 0.5 * coverage(matched, terms);
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
}

/** Added to table scores when the query asks where data lives: every table before any row. */
export const TABLE_INTENT_BONUS = 10;

/**
 * Rows and table documents in one list, by score on one scale: a row's normalised relevance, a
 * table's share of the query words its names and descriptions match. When the query asks where
 * data lives the tables come first; otherwise a table comes before rows that match less of the
 * query than it does ("product catalogue with SKU, price and category" describes a table).
 */
export function interleave(rows: readonly Scored[], tables: readonly Scored[], intent: Intent, max: number): SearchResultItem[] {
  const bonus = intent === 'tables' ? TABLE_INTENT_BONUS : 0;
  const all = [...tables.map((t) => ({ ...t, score: t.score + bonus, table: 0 })), ...rows.map((r) => ({ ...r, table: 1 }))];
  // Stable: ties keep tables before rows and each list's own order.
  const merged = all.sort((a, b) => b.score - a.score || a.table - b.table);
  const limit = Math.max(1, max);
  const out = merged.slice(0, limit);
  // The best tables are always offered (they answer "where is this kept"), last if rows outscore them.
  const missing = tables.slice(0, TABLES_ALWAYS_SHOWN).filter((t) => !out.some((o) => o.item === t.item));
  if (missing.length > 0 && limit > missing.length)
    out.splice(limit - missing.length, missing.length, ...missing.map((t) => ({ ...t, table: 0 })));
  return out.map((s) => s.item);
}

/** Table documents a search always shows, when it has them. */
export const TABLES_ALWAYS_SHOWN = 2;
