import type { Login } from '../backend.ts';
import type { ContextEntry } from './session-context.ts';
import type { Variable } from './translate/context.ts';

/** Per-connection state the engine restores whenever the connection takes the engine. */
export interface SessionState {
  readonly login: Login;
  readonly spid: number;
  database: string;
  trancount: number;
  rowcount: number;
  lastError: number;
  nocount: boolean;
  /** SET IMPLICIT_TRANSACTIONS: a statement that reads or changes data opens a transaction when none is open. */
  implicitTransactions: boolean;
  lockTimeout: number;
  /** Descriptor of the open transaction (TDS ENVCHANGE), 0n when none. */
  descriptor: bigint;
  /** `SESSION_CONTEXT` keys (sp_set_session_context), cleared by a connection reset. */
  context: Map<string, ContextEntry>;
}

/** A batch's variables (T-SQL variables live for one batch). */
export type Variables = Map<string, Variable>;

/** Line number (1-based) of an offset in a batch. */
export function lineAt(sql: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < sql.length; i++) if (sql.charCodeAt(i) === 10) line++;
  return line;
}
