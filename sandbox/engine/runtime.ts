import type { PGlite } from '@electric-sql/pglite';
import type { BatchEvent } from '../backend.ts';
import type { DeclaredCache } from './declared-cache.ts';
import type { SessionState, Variables } from './session-state.ts';

/** What statement handlers share: the engine, the session's state, the request's cancel signal. */
export interface Runtime {
  pg: PGlite;
  declared: DeclaredCache;
  state: SessionState;
  signal: AbortSignal;
  /** Canonical spelling of a database name, or undefined when it does not exist. */
  findDatabase(name: string): string | undefined;
  nextDescriptor(): bigint;
  /** Runs T-SQL text as a nested batch (EXEC, sp_executesql) with the given variables. */
  runText(sql: string, vars: Variables): AsyncGenerator<BatchEvent>;
}
