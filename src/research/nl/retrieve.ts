import { DbError } from '../../db/errors.ts';
import type { Catalog, Db, QueryResult, ResultColumn } from '../../db/types.ts';
import { mapLimited, type Budget } from '../budget.ts';
import { qualifiedName } from '../identifiers.ts';
import { bestCoverage, canMatch, MIN_SCAN_COVERAGE, valueFilter, type Vocabulary } from './column-values.ts';
import type { SearchTable } from './pick-tables.ts';
import { BEST, FULL_TEXT_TABLES_SQL, fullTextSearch, lookup, rankedSearch, SCORE, type BuiltQuery } from './retrieve-sql.ts';
import type { Understanding } from './understand.ts';

/**
 * Stage 3b: run the retrieval queries, every table concurrently (within the scan concurrency) and
 * inside the time budget. A table with a full-text index is searched with FREETEXTTABLE, any
 * other with the ranked LIKE search; identifiers are looked up exactly. Whatever the budget cuts
 * makes the answer partial; a failure other than a timeout is kept to report when nothing was found.
 */
export interface Candidate {
  table: SearchTable;
  columns: ResultColumn[];
  row: unknown[];
  /** The database's score and its maximum for this table (text), or 1/1 (lookups). */
  raw: number;
  best: number;
  via: 'text' | 'fulltext' | 'lookup' | 'related';
  /** Ranked LIKE search only: per term, matched (0/1), matched in a title (0/1), rows of the table matching it. */
  terms?: { m: number[]; h: number[]; d: number[] } | undefined;
}

export interface Retrieved {
  candidates: Candidate[];
  partial: boolean;
  failure?: DbError | undefined;
}

/** Tables with a full-text index, read once per catalog; none when the server has no Full-Text Search. */
const fullTextCache = new WeakMap<Catalog, Promise<Set<string>>>();
export function fullTextTables(db: Db, catalog: Catalog, timeoutMs: number): Promise<Set<string>> {
  let found = fullTextCache.get(catalog);
  if (!found) {
    found = db.query(FULL_TEXT_TABLES_SQL, [], { maxRows: 10_000, timeoutMs }).then(
      (r) => new Set(r.rows.map((row) => `${String(row[0])}.${String(row[1])}`.toLowerCase())),
      () => new Set<string>(),
    );
    fullTextCache.set(catalog, found);
  }
  return found;
}

interface Job {
  table: SearchTable;
  via: Candidate['via'];
  query: BuiltQuery;
}

/**
 * The queries of one search, cheapest and likeliest first, so a budget that runs out cuts the
 * least: exact lookups (indexed keys, short columns), then word searches — full-text tables, then
 * tables with prose (where what people wrote lives), then tables a query word names, then the rest.
 * A table without a full-text index whose column values no term matches (column-values.ts) is not
 * scanned, and one whose values some term matches is scanned for the rows holding them only.
 */
export function plan(
  u: Understanding,
  tables: readonly SearchTable[],
  fullText: ReadonlySet<string>,
  top: number,
  values: ReadonlyMap<SearchTable, Vocabulary> = new Map(),
): Job[] {
  const lookups: Job[] = [];
  const searches: Array<Job & { rank: number }> = [];
  // Rank-merge keeps only rows matching a word about the subject: only those rows need scanning.
  const subject = u.terms.some((t) => t.core) ? u.terms.filter((t) => t.core) : u.terms;
  for (const t of tables) {
    // A number is looked up where the word before it names the table ("order 6351"), or everywhere when no word does.
    const ids = u.identifiers.filter(
      (id) =>
        id.kind !== 'number' ||
        !id.before ||
        t.headNamedBy.includes(id.before) ||
        !tables.some((o) => o.headNamedBy.includes(id.before ?? '')),
    );
    const l = ids.length > 0 ? lookup(t, ids, Math.min(top, 5)) : undefined;
    if (l) lookups.push({ table: t, via: 'lookup', query: l });
    if (u.terms.length === 0 || t.textColumns.length === 0) continue;
    const ft = fullText.has(qualifiedName(t.table).toLowerCase()) ? fullTextSearch(t, u.terms, top) : undefined;
    if (!ft && (!canMatch(values.get(t), subject) || bestCoverage(t, values.get(t), u.terms) < MIN_SCAN_COVERAGE)) continue;
    const prose = t.table.columns.some((c) => t.textColumns.includes(c.name) && (c.maxLength === -1 || (c.maxLength ?? 0) >= PROSE_LENGTH));
    const rank = ft ? 0 : prose ? 1 : t.namedBy.length > 0 ? 2 : 3;
    searches.push(
      ft
        ? { table: t, via: 'fulltext', query: ft, rank }
        : { table: t, via: 'text', query: rankedSearch(t, u.terms, top, valueFilter(t, values.get(t), subject)), rank },
    );
  }
  // Stable: within a rank, the order of pickTables (named tables, then more text).
  return [...lookups, ...searches.sort((a, b) => a.rank - b.rank).map(({ rank: _, ...job }) => job)];
}

/** Text columns at least this long (or max) hold prose: messages, reviews, descriptions. */
export const PROSE_LENGTH = 500;

const TERM_COLUMN = /^__([mhd])(\d+)$/;

function toCandidates(job: Job, result: QueryResult): Candidate[] {
  const si = result.columns.findIndex((c) => c.name === SCORE);
  const bi = result.columns.findIndex((c) => c.name === BEST);
  const extra = (i: number): boolean => i === si || i === bi || TERM_COLUMN.test(result.columns[i]?.name ?? '');
  const keep = result.columns.filter((_, i) => !extra(i));
  const termColumns = result.columns.map((c, i) => ({ match: TERM_COLUMN.exec(c.name), i })).filter((x) => x.match);
  return result.rows.map((row) => {
    const terms = termColumns.length > 0 ? { m: [] as number[], h: [] as number[], d: [] as number[] } : undefined;
    for (const { match, i } of termColumns) if (terms && match) terms[match[1] as 'm' | 'h' | 'd'][Number(match[2])] = Number(row[i] ?? 0);
    return {
      table: job.table,
      columns: keep,
      row: row.filter((_, i) => !extra(i)),
      raw: Number(row[si] ?? 0),
      best: Number(row[bi] ?? 1) || 1,
      via: job.via,
      terms,
    };
  });
}

/** Runs jobs within the budget; results in job order. */
export async function runJobs(db: Db, jobs: readonly Job[], budget: Budget, concurrency: number, top: number): Promise<Retrieved> {
  const results = await mapLimited(jobs, concurrency, budget.expired, (job) =>
    budget.race(db.query(job.query.sql, job.query.params, { maxRows: top, timeoutMs: budget.remainingMs(), signal: budget.signal })),
  );
  const out: Retrieved = { candidates: [], partial: false };
  for (const [i, found] of results.entries()) {
    const job = jobs[i];
    if (!job) continue;
    if (!found || found instanceof DbError) {
      out.partial = true;
      if (found instanceof DbError && !budget.expired() && found.code !== 'QUERY_TIMEOUT' && found.code !== 'BUSY') out.failure ??= found;
      continue;
    }
    out.candidates.push(...toCandidates(job, found));
  }
  return out;
}
