import type { BatchEvent, Login, RpcParam, Session } from '../backend.ts';
import type { EngineCore } from './core.ts';
import { TsqlError } from './errors.ts';
import { runSimple } from './pg.ts';
import { runRpc } from './procedures.ts';
import { contextJson, dropTempTablesSql } from './session-context.ts';
import type { Runtime } from './runtime.ts';
import { lineAt, type SessionState, type Variables } from './session-state.ts';
import { runStatement } from './statements.ts';
import { limitTextSize } from './text-size.ts';
import { splitStatements } from './translate/split.ts';
import { implicitTransaction } from './transactions.ts';
import { parseTree, word } from './translate/tree.ts';
import type { Statement } from './translate/split.ts';

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
    this.#state = {
      login,
      spid,
      database,
      trancount: 0,
      rowcount: 0,
      lastError: 0,
      nocount: false,
      implicitTransactions: false,
      lockTimeout: -1,
      descriptor: 0n,
      context: new Map(),
    };
  }

  get database(): string {
    return this.#state.database;
  }

  status(): { trancount: number; nocount: boolean; implicitTransactions: boolean } {
    const s = this.#state;
    return { trancount: s.trancount, nocount: s.nocount, implicitTransactions: s.implicitTransactions };
  }

  batch(sql: string, signal: AbortSignal): AsyncIterable<BatchEvent> {
    return this.#request(signal, (rt) => rt.runTopLevel(sql, new Map()));
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
      await core.activate(this.login, '');
      await runSimple(core.pg, dropTempTablesSql(this.#state.spid));
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

  /**
   * Runs a request. The engine lock is taken per statement (so `SET LOCK_TIMEOUT` in the same batch
   * applies to the statements after it) and kept while a transaction is open.
   */
  async *#request(signal: AbortSignal, body: (rt: Runtime) => AsyncGenerator<BatchEvent>): AsyncGenerator<BatchEvent> {
    try {
      yield* limitTextSize(body(this.#runtime(signal)), this.#state);
    } finally {
      if (this.#state.trancount === 0) this.#core.lock.release(this);
    }
  }

  /** Takes the engine for this session, or returns the error to report (undefined when cancelled). */
  async #enter(signal: AbortSignal): Promise<TsqlError | undefined | 'ok'> {
    try {
      await this.#core.lock.acquire(this, signal, this.#state.lockTimeout);
      await this.#core.activate(this.login, contextJson(this.#state.context), this.#state.trancount > 0);
      return 'ok';
    } catch (error) {
      if (signal.aborted) return undefined;
      return error instanceof TsqlError ? error : new TsqlError(50000, String(error));
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
      runText: (sql: string, vars: Variables) => runText(rt, sql, vars, undefined),
      runTopLevel: (sql: string, vars: Variables) =>
        runText(rt, sql, vars, {
          enter: () => this.#enter(signal),
          leave: () => {
            if (this.#state.trancount === 0) core.lock.release(this);
          },
        }),
      withEngine: async function* (body) {
        const entered = await lock.enter();
        if (entered === undefined) return;
        if (entered !== 'ok') {
          yield { kind: 'error', message: entered.toMessage(1) };
          yield { kind: 'done', error: true };
          return;
        }
        try {
          yield* body();
        } finally {
          lock.leave();
        }
      },
    };
    const lock = {
      enter: () => this.#enter(signal),
      leave: () => {
        if (this.#state.trancount === 0) core.lock.release(this);
      },
    };
    return rt;
  }
}

interface StatementLock {
  enter(): Promise<TsqlError | undefined | 'ok'>;
  leave(): void;
}

/** SET options that only change session state need no engine (and must not wait for it). */
function localOnly(stmt: Statement): boolean {
  const target = stmt.nodes[1];
  return word(stmt.nodes[0]) === 'SET' && target?.kind === 'word' && word(target) !== 'IDENTITY_INSERT';
}

async function* runText(rt: Runtime, sql: string, vars: Variables, lock: StatementLock | undefined): AsyncGenerator<BatchEvent> {
  for (const stmt of splitStatements(parseTree(sql), sql)) {
    if (rt.signal.aborted) return;
    const line = lineAt(sql, stmt.start);
    const locking = lock !== undefined && !localOnly(stmt);
    if (locking) {
      const entered = await lock.enter();
      if (entered === undefined) return;
      if (entered !== 'ok') {
        yield { kind: 'error', message: entered.toMessage(line) };
        yield { kind: 'done', error: true };
        continue;
      }
    }
    try {
      yield* implicitTransaction(rt, stmt);
      for await (const ev of runStatement(rt, stmt, vars, line)) {
        if (ev.kind === 'info' && ev.message.line === 1) ev.message.line = line;
        yield ev;
      }
    } finally {
      if (locking) lock.leave();
    }
  }
}
