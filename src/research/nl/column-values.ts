import type { Catalog, Db } from '../../db/types.ts';
import { quoteName, quotedTable } from '../identifiers.ts';
import type { SearchTable } from './pick-tables.ts';
import { coverage } from './rank-merge.ts';
import { matchesPatterns, wordPatterns } from './terms.ts';
import type { Term } from './understand.ts';

/**
 * Column statistics for retrieval: the distinct values of a text column that holds only a few
 * (order notes, refund reasons, drop-off points, statuses), read once per catalog. A table whose
 * searched columns all hold few values, none of which any query term can match, cannot answer and
 * is not scanned — on SQL Server a scan of a large table saved, on the sandbox (which evaluates
 * LIKE patterns row by row) most of a search's time.
 */

/** A column with more distinct values than this is "many": its table is always scanned. */
export const FEW_VALUES = 200;
/** Columns declared longer than this (or max) are prose: never read for their values. */
const VALUE_CHARS = 4_000;

/** Per table: the distinct values of each searched column, or undefined when some column holds many. */
export type Vocabulary = ReadonlyArray<readonly string[]> | undefined;

const cache = new WeakMap<Catalog, Map<string, Promise<Vocabulary>>>();

function readVocabulary(db: Db, s: SearchTable, timeoutMs: number, signal?: AbortSignal): Promise<Vocabulary> {
  const table = s.table;
  const columns = s.textColumns.map((name) => table.columns.find((c) => c.name === name));
  if (columns.length === 0 || columns.some((c) => !c || c.maxLength === undefined || c.maxLength === -1 || c.maxLength > VALUE_CHARS))
    return Promise.resolve(undefined);
  const read = async (): Promise<Vocabulary> => {
    const out: string[][] = [];
    for (const c of columns) {
      const name = quoteName(c?.name ?? '');
      const r = await db.query(`SELECT DISTINCT TOP (${FEW_VALUES + 1}) ${name} FROM ${quotedTable(table)} WHERE ${name} IS NOT NULL`, [], {
        maxRows: FEW_VALUES + 1,
        timeoutMs,
        ...(signal ? { signal } : {}),
      });
      if (r.rows.length > FEW_VALUES) return undefined;
      out.push(r.rows.map((row) => String(row[0] ?? '')));
    }
    return out;
  };
  return read();
}

/**
 * The vocabulary of each table (read on first use, cached with the catalog; a failed or timed-out
 * read is forgotten, so the table is scanned and asked again next time).
 */
export async function vocabularies(
  db: Db,
  catalog: Catalog,
  tables: readonly SearchTable[],
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Map<SearchTable, Vocabulary>> {
  let known = cache.get(catalog);
  if (!known) cache.set(catalog, (known = new Map()));
  const map = known;
  const out = new Map<SearchTable, Vocabulary>();
  await Promise.all(
    tables.map(async (s) => {
      const key = `${s.table.schema}.${s.table.name}`;
      let found = map.get(key);
      if (!found) {
        found = readVocabulary(db, s, timeoutMs, signal);
        map.set(key, found);
        found.catch(() => map.delete(key));
      }
      out.set(s, await found.catch(() => undefined));
    }),
  );
  return out;
}

/**
 * Whether any term can match a row whose columns hold these values. A phrase may span columns, so
 * it counts as possible when each of its words matches some value.
 */
export function canMatch(vocabulary: Vocabulary, terms: readonly Term[]): boolean {
  if (!vocabulary) return true;
  const values = vocabulary.flat();
  const any = (patterns: readonly string[]): boolean => values.some((v) => matchesPatterns(v, patterns));
  return terms.some((t) => any(t.patterns) || (t.words.length > 1 && t.words.every((w) => any(wordPatterns(w)))));
}

/**
 * The largest share of the user's words (coverage, rank-merge.ts) a row of this table can cover,
 * judged on its column values: every term some value matches, and a word naming the table. 1 when
 * the vocabulary is unknown. A table whose best row would cover less than MIN_SCAN_COVERAGE — one
 * synonym of one word among several, say — would rank below what the other tables find: not scanned.
 */
export function bestCoverage(s: SearchTable, vocabulary: Vocabulary, terms: readonly Term[]): number {
  if (!vocabulary) return 1;
  const matched = terms.filter((t) => canMatch(vocabulary, [t]));
  return coverage(matched, terms, (t) => t.source === 'query' && !t.core && s.namedBy.includes(t.words[0] ?? ''));
}

export const MIN_SCAN_COVERAGE = 1 / 3;

/** A restriction to rows holding one of these values in one of these columns. */
export type ValueFilter = ReadonlyArray<{ column: string; values: readonly string[] }>;

/** Parameters a value filter may use at most (SQL Server accepts 2 100 per request). */
export const MAX_FILTER_VALUES = 200;

/**
 * The values of each column that some term (or, for a phrase, some word of it) matches: every row
 * a term matches holds one of them, so the scan can be limited to those rows without changing a
 * single score (document frequencies are counted over matching rows only). Undefined when the
 * vocabulary is unknown or too many values match to be worth it.
 */
export function valueFilter(s: SearchTable, vocabulary: Vocabulary, terms: readonly Term[]): ValueFilter | undefined {
  if (!vocabulary) return undefined;
  // A phrase's words may sit in different columns, but all of them must be there somewhere:
  // "send back" does not make "Back porch" a candidate when no value says "send".
  const all = vocabulary.flat();
  const spread = (t: Term): boolean => t.words.every((w) => all.some((v) => matchesPatterns(v, wordPatterns(w))));
  const patterns = terms.flatMap((t) =>
    t.words.length > 1 && spread(t) ? [t.patterns, ...t.words.map((w) => wordPatterns(w))] : [t.patterns],
  );
  const filter = s.textColumns.map((column, i) => ({
    column,
    values: (vocabulary[i] ?? []).filter((v) => patterns.some((p) => matchesPatterns(v, p))),
  }));
  const used = filter.filter((f) => f.values.length > 0);
  const count = used.reduce((n, f) => n + f.values.length, 0);
  return count > 0 && count <= MAX_FILTER_VALUES ? used : undefined;
}
