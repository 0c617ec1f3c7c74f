import type { SessionIdentity } from '../db/session-context.ts';
/** What `search` and `fetch` return: the exact Deep Research contract. */
export interface SearchResultItem {
  id: string;
  title: string;
  /** Absolute, non-empty: `<public base>/records/<id>`, so ChatGPT can cite it. */
  url: string;
  /** A short snippet. */
  text?: string;
}

export interface SearchOutput {
  results: SearchResultItem[];
  truncated?: boolean;
}

export interface FetchOutput {
  id: string;
  title: string;
  text: string;
  url: string;
  metadata: Record<string, unknown>;
}

/** Stable codes of tool errors, in `structuredContent.error.code`. */
export type ResearchErrorCode =
  | 'READ_ONLY_VIOLATION'
  | 'SQL_PARSE_ERROR'
  | 'SQL_TOO_LONG'
  | 'OBJECT_NOT_ALLOWED'
  | 'INVALID_INPUT'
  | 'NOT_FOUND'
  | 'QUERY_TIMEOUT'
  | 'QUERY_FAILED'
  | 'RESULT_TOO_LARGE'
  /** The result has `xml` columns the connector does not read (the message names them and the CAST to write). */
  | 'XML_NOT_BOUNDED'
  | 'BUSY'
  | 'DB_UNAVAILABLE'
  /** The shared state store (Redis) holding cached result sets did not answer. */
  | 'STATE_UNAVAILABLE';

export type Outcome<T> =
  | { ok: true; value: T; stats: CallStats }
  | { ok: false; code: ResearchErrorCode; message: string; stats: CallStats };

/** What the tool-call log line needs to know (never the SQL itself, never values). */
export interface CallStats {
  /** search form: list_tables, describe, sample, sql, natural_language; fetch: table, row, result, result_row. */
  form: string;
  rows: number;
  bytes: number;
  durationMs: number;
  truncated?: boolean;
}

export interface ResearchContext {
  /** Scopes cached result ids to the caller. */
  principal: string;
  /**
   * The caller is an operator's signed-in browser (the `/records/<id>` page), a person trusted with
   * the whole database: cached result ids (`result:…`, `resultrow:…`) open whichever principal
   * produced them. Honoured only for cached ids; never set on behalf of an MCP client.
   */
  operatorView?: boolean;
  /** Public base including the environment prefix, no trailing slash, e.g. `https://data.example.com/chatgpt`. */
  publicBase: string;
  signal?: AbortSignal;
  /** Who the queries run for in SQL Server (`SESSION_CONTEXT`, when MSSQL_SESSION_CONTEXT is on). */
  identity?: SessionIdentity | undefined;
}

export interface Research {
  search(query: string, ctx: ResearchContext): Promise<Outcome<SearchOutput>>;
  fetch(id: string, ctx: ResearchContext): Promise<Outcome<FetchOutput>>;
  /** The MCP server's `instructions`: what the database holds and how to phrase searches. */
  instructions(): Promise<string>;
}
