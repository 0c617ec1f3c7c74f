/** Stable refusal codes; callers may switch on them and clients see them in `structuredContent`. */
export type GuardCode = 'READ_ONLY_VIOLATION' | 'SQL_PARSE_ERROR' | 'SQL_TOO_LONG' | 'OBJECT_NOT_ALLOWED';

export interface GuardPolicy {
  /** Longest SQL text accepted, in characters; longer text is refused before parsing. */
  maxLength: number;
  /** Rows the caller wants at most; the accepted SQL asks the server for `rowCap + 1` so truncation shows. */
  rowCap: number;
  /**
   * Largest memory grant a query may ask for, in percent of the server's limit: every accepted query
   * runs with `OPTION (MAX_GRANT_PERCENT = n)` (a caller's own lower value is kept, a higher one
   * refused). Undefined: no cap is added and MAX_GRANT_PERCENT is refused like other query hints.
   */
  maxGrantPercent?: number | undefined;
  /** Schemas no query may touch (case-insensitive). */
  denySchemas: readonly string[];
  /** Tables or views no query may touch: `schema.name` or `name` (case-insensitive). */
  denyTables: readonly string[];
  /** When set, the only tables or views a query may touch: `schema.name` (case-insensitive). */
  allowTables?: readonly string[] | undefined;
}

/** The server-side name resolution that must precede an accepted query (see `GuardVerdict`). */
export interface GuardCheck {
  sql: string;
  params: { name: string; value: string | null }[];
  /** How each checked object was written in the query, for messages. */
  references: string[];
}

export interface GuardPosition {
  line: number;
  column: number;
}

export type GuardVerdict =
  | {
      ok: true;
      /** The SQL to execute: one SELECT whose outermost query returns at most `rowCap + 1` rows. */
      sql: string;
      /** The objects the query reads, as `schema.name` (lower case). */
      tables: string[];
      /**
       * T-SQL to run first in the same batch (inside the transaction, before `sql`): it resolves
       * every object the guard judged through the server's own name resolution and raises error
       * 51701–51704 (state = 1-based index into `references`) when a name resolves to a different
       * object than the one judged (or to a synonym, under a deny or allow list). Its parameters are `nvarchar`; absent when nothing is named.
       */
      check?: GuardCheck;
    }
  | {
      ok: false;
      code: GuardCode;
      /** What was refused and why, written so a language model can rephrase its query. */
      reason: string;
      hint?: string;
      position?: GuardPosition;
    };

export interface Guard {
  /** Classifies one piece of SQL. Never throws: anything it cannot prove read-only is refused. */
  check(sql: string): GuardVerdict;
  /** Whether configuration lets tools read this table or view at all (describe, sample, fetch). */
  allowsTable(schema: string, name: string): boolean;
}
