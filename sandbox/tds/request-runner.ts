import type { BatchEvent, Session, SqlMessage } from '../backend.ts';
import type { MessageWriter } from './message-writer.ts';
import { TdsProtocolError } from './errors.ts';
import { PacketType, type TdsMessage } from './packet.ts';
import type { PreparedStatements } from './prepared-statements.ts';
import { afterReset } from './reset-connection.ts';
import { parseRpc, parseSqlBatch, parseTransactionManager, TmRequest } from './requests.ts';
import { ResponseWriter, type ResponseState } from './response-writer.ts';
import { checkTransactionDescriptor, transactionEndedByReset } from './transaction-descriptor.ts';
import { hasAllHeaders } from './version-types.ts';

export interface RunContext {
  serverName: string;
  /** The connection's prepared statements (sp_prepare handles live as long as the connection). */
  prepared: PreparedStatements;
  state: ResponseState;
  signal: AbortSignal;
}

/** What SQL Server would say had the engine failed unexpectedly; the cause never reaches the client. */
const INTERNAL_ERROR: SqlMessage = {
  number: 8630,
  state: 1,
  severity: 16,
  message: 'Internal error: the sandbox could not complete this request.',
  line: 1,
};

/** Error 8009's family: the request's bytes could not be decoded. */
const STREAM_ERROR: SqlMessage = {
  number: 8009,
  state: 1,
  severity: 16,
  message: 'The incoming tabular data stream (TDS) protocol stream is incorrect:',
  line: 1,
};

function transactionEvents(session: Session, payload: Buffer, allHeaders: boolean): AsyncIterable<BatchEvent> {
  const call = parseTransactionManager(payload, allHeaders);
  const run = async function* (): AsyncIterable<BatchEvent> {
    if (call.type === TmRequest.BEGIN) yield* await session.beginTransaction(call.isolation);
    else if (call.type === TmRequest.COMMIT || call.type === TmRequest.ROLLBACK) {
      const ended = await (call.type === TmRequest.COMMIT ? session.commitTransaction() : session.rollbackTransaction());
      if (!call.beginAfter || ended.some((e) => e.kind === 'error')) {
        yield* ended;
        return;
      }
      // fBeginXact: the next transaction begins in the same request, answered by one DONE.
      yield* ended.filter((e) => e.kind !== 'done');
      yield* await session.beginTransaction(call.newIsolation || undefined);
    } else {
      const message = `Transaction manager request ${call.type} is not supported by the sandbox.`;
      yield { kind: 'error', message: { number: 40000, state: 1, severity: 16, message, line: 1 } };
    }
  };
  return run();
}

async function* withRollback(descriptor: bigint, events: AsyncIterable<BatchEvent>): AsyncIterable<BatchEvent> {
  yield { kind: 'transaction', state: 'rollback', descriptor };
  yield* events;
}

/**
 * Runs one SQL batch, RPC or transaction-manager request and streams its response. Rows are
 * written as the session yields them and each write waits for the socket (backpressure). When
 * `signal` aborts (ATTENTION) the response is cut short and ended; the returned promise settles
 * when the engine has actually let go of the request, so the next one never overlaps it.
 */
export async function runRequest(
  session: Session,
  message: TdsMessage,
  writer: MessageWriter,
  context: RunContext,
): Promise<{ settled: Promise<void> }> {
  const rpc = message.type === PacketType.RPC;
  const out = new ResponseWriter(writer, { serverName: context.serverName, rpc, state: context.state });
  const { signal } = context;
  let iterator: AsyncIterator<BatchEvent> | undefined;
  let settled: Promise<void> = Promise.resolve();
  let events: AsyncIterable<BatchEvent>;
  const allHeaders = hasAllHeaders(context.state.tdsVersion);
  try {
    // Decoded now (a TdsProtocolError answers below); run only after a requested reset.
    let start: () => AsyncIterable<BatchEvent>;
    if (message.type === PacketType.SQL_BATCH) {
      const sql = parseSqlBatch(message.payload, allHeaders);
      start = () => session.batch(sql, signal);
    } else if (rpc) {
      const call = parseRpc(message.payload, allHeaders);
      start = () =>
        context.prepared.handles(call.procedure)
          ? context.prepared.run(session, call.procedure, call.params, signal)
          : session.rpc(call.procedure, call.params, signal);
    } else start = () => transactionEvents(session, message.payload, allHeaders);
    const refused = checkTransactionDescriptor(message, context.state);
    if (refused) {
      await out.event({ kind: 'error', message: refused });
      await out.event({ kind: 'done', error: true });
      await out.finish();
      return { settled };
    }
    const rolledBack = transactionEndedByReset(message, context.state);
    const run = rolledBack === undefined ? start : () => withRollback(rolledBack, start());
    events = afterReset(session, message.status, signal, run);
  } catch (error) {
    // The message was framed correctly, so the stream stays in step: answer as SQL Server does
    // for a request it cannot decode (e.g. a table-valued parameter) and keep the connection.
    if (!(error instanceof TdsProtocolError)) throw error;
    await out.event({ kind: 'error', message: { ...STREAM_ERROR, message: `${STREAM_ERROR.message} ${error.message}.` } });
    await out.event({ kind: 'done', error: true });
    await out.finish();
    return { settled };
  }
  try {
    iterator = events[Symbol.asyncIterator]();
    // Each step races the engine against the abort signal with a fresh promise: racing one
    // long-lived promise would attach a reaction per row that is never released.
    let wake: ((value: 'aborted') => void) | undefined;
    const onAbort = (): void => wake?.('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    for (;;) {
      const next = iterator.next();
      const step = signal.aborted
        ? 'aborted'
        : await new Promise<IteratorResult<BatchEvent> | 'aborted'>((resolve, reject) => {
            wake = resolve;
            next.then(resolve, reject);
          });
      wake = undefined;
      if (step === 'aborted') {
        const it = iterator;
        settled = next
          .then(
            async () => void (await it.return?.()),
            () => {},
          )
          .catch(() => {});
        iterator = undefined;
        break;
      }
      if (step.done) {
        iterator = undefined;
        break;
      }
      await out.event(step.value);
    }
  } catch {
    if (!signal.aborted) {
      out.markError();
      await out.event({ kind: 'error', message: INTERNAL_ERROR });
      await out.event({ kind: 'done', error: true });
    }
  } finally {
    if (iterator?.return)
      settled = iterator.return().then(
        () => {},
        () => {},
      );
  }
  await out.finish();
  return { settled };
}
