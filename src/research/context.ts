import type { Cache } from '../cache/types.ts';
import type { Db, ResultColumn } from '../db/types.ts';
import type { Guard } from '../sql-guard/types.ts';

export interface ResearchLimits {
  /** Rows per result set and results per search at most (`MAX_SEARCH_RESULTS`). */
  maxResults: number;
  /** Bytes of a tool result's JSON at most; larger output is shrunk, and says so. */
  maxResultBytes: number;
  /** Per-query timeout, cancelled on the server (`QUERY_TIMEOUT_MS`). */
  queryTimeoutMs: number;
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
  /** Ids for cached result sets; tests may pass a deterministic one. */
  uuid?: (() => string) | undefined;
}
