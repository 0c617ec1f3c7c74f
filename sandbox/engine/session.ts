import type { BatchEvent, Login, RpcParam, Session } from '../backend.ts';
import type { EngineCore } from './core.ts';
import { TsqlError } from './errors.ts';
import { runSimple } from './pg.ts';
import { runRpc } from './procedures.ts';
import type { Runtime } from './runtime.ts';
import { lineAt, type SessionState, type Variables } from './session-state.ts';
import { runStatement } from './statements.ts';
import { splitStatements } from './translate/split.ts';
import { parseTree } from './translate/tree.ts';

/**
 * One TDS connection's view of the engine. Each request takes the engine lock (restoring this
 * connection's login role); the lock stays held while a transaction is open, so other connections
 * never see or undo this one's uncommitted work.
 */
export class EngineSession implements Session {
  readonly login: Login;
  readonly #core: EngineCore;
  readonly #state: SessionState;

  constructor(core: EngineCore, login: Login, database: string, spid: number) {
    this.#core = core;
    this.login = login;
    this.#state = { login, spid, database, trancount: 0, rowcount: 0, lastError: 0, nocount: false, lockTimeout: -1, descriptor: 0n };
  }

  get database(): string {
    return this.#state.database;
  }

  batch(sql: string, signal: AbortSignal): AsyncIterable<BatchEvent> {
    return this.#request(signal, (rt) => rt.runText(sql, new Map()));
  }

  rpc(procedure: string, params: RpcParam[], signal: AbortSignal): AsyncIterable<BatchEvent> {
    return this.#request(signal, (rt) => runRpc(rt, procedure, params));
  }

  async beginTransaction(): Promise<BatchEvent[]> {
    return this.#collect('BEGIN TRANSACTION');
  }

  async commitTransaction(): Promise<BatchEvent[]> {
    return this.#collect('COMMIT TRANSACTION');
  }

  async rollbackTransaction(): Promise<BatchEvent[]> {
    return this.#collect('IF_TRAN_ROLLBACK');
  }

  async close(): Promise<void> {
    const core = this.#core;
    await core.lock.acquire(this);
    try {
      if (this.#state.trancount > 0) await runSimple(core.pg, 'ROLLBACK');
      this.#state.trancount = 0;
      await core.activate(this.login);
      await runSimple(core.pg, `DO $$DECLARE r record; BEGIN FOR r IN SELECT c.oid::regclass AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname LIKE 'pg_temp%' AND c.relkind = 'r' AND c.relname LIKE '#${this.#state.spid}#%' LOOP EXECUTE 'DROP TABLE ' || r.t; END LOOP; END$$`);
    } finally {
      core.lock.release(this);
    }
  }

  async #collect(sql: string): Promise<BatchEvent[]> {
    const events: BatchEvent[] = [];
    const text = sql === 'IF_TRAN_ROLLBACK' ? (this.#state.trancount > 0 ? 'ROLLBACK TRANSACTION' : '') : sql;
    if (text === '') return events;
    for await (const ev of this.batch(text, new AbortController().signal)) if (ev.kind !== 'done') events.push(ev);
    return events;
  }

  async *#request(signal: AbortSignal, body: (rt: Runtime) => AsyncGenerator<BatchEvent>): AsyncGenerator<BatchEvent> {
    const core = this.#core;
    try {
      await core.lock.acquire(this, signal, this.#state.lockTimeout);
    } catch (error) {
      if (signal.aborted) return;
      const err = error instanceof TsqlError ? error : new TsqlError(50000, String(error));
      yield { kind: 'error', message: err.toMessage(1) };
      yield { kind: 'done', error: true };
      return;
    }
    try {
      await core.activate(this.login);
      const rt = this.#runtime(signal);
      yield* body(rt);
    } finally {
      if (this.#state.trancount === 0) core.lock.release(this);
    }
  }

  #runtime(signal: AbortSignal): Runtime {
    const core = this.#core;
    const rt: Runtime = {
      pg: core.pg,
      declared: core.declared,
      state: this.#state,
      signal,
      findDatabase: (name) => core.findDatabase(name),
      nextDescriptor: () => core.nextDescriptor(),
      runText: (sql: string, vars: Variables) => runText(rt, sql, vars),
    };
    return rt;
  }
}

async function* runText(rt: Runtime, sql: string, vars: Variables): AsyncGenerator<BatchEvent> {
  for (const stmt of splitStatements(parseTree(sql), sql)) {
    if (rt.signal.aborted) return;
    const line = lineAt(sql, stmt.start);
    for await (const ev of runStatement(rt, stmt, vars, line)) {
      if (ev.kind === 'info' && ev.message.line === 1) ev.message.line = line;
      yield ev;
    }
  }
}
