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
  /** Runs T-SQL text as a nested batch (EXEC inside a statement) with the given variables; the engine is already held. */
  runText(sql: string, vars: Variables): AsyncGenerator<BatchEvent>;
  /** Runs T-SQL text as a request (batch, sp_executesql RPC), taking the engine per statement. */
  runTopLevel(sql: string, vars: Variables): AsyncGenerator<BatchEvent>;
  /** Runs `body` holding the engine (RPCs other than sp_executesql). */
  withEngine(body: () => AsyncGenerator<BatchEvent>): AsyncGenerator<BatchEvent>;
}
