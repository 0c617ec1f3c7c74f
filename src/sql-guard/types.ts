/** Stable refusal codes; callers may switch on them and clients see them in `structuredContent`. */
export type GuardCode = 'READ_ONLY_VIOLATION' | 'SQL_PARSE_ERROR' | 'SQL_TOO_LONG' | 'OBJECT_NOT_ALLOWED';

export interface GuardPolicy {
  /** Longest SQL text accepted, in characters; longer text is refused before parsing. */
  maxLength: number;
  /** Rows the caller wants at most; the accepted SQL asks the server for `rowCap + 1` so truncation shows. */
  rowCap: number;
  /** Schemas no query may touch (case-insensitive). */
  denySchemas: readonly string[];
  /** Tables or views no query may touch: `schema.name` or `name` (case-insensitive). */
  denyTables: readonly string[];
  /** When set, the only tables or views a query may touch: `schema.name` (case-insensitive). */
  allowTables?: readonly string[] | undefined;
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
