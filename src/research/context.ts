import type { Cache } from '../cache/types.ts';
import type { Db, ResultColumn } from '../db/types.ts';
import type { Guard } from '../sql-guard/types.ts';
import type { Thesaurus } from './nl/thesaurus.ts';

export interface ResearchLimits {
  /** Rows per result set and results per search at most (`MAX_SEARCH_RESULTS`). */
  maxResults: number;
  /** Bytes of a tool result's JSON at most; larger output is shrunk, and says so. */
  maxResultBytes: number;
  /** Per-query timeout, cancelled on the server (`QUERY_TIMEOUT_MS`). */
  queryTimeoutMs: number;
  /**
   * Wall-clock budget of one whole natural-language search (all its table scans together), capped
   * by `queryTimeoutMs`; default `NL_SEARCH_BUDGET_MS` (10 s), well inside the ~60 s a ChatGPT
   * tool call is given, since Deep Research issues many searches. When it runs out the search
   * answers with what it found and `truncated: true`.
   */
  searchBudgetMs?: number | undefined;
  /** Table scans of one natural-language search in flight at once (default 3; each takes a `Db` slot). */
  scanConcurrency?: number | undefined;
}

/** A result set kept for `fetch(result:…)` and `fetch(resultrow:…)`, scoped to the caller. */
export interface CachedResult {
  /** What produced it: the guard-approved SQL, or a description for generated queries. */
  source: string;
  form: 'sql' | 'sample' | 'natural_language';
  columns: ResultColumn[];
  rows: unknown[][];
  truncated: boolean;
  /** Tables read, `schema.name`. */
  tables: string[];
  createdAt: number;
}

export interface ResearchDeps {
  db: Db;
  guard: Guard;
  cache: Cache<CachedResult>;
  limits: ResearchLimits;
  now?: (() => number) | undefined;
  /** Synonyms for natural-language search; the built-in business vocabulary when absent (`SEARCH_THESAURUS` adds to it). */
  thesaurus?: Thesaurus | undefined;
  /** Ids for cached result sets; tests may pass a deterministic one. */
  uuid?: (() => string) | undefined;
}
