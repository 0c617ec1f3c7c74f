import { DbError } from '../../db/errors.ts';
import type { Catalog, Db, QueryResult, ResultColumn } from '../../db/types.ts';
import { mapLimited, type Budget } from '../budget.ts';
import { qualifiedName } from '../identifiers.ts';
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

/** The queries of one search: per table, a lookup of the identifiers and a ranked word search. */
export function plan(u: Understanding, tables: readonly SearchTable[], fullText: ReadonlySet<string>, top: number): Job[] {
  const jobs: Job[] = [];
  for (const t of tables) {
    // A number is looked up where the word before it names the table ("order 6351"), or everywhere when no word does.
    const ids = u.identifiers.filter((id) => id.kind !== 'number' || !id.before || t.headNamedBy.includes(id.before) || !tables.some((o) => o.headNamedBy.includes(id.before ?? '')));
    const l = ids.length > 0 ? lookup(t, ids, Math.min(top, 5)) : undefined;
    if (l) jobs.push({ table: t, via: 'lookup', query: l });
    if (u.terms.length === 0 || t.textColumns.length === 0) continue;
    const ft = fullText.has(qualifiedName(t.table).toLowerCase()) ? fullTextSearch(t, u.terms, top) : undefined;
    jobs.push(ft ? { table: t, via: 'fulltext', query: ft } : { table: t, via: 'text', query: rankedSearch(t, u.terms, top) });
  }
  return jobs;
}

function toCandidates(job: Job, result: QueryResult): Candidate[] {
  const si = result.columns.findIndex((c) => c.name === SCORE);
  const bi = result.columns.findIndex((c) => c.name === BEST);
  const keep = result.columns.filter((c) => c.name !== SCORE && c.name !== BEST);
  return result.rows.map((row) => ({
    table: job.table,
    columns: keep,
    row: row.filter((_, i) => i !== si && i !== bi),
    raw: Number(row[si] ?? 0),
    best: Number(row[bi] ?? 1) || 1,
    via: job.via,
  }));
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
