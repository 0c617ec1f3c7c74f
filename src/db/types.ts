import type { SessionIdentity } from './session-context.ts';

/** Parameter types the connector's own parameterised queries use. */
export type DbParamType = 'int' | 'bigint' | 'bit' | 'decimal' | 'float' | 'nvarchar' | 'date' | 'datetime2' | 'uniqueidentifier';

export interface DbParam {
  name: string;
  type: DbParamType;
  value: string | number | bigint | boolean | Date | null;
}

export interface QueryOptions {
  /** Stop reading (and cancel the request) after this many rows; `truncated` tells. */
  maxRows: number;
  /** Cancel the request on the server after this long. */
  timeoutMs: number;
  signal?: AbortSignal;
  /**
   * The guard's name-resolution check (`GuardVerdict.check.sql`): runs in the same batch, inside
   * the transaction, right before `sql`; its parameters go in `params`. An error it raises is
   * `OBJECT_DENIED`.
   */
  check?: string | undefined;
  /**
   * Longest cell kept, in UTF-8 bytes: the server is told (`SET TEXTSIZE`) to send no more of a
   * large value than this bounds, and a longer cell is cut here with `CELL_TRUNCATED_MARKER`.
   */
  maxCellBytes?: number;
  /** Stop reading (and cancel) once the rows read hold this many bytes; `truncated` tells. */
  maxBytes?: number;
  /** Who the query runs for: set as `SESSION_CONTEXT` when the database is configured to (MSSQL_SESSION_CONTEXT). */
  identity?: SessionIdentity | undefined;
}

export interface ResultColumn {
  name: string;
  /** SQL Server type name with size, e.g. `nvarchar(200)`, `decimal(10,2)`. */
  type: string;
  nullable: boolean;
}

export interface QueryResult {
  columns: ResultColumn[];
  /** One array per row, in column order; values are JSON-friendly (dates as ISO strings, bigint and decimals as strings, binary as hex `0x…`). */
  rows: unknown[][];
  truncated: boolean;
  /** How many cells were cut at `maxCellBytes` (each ends with `CELL_TRUNCATED_MARKER`); absent when none. */
  cellsCut?: number;
  durationMs: number;
}

export interface CatalogColumn {
  name: string;
  /** Display type, e.g. `nvarchar(200)`. */
  type: string;
  nullable: boolean;
  description?: string | undefined;
  /** A character column worth searching for words (char/varchar/nchar/nvarchar/text types). */
  isText: boolean;
  /** Characters for text columns, -1 for max. */
  maxLength?: number | undefined;
}

export interface CatalogForeignKey {
  name: string;
  columns: string[];
  refSchema: string;
  refTable: string;
  refColumns: string[];
}

export interface CatalogIndex {
  name: string;
  unique: boolean;
  primaryKey: boolean;
  columns: string[];
}

export interface CatalogTable {
  schema: string;
  name: string;
  kind: 'table' | 'view';
  description?: string | undefined;
  rowCount?: number | undefined;
  columns: CatalogColumn[];
  primaryKey: string[];
  foreignKeys: CatalogForeignKey[];
  indexes: CatalogIndex[];
}

export interface Catalog {
  database: string;
  tables: CatalogTable[];
  loadedAt: number;
}

export interface DbHealth {
  ok: boolean;
  latencyMs: number;
  pool: { size: number; available: number; borrowed: number; pending: number };
  /** A short, secret-free reason when not ok. */
  error?: string;
}

export interface PrivilegeReport {
  login: string;
  canWrite: boolean;
  /** Human-readable findings, e.g. "member of db_datawriter". */
  findings: string[];
}

/**
 * The connector's only way to reach SQL Server. Every `query` runs inside a transaction that is
 * always rolled back, with `SET LOCK_TIMEOUT`, at most `maxConcurrent` at a time.
 */
export interface Db {
  query(sql: string, params: readonly DbParam[], options: QueryOptions): Promise<QueryResult>;
  catalog(options?: { refresh?: boolean }): Promise<Catalog>;
  ping(): Promise<DbHealth>;
  checkPrivileges(): Promise<PrivilegeReport>;
  /** Queries running and waiting for a slot, and the pool's connections, without a round trip (metrics). */
  usage?(): DbUsage;
  close(): Promise<void>;
}

export interface DbUsage {
  inUse: number;
  waiting: number;
  poolSize: number;
  poolBorrowed: number;
}
