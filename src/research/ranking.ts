import type { Catalog, CatalogTable } from '../db/types.ts';
import { stemOf } from './nl/terms.ts';
import { identifierWords, queryWords, sameRoot, usSpelling } from './words.ts';

export interface TableMatch {
  table: CatalogTable;
  score: number;
  /** Columns whose name or description matched a word. */
  columns: string[];
  /** Query words that matched something in this table's names or descriptions. */
  words: string[];
  /** Query words that matched a table, schema or column name: they say where to look, not what to find. */
  nameWords: string[];
  /** Query words that matched the table's own name (or "view" for a view): they name this table. */
  tableWords: string[];
  /** Each query word's rarity among the tables (shared by every match of one ranking). */
  weights: ReadonlyMap<string, number>;
}

/** Where a word matches: the head noun of the table's name ("tickets" of SupportTickets) weighs most, its other words ("support") less. */
const WEIGHTS = { tableHead: 6, tableName: 5, schemaName: 1, tableDescription: 2, columnName: 3, columnDescription: 1 };

/** Abbreviations common in column and table names, and the word each stands for. */
const ABBREVIATIONS: Readonly<Record<string, string>> = {
  avg: 'average',
  qty: 'quantity',
  amt: 'amount',
  num: 'number',
  nbr: 'number',
  cnt: 'count',
  pct: 'percent',
  desc: 'description',
  addr: 'address',
  dept: 'department',
  emp: 'employee',
  mgr: 'manager',
  cust: 'customer',
  prod: 'product',
  txn: 'transaction',
  inv: 'invoice',
  msg: 'message',
  tel: 'telephone',
  dob: 'birth',
  org: 'organisation',
  ref: 'reference',
  hr: 'human resources',
};

/** Short words of names that are no acronym of the query ("item description" is not the key column "ID"). */
const NOT_ACRONYMS = new Set(['id', 'no', 'nr', 'at', 'by', 'is', 'on', 'of', 'to', 'in', 'dt', 'ts', 'vw']);

/** The words of an identifier, abbreviations spelled out too: `AvgRating` → avg, average, rating. */
export function spelledOut(name: string): string[] {
  return identifierWords(name).flatMap((w) => [w, ...(ABBREVIATIONS[w]?.split(' ') ?? [])]);
}

/**
 * Acronyms the query spells out ("human resources" → hr, "stock keeping unit" → sku), each with the
 * words it stands for: when a name holds the acronym, those words match it.
 */
function acronyms(words: readonly string[]): Array<{ acronym: string; words: string[] }> {
  const out: Array<{ acronym: string; words: string[] }> = [];
  for (let n = 2; n <= 4; n++)
    for (let i = 0; i + n <= words.length; i++) {
      const run = words.slice(i, i + n);
      out.push({ acronym: run.map((w) => w[0] ?? '').join(''), words: run });
    }
  return out;
}

/** Same root by the crude suffix rule or by the English (Porter) stem, in either spelling: "cancellation" meets "cancelled", "approver" "approved", "centre" "Center". */
const sameWord = (a: string, b: string): boolean => sameRoot(a, b) || stemOf(usSpelling(a)) === stemOf(usSpelling(b));
const matchesAny = (words: readonly string[], candidates: readonly string[]): string[] =>
  words.filter((w) => candidates.some((c) => sameWord(w, c)));

/**
 * Ranks tables and views for natural-language words by where they match, BM25-like: each word
 * counts once per table, by the best place it matches — the table's own name weighs most, then
 * column names, then `MS_Description` texts — a little more when it matches in several places (saturating as in BM25), and
 * times its rarity among the tables the configuration shows (a word every table mentions, such as
 * "date", says little) and its `factor` (synonyms less than the user's words). Tables without any
 * match are left out. Ties keep catalog order. Pure.
 */
export function rankTables(
  catalog: Catalog,
  words: readonly string[],
  allows: (t: CatalogTable) => boolean,
  factor: (word: string) => number = () => 1,
): TableMatch[] {
  const found: Array<{
    table: CatalogTable;
    best: Map<string, number>;
    places: Map<string, number>;
    columns: string[];
    nameWords: Set<string>;
    tableWords: string[];
  }> = [];
  const visible = catalog.tables.filter(allows);
  for (const table of visible) {
    const best = new Map<string, number>();
    const places = new Map<string, number>();
    const nameWords = new Set<string>();
    const columns: string[] = [];
    const add = (hits: string[], weight: number, byName = false): boolean => {
      for (const h of hits) {
        best.set(h, Math.max(best.get(h) ?? 0, weight));
        places.set(h, (places.get(h) ?? 0) + 1);
        if (byName) nameWords.add(h);
      }
      return hits.length > 0;
    };
    // Words of a name, and the query words an acronym in it stands for ("hr" for "human resources").
    const inName = (name: string): string[] => {
      const parts = spelledOut(name);
      const spelled = acronyms(words).filter((a) => parts.includes(a.acronym) && !NOT_ACRONYMS.has(a.acronym));
      return [...new Set([...matchesAny(words, parts), ...spelled.flatMap((a) => a.words)])];
    };
    const own = identifierWords(table.name);
    const head = matchesAny(words, own.slice(-1));
    // "which view lists active employees": a view is named by the word, whatever its own name.
    const rest = [...inName(table.name), ...(table.kind === 'view' ? matchesAny(words, ['view']) : [])].filter((w) => !head.includes(w));
    add(head, WEIGHTS.tableHead, true);
    add(rest, WEIGHTS.tableName, true);
    const tableWords = [...head, ...rest];
    add(inName(table.schema), WEIGHTS.schemaName, true);
    if (table.description) add(matchesAny(words, queryWords(table.description, 200)), WEIGHTS.tableDescription);
    for (const column of table.columns) {
      const byName = add(inName(column.name), WEIGHTS.columnName, true);
      const byDescription = column.description
        ? add(matchesAny(words, queryWords(column.description, 200)), WEIGHTS.columnDescription)
        : false;
      if (byName || byDescription) columns.push(column.name);
    }
    if (best.size > 0) found.push({ table, best, places, columns, nameWords, tableWords });
  }
  const weights = wordRarity(
    words,
    found.map((f) => f.best),
    visible.length,
  );
  const matches = found.map(({ table, best, places, columns, nameWords, tableWords }) => {
    let score = 0;
    for (const [w, b] of best) score += factor(w) * (weights.get(w) ?? 1) * b * saturated(places.get(w) ?? 1);
    return { table, score, columns, words: [...best.keys()], nameWords: [...nameWords], tableWords, weights };
  });
  return matches.sort((a, b) => b.score - a.score);
}

/** BM25's term-frequency saturation (k1 = 1.2): a word matching in 2 places counts 1.38×, in 3 places 1.57×, never 2.2×. */
const saturated = (places: number): number => (places * 2.2) / (places + 1.2);

/** Per word: ln(1 + tables ÷ tables it matches), the inverse document frequency over tables. */
function wordRarity(words: readonly string[], perTable: ReadonlyArray<ReadonlyMap<string, number>>, tables: number): Map<string, number> {
  return new Map(words.map((w) => [w, Math.log(1 + Math.max(1, tables) / Math.max(1, perTable.filter((m) => m.has(w)).length))]));
}
