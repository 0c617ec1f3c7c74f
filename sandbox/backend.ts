/**
 * The seam between the sandbox's TDS wire protocol (`sandbox/tds/`) and its T-SQL engine
 * (`sandbox/engine/`). The TDS layer knows packets and tokens; the engine knows T-SQL, PostgreSQL
 * and the sample database. Neither imports the other's internals.
 */

/** SQL Server type names the sandbox can put on the wire. */
export type SqlTypeName =
  | 'bit'
  | 'tinyint'
  | 'smallint'
  | 'int'
  | 'bigint'
  | 'decimal'
  | 'numeric'
  | 'money'
  | 'smallmoney'
  | 'real'
  | 'float'
  | 'char'
  | 'varchar'
  | 'nchar'
  | 'nvarchar'
  | 'text'
  | 'ntext'
  | 'date'
  | 'time'
  | 'datetime'
  | 'smalldatetime'
  | 'datetime2'
  | 'datetimeoffset'
  | 'uniqueidentifier'
  | 'binary'
  | 'varbinary'
  | 'xml';

export interface SqlType {
  name: SqlTypeName;
  /** Characters for (n)char/(n)varchar, bytes for (var)binary; `'max'` for the max types. */
  length?: number | 'max';
  precision?: number;
  scale?: number;
}

export interface ColumnMeta {
  name: string;
  type: SqlType;
  nullable: boolean;
}

/**
 * Values as the engine hands them to the wire layer:
 * - bit: boolean; tinyint/smallint/int: number; bigint: bigint;
 * - decimal/numeric/money: string in plain decimal notation ("-12.3400");
 * - real/float: number;
 * - character types and xml: string;
 * - date: string 'YYYY-MM-DD'; time: string 'HH:MM:SS[.fffffff]';
 * - datetime/datetime2: string 'YYYY-MM-DD HH:MM:SS[.fffffff]' (no zone);
 * - datetimeoffset: string 'YYYY-MM-DD HH:MM:SS[.fffffff]+HH:MM';
 * - uniqueidentifier: string (canonical 8-4-4-4-12);
 * - binary types: Uint8Array;
 * - NULL: null.
 * Strings keep full precision so the wire layer can encode exactly what SQL Server would send.
 */
export type SqlValue = null | boolean | number | bigint | string | Uint8Array;

/** A SQL Server message (INFO or ERROR token). */
export interface SqlMessage {
  number: number;
  state: number;
  /** Severity: ≤ 10 is informational, ≥ 11 an error. */
  severity: number;
  message: string;
  /** 1-based line in the batch. */
  line: number;
  procName?: string;
}

/** What running a batch or RPC produces, in order. */
export type BatchEvent =
  | { kind: 'columns'; columns: ColumnMeta[] }
  | { kind: 'row'; values: SqlValue[] }
  /**
   * End of one statement. `rowCount` is set when SQL Server reports a count (SELECT rows returned,
   * rows affected by DML); `error` marks a statement that failed.
   */
  | { kind: 'done'; rowCount?: number; error?: boolean }
  | { kind: 'info'; message: SqlMessage }
  | { kind: 'error'; message: SqlMessage }
  /** The session's current database changed (USE). */
  | { kind: 'database'; name: string }
  /** Transaction state changed (BEGIN/COMMIT/ROLLBACK in SQL or through the transaction manager). */
  | { kind: 'transaction'; state: 'begin' | 'commit' | 'rollback'; descriptor: bigint }
  /** The RPC's return status (sp_executesql returns 0). */
  | { kind: 'return_status'; value: number }
  /**
   * An OUTPUT parameter's final value (RETURNVALUE token), sent at the end of an RPC: the `@handle`
   * of sp_prepare, or any parameter passed by reference. `ordinal` is its position in the call.
   */
  | { kind: 'return_value'; name: string; type: SqlType; value: SqlValue; ordinal?: number };

/** A typed RPC parameter as decoded from the wire. */
export interface RpcParam {
  /** With the leading `@`, or '' for positional parameters. */
  name: string;
  type: SqlType;
  value: SqlValue;
  output: boolean;
}

export interface Login {
  user: string;
  role: 'owner' | 'reader';
  /** A login made by `CREATE LOGIN` runs as its own PostgreSQL role (created-logins.ts). */
  pgRole?: string;
}

/** One TDS connection's view of the engine. */
export interface Session {
  readonly login: Login;
  readonly database: string;
  /** Runs a SQL batch. Stops (and releases the engine) when `signal` aborts. */
  batch(sql: string, signal: AbortSignal): AsyncIterable<BatchEvent>;
  /** Runs an RPC request: `sp_executesql`, `sp_prepare`/`sp_execute`, or a named procedure. */
  rpc(procedure: string, params: RpcParam[], signal: AbortSignal): AsyncIterable<BatchEvent>;
  /** Transaction-manager requests (TDS packet type 14). */
  beginTransaction(isolation?: number): Promise<BatchEvent[]>;
  commitTransaction(): Promise<BatchEvent[]>;
  rollbackTransaction(): Promise<BatchEvent[]>;
  /** The connection closed: roll back anything open and release the engine. */
  close(): Promise<void>;
  /** Transaction depth and SET NOCOUNT, for a host that answers trivial batches itself. */
  status?(): { trancount: number; nocount: boolean; implicitTransactions: boolean };
}

export interface Backend {
  /** Returns the login, or null when the user or password is wrong. */
  authenticate(user: string, password: string): Login | null;
  /** Federated authentication (LOGIN7 FEDAUTH): the login an access token maps to, or null; absent = not offered. */
  authenticateToken?(token: string): Promise<Login | null>;
  /** Opens a session for a login on a database (the LOGIN7 database, or the default). */
  openSession(login: Login, database: string | undefined): Promise<Session>;
  /** The database a login lands in when LOGIN7 names none. */
  readonly defaultDatabase: string;
  /** Whether a database name exists (LOGIN7 with an unknown database fails with 4060). */
  hasDatabase(name: string): boolean;
  close(): Promise<void>;
}
