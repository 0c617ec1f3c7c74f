/**
 * The engine's thread. PGlite runs PostgreSQL compiled to WebAssembly and cannot be interrupted
 * mid-statement, so it lives here, away from the TDS server: the host can always answer, and can
 * end this thread when a cancelled statement does not stop (see engine-host.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Backend, BatchEvent, Session } from '../backend.ts';
import { onLoginCreated } from '../engine/created-logins.ts';
import { createEngine } from '../engine/index.ts';
import { preloadPGlite } from '../engine/snapshot.ts';
import { CHUNK_EVENTS, CHUNK_WINDOW, type HostMessage, type WorkerMessage, type WorkRequest, type WorkerSetup } from './protocol.ts';

interface Call {
  controller: AbortController;
  unacked: number;
  wake: (() => void) | undefined;
}

const port = parentPort;
if (!port) throw new Error('engine-worker.ts runs as a worker thread');
const setup = workerData as WorkerSetup;
const post = (message: WorkerMessage): void => port.postMessage(message);
const sessions = new Map<number, Session>();
const calls = new Map<number, Call>();
let nextSession = 1;

// A spare thread loads its modules ahead of need and opens the engine only when told to: the
// thread it replaces must have stopped first, as two PostgreSQL instances cannot share a directory.
const preloading = preloadPGlite().catch(() => undefined);
const startMessage = await new Promise<unknown>((resolve) => port.once('message', resolve));
try {
  const preloaded = await preloading;
  const backend = await createEngine({
    ...(preloaded ? { preloaded } : {}),
    database: setup.database,
    logins: setup.logins,
    dataDir: setup.dataDir,
    ...(setup.cacheDir === undefined ? {} : { cacheDir: setup.cacheDir }),
  });
  const warmed = startMessage === 'start-warm' ? await warmUp(backend, setup) : undefined;
  port.on('message', (message: HostMessage) => void handle(message));
  onLoginCreated((user, password) => post({ kind: 'login', user, password }));
  post({ kind: 'ready', ...(warmed === undefined ? {} : { warmed }) });

  async function handle(message: HostMessage): Promise<void> {
    try {
      switch (message.op) {
        case 'open': {
          const session = await backend.openSession(message.login, message.database);
          const id = nextSession++;
          sessions.set(id, session);
          post({ kind: 'opened', id: message.id, session: id, database: session.database });
          return;
        }
        case 'run':
          return await run(message.id, message.session, message.request, message.prelude);
        case 'ack': {
          const call = calls.get(message.id);
          if (call) {
            call.unacked -= 1;
            call.wake?.();
          }
          return;
        }
        case 'cancel': {
          const call = calls.get(message.id);
          call?.controller.abort(new Error('cancelled'));
          call?.wake?.();
          return;
        }
        case 'close': {
          const session = sessions.get(message.session);
          sessions.delete(message.session);
          await session?.close();
          post({ kind: 'end', id: message.id });
          return;
        }
      }
    } catch (error) {
      post({ kind: 'fail', id: message.id, message: error instanceof Error ? error.message : String(error) });
    }
  }
} catch (error) {
  post({ kind: 'startup-failed', message: error instanceof Error ? error.message : String(error) });
}

/**
 * A replacement thread reads every table once before it accepts work. A freshly opened PGlite
 * answers its first queries several times slower (cold catalog and buffer caches); under load the
 * first queries after a replacement then outran a short query timeout, were cancelled while still
 * running, and had this thread replaced in turn — again and again. Best effort: a failure here only
 * leaves the caches cold. Returns how many tables were read.
 */
async function warmUp(backend: Backend, setup: WorkerSetup): Promise<number> {
  const signal = new AbortController().signal;
  const drain = async (session: Session, sql: string): Promise<BatchEvent[]> => {
    const out: BatchEvent[] = [];
    for await (const event of session.batch(sql, signal)) out.push(event);
    return out;
  };
  try {
    const session = await backend.openSession({ user: setup.logins.owner.user, role: 'owner' }, undefined);
    try {
      const tables = (
        await drain(
          session,
          "SELECT QUOTENAME(s.name) + N'.' + QUOTENAME(t.name) FROM sys.tables t JOIN sys.schemas s ON s.schema_id = t.schema_id",
        )
      ).flatMap((event) => (event.kind === 'row' && typeof event.values[0] === 'string' ? [event.values[0]] : []));
      const reads = tables.map((name) => `SELECT TOP 1 * FROM ${name};`).join('\n');
      // The shape of the connector's own batches: a read-only transaction behind the guard's name check.
      const first = tables[0] === undefined ? undefined : `N'${tables[0].replaceAll("'", "''")}'`;
      const guarded =
        first === undefined
          ? ''
          : `SET XACT_ABORT ON; SET LOCK_TIMEOUT 5000; BEGIN TRAN;
IF OBJECT_ID(${first}) IS NULL THROW 51701, N'warm-up', 1;
SELECT OBJECT_NAME(OBJECT_ID(${first})) AS n, OBJECT_SCHEMA_NAME(OBJECT_ID(${first})) AS s, DB_ID() AS d, DB_NAME() AS dn;
SELECT TOP 1 * FROM ${tables[0]};
ROLLBACK TRAN;`;
      const answered = await drain(session, `${reads}\n${guarded}`);
      return answered.some((event) => event.kind === 'error') ? 0 : tables.length;
    } finally {
      await session.close();
    }
  } catch {
    return 0; // cold caches are slower, not wrong
  }
}

function events(session: Session, request: WorkRequest, signal: AbortSignal): AsyncIterable<BatchEvent> {
  switch (request.type) {
    case 'batch':
      return session.batch(request.sql, signal);
    case 'rpc':
      return session.rpc(request.procedure, request.params, signal);
    case 'begin':
      return list(session.beginTransaction(request.isolation));
    case 'commit':
      return list(session.commitTransaction());
    case 'rollback':
      return list(session.rollbackTransaction());
  }
}

async function* list(events: Promise<BatchEvent[]>): AsyncIterable<BatchEvent> {
  yield* await events;
}

/**
 * Streams a request's events in chunks: a chunk goes out when it is full or when the engine next
 * waits, and at most CHUNK_WINDOW chunks travel ahead of what the host has written to its socket.
 */
async function run(id: number, sessionId: number, request: WorkRequest, prelude: string | undefined): Promise<void> {
  const session = sessions.get(sessionId);
  if (!session) throw new Error(`no session ${sessionId}`);
  const call: Call = { controller: new AbortController(), unacked: 0, wake: undefined };
  calls.set(id, call);
  let buffer: BatchEvent[] = [];
  let scheduled = false;
  const flush = (): void => {
    if (buffer.length === 0) return;
    post({ kind: 'events', id, events: buffer });
    buffer = [];
    call.unacked += 1;
  };
  try {
    // SET statements the host already answered (trivial-batch.ts): only their effect is wanted.
    if (prelude) for await (const _ of session.batch(prelude, call.controller.signal)) void _;
    for await (const event of events(session, request, call.controller.signal)) {
      buffer.push(event);
      if (buffer.length >= CHUNK_EVENTS) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          flush();
        });
      }
      while (call.unacked >= CHUNK_WINDOW && !call.controller.signal.aborted) {
        await new Promise<void>((resolve) => (call.wake = resolve));
        call.wake = undefined;
      }
      if (call.controller.signal.aborted) break;
    }
    if (!call.controller.signal.aborted) flush();
    const status = session.status?.();
    post(status ? { kind: 'end', id, status } : { kind: 'end', id });
  } finally {
    calls.delete(id);
  }
}
