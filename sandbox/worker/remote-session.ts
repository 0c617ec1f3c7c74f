import type { BatchEvent, Login, RpcParam, Session } from '../backend.ts';
import { EngineRestartedError, type EngineLink, type Generation } from './engine-host.ts';
import type { WorkRequest } from './protocol.ts';
import { answerTrivially, type TrivialState } from './trivial-batch.ts';

async function* listed(events: readonly BatchEvent[]): AsyncGenerator<BatchEvent> {
  yield* events;
}

const RESTARTED: BatchEvent = {
  kind: 'error',
  message: {
    number: 3617,
    state: 1,
    severity: 16,
    message: 'The request was stopped because the sandbox engine was restarted to end a statement that would not stop.',
    line: 1,
  },
};

/**
 * A TDS connection's session in the engine thread, opened there on first use (a login does not
 * wait for an engine that is busy with another session's statement). After the thread was replaced (see
 * engine-host.ts) the session reopens there on its next request, in the database it was using; an
 * open transaction did not survive, which the client is told with a rollback ENVCHANGE.
 */
export class RemoteSession implements Session {
  readonly login: Login;
  readonly #link: EngineLink;
  /** The engine thread and session id, once the session was opened there. */
  #gen: Generation | undefined;
  #id = 0;
  #database: string;
  /** The engine session's state, or undefined when a request ended early and it is not known. */
  #status: TrivialState | undefined = { trancount: 0, nocount: false, implicitTransactions: false };
  #inTransaction = false;
  /** The thread this session lived in was replaced; it reopens on its next engine request. */
  #stale = false;
  #lostTransaction = false;
  /** SET statements answered here that the engine session has not applied yet. */
  #deferred: string[] = [];

  /** Opens nothing yet: the engine session is opened by the first request that needs it. */
  constructor(link: EngineLink, login: Login, database: string) {
    this.#link = link;
    this.login = login;
    this.#database = database;
  }

  get database(): string {
    return this.#database;
  }

  batch(sql: string, signal: AbortSignal): AsyncIterable<BatchEvent> {
    const answer = this.#trivial(sql);
    return answer ? listed(answer) : this.#run({ type: 'batch', sql }, signal);
  }

  /** The events of a batch answered without the engine (trivial-batch.ts), or undefined. */
  #trivial(sql: string): BatchEvent[] | undefined {
    this.#noticeReplacement();
    const answer = this.#status && answerTrivially(sql, this.#status, () => this.#link.nextDescriptor());
    if (!answer) return undefined;
    this.#deferred.push(...answer.deferred);
    this.#status = { trancount: 0, nocount: answer.nocount, implicitTransactions: false };
    return answer.events;
  }

  rpc(procedure: string, params: RpcParam[], signal: AbortSignal): AsyncIterable<BatchEvent> {
    // sp_executesql without parameters is how drivers send plain text (mssql's query()).
    const [statement, declarations, ...rest] = params;
    const plain =
      procedure.toLowerCase() === 'sp_executesql' && typeof statement?.value === 'string' && rest.length === 0 && !declarations?.value;
    const answer = plain ? this.#trivial(statement.value as string) : undefined;
    if (answer) return listed([...answer, { kind: 'return_status', value: 0 }]);
    return this.#run({ type: 'rpc', procedure, params }, signal);
  }

  beginTransaction(isolation?: number): Promise<BatchEvent[]> {
    return this.#collect(isolation === undefined ? { type: 'begin' } : { type: 'begin', isolation });
  }

  commitTransaction(): Promise<BatchEvent[]> {
    return this.#collect({ type: 'commit' });
  }

  rollbackTransaction(): Promise<BatchEvent[]> {
    return this.#collect({ type: 'rollback' });
  }

  async close(): Promise<void> {
    if (this.#gen) await this.#link.close(this.#gen, this.#id);
  }

  async #collect(request: WorkRequest): Promise<BatchEvent[]> {
    const out: BatchEvent[] = [];
    for await (const event of this.#run(request, new AbortController().signal)) out.push(event);
    return out;
  }

  /**
   * Once the engine thread was replaced this session starts afresh there: no transaction, default
   * options — known at once, so trivial batches (a driver's `SELECT @@TRANCOUNT` after a
   * cancelled request) need not wait for the new thread.
   */
  #noticeReplacement(): void {
    if (this.#stale || !this.#gen || this.#link.current() === this.#gen) return;
    this.#stale = true;
    this.#deferred = [];
    this.#lostTransaction = this.#inTransaction;
    this.#inTransaction = false;
    this.#status = { trancount: 0, nocount: false, implicitTransactions: false };
  }

  async *#run(request: WorkRequest, signal: AbortSignal): AsyncGenerator<BatchEvent> {
    this.#noticeReplacement();
    const gen = await this.#link.generation();
    if (this.#stale || !this.#gen || gen !== this.#gen) {
      const opened = await this.#link.open(this.login, this.#database);
      this.#gen = opened.gen;
      this.#id = opened.session;
      this.#stale = false;
      if (this.#lostTransaction) yield { kind: 'transaction', state: 'rollback', descriptor: 0n };
      this.#lostTransaction = false;
    }
    const prelude = this.#deferred.join('\n');
    this.#deferred = [];
    const call = this.#link.run(this.#gen ?? gen, this.#id, request, prelude);
    const onAbort = (): void => call.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) call.cancel();
    let finished = false;
    try {
      for (;;) {
        let chunk: BatchEvent[] | undefined;
        try {
          chunk = await call.next();
        } catch (error) {
          if (!(error instanceof EngineRestartedError) || signal.aborted) throw error;
          yield RESTARTED;
          yield { kind: 'done', error: true };
          break;
        }
        if (!chunk) break;
        for (const event of chunk) {
          if (event.kind === 'database') this.#database = event.name;
          if (event.kind === 'transaction') this.#inTransaction = event.state === 'begin';
          yield event;
        }
        call.ack();
      }
      finished = true;
      this.#status = call.status();
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (!finished) this.#status = undefined;
      // Stopped early (ATTENTION, a closed connection): the engine must let go before we return.
      if (!finished) {
        call.cancel();
        await call.done;
      }
    }
  }
}
