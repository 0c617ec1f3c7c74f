import type { Login, SqlType } from '../../backend.ts';
import type { FullTextInfo } from './fulltext-scope.ts';

/** A T-SQL variable's current value, as a PostgreSQL literal of its declared type. */
export interface Variable {
  /** PostgreSQL type used in casts (`integer`, `varchar(50)`, `text`…). */
  pgCast: string;
  /** Text representation of the value, or null. */
  value: string | null;
}

/** What the session knows while translating one statement. */
export interface TranslateContext {
  database: string;
  login: Login;
  spid: number;
  trancount: number;
  rowcount: number;
  lastError: number;
  lockTimeout: number;
  variables: Map<string, Variable>;
  /** Filled by the translator: result column names by position for the statement's main SELECT. */
  outputNames?: string[] | undefined;
  /**
   * Filled by the translator: SQL Server types of the main SELECT's columns that are a top-level
   * CAST/CONVERT (by position, undefined elsewhere); cleared when a set operator joins SELECTs.
   */
  outputTypes?: (SqlType | undefined)[] | undefined;
  /** Filled by the translator: every identifier spelling seen, by lower-case name. */
  spellings: Map<string, string>;
  /** Filled by the translator: `SELECT @v = …` targets, by output position. */
  assignTargets?: string[] | undefined;
  /** Filled by the translator: `FOR JSON`/`FOR XML` on the main SELECT. */
  forClause?: ForClause | undefined;
  /**
   * Filled by the translator: FOR JSON/XML subqueries used as values. Each is run first (after
   * `forPrefix`, the statement's WITH clause) and its document replaces `placeholder` in the SQL.
   */
  forSubqueries?: ForSubquery[];
  forPrefix?: string;
  /** Full-text indexes and the statement's tables, loaded before translating a statement that uses CONTAINS/FREETEXT. */
  fullText?: FullTextInfo | undefined;
  /** Filled by the translator: the SELECT … INTO target. */
  selectInto?: boolean;
  /** Set while an INSERT's source is emitted: its bare literals must stay untyped for the target columns. */
  insertSource?: boolean;
}

/** A `FOR JSON` / `FOR XML` clause as the sandbox formats it. */
export interface ForClause {
  kind: 'json' | 'xml';
  mode: string;
  root?: string | undefined;
  element?: string | undefined;
  withoutArrayWrapper?: boolean;
  includeNullValues?: boolean;
  /** `FOR XML …, TYPE`: the document is an xml value (as a subquery used as a value, an xml column). */
  type?: boolean;
}

/** The PostgreSQL type of a FOR JSON/XML document: xml (an xml column to drivers) for `FOR XML …, TYPE`, else text. */
export function docType(clause: ForClause): 'xml' | 'text' {
  return clause.kind === 'xml' && clause.type === true ? 'xml' : 'text';
}

/** A FOR JSON/XML subquery: its PostgreSQL query, its clause and its column names as SQL Server names them. */
export interface ForSubquery {
  placeholder: string;
  sql: string;
  clause: ForClause;
  names: string[] | undefined;
}

/** Postgres literal text for a string: standard_conforming_strings, quotes doubled, NULs dropped. */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll('\u0000', '').replaceAll("'", "''")}'`;
}

/** A lower-case quoted Postgres identifier: T-SQL names resolve case-insensitively. */
export function quoteIdent(name: string): string {
  return `"${name.toLowerCase().replaceAll('"', '""')}"`;
}

/** The login as SQL Server's USER_NAME() reports it: the owner maps to dbo. */
export function userName(login: Login): string {
  return login.role === 'owner' ? 'dbo' : login.user;
}
