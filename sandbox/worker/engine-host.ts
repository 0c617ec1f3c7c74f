import { rm } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { createDataDir } from './data-dir.ts';
import type { Backend, BatchEvent, Login, Session } from '../backend.ts';
import { createdLogin } from '../engine/created-logins.ts';
import { matchLogin, type EngineLogins } from '../engine/index.ts';
import type { HostMessage, SessionStatus, WorkerMessage, WorkRequest, WorkerSetup } from './protocol.ts';
import { RemoteSession } from './remote-session.ts';

export interface EngineHostOptions {
  database: string;
  logins: EngineLogins;
  cacheDir?: string;
  /** How long a cancelled statement may keep running before the engine thread is replaced. */
  cancelGraceMs?: number;
  /** Told when the engine thread had to be replaced; stderr by default. */
  log?: (line: string) => void;
}

/** A call to the worker as the host sees it: events arrive in chunks, then the end. */
export interface WorkerCall {
  /** The next chunk of events, or undefined once the call ended. Throws when the call failed. */
  next(): Promise<BatchEvent[] | undefined>;
  /** Tells the worker a chunk was written out (backpressure). */
  ack(): void;
  /** Asks the worker to stop; replaces the engine thread when it does not stop in time. */
  cancel(): void;
  /** Settles when the worker has let go of the call (ended, failed, or the thread was replaced). */
  readonly done: Promise<void>;
  /** The session's state when the call ended normally. */
  status(): SessionStatus | undefined;
}

interface Pending {
  chunks: BatchEvent[][];
  ended: boolean;
  error: Error | undefined;
  wake: (() => void) | undefined;
  finish: () => void;
  opened?: (session: number, database: string) => void;
  status?: SessionStatus;
}

/** Error raised for calls that were in flight when the engine thread was replaced or closed. */
export class EngineRestartedError extends Error {}

interface Generation {
  worker: Worker;
  number: number;
  /** Settles once the engine accepts work (after `start`). */
  ready: Promise<void>;
  pending: Map<number, Pending>;
  /** Tables the thread read before accepting work (a replacement warms its caches). */
  warmed?: number | undefined;
  /** Lets the thread open the data directory; a replacement (`warm`) reads every table once first. */
  start(warm?: boolean): void;
}

/** Replacements in a row that may fail to start before the sandbox stops trying. */
const MAX_FAILED_STARTS = 3;

// The sources run as .ts (type stripping); `npm run build` emits .js beside this file's .js.
const WORKER_URL = new URL(`./engine-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/**
 * The `Backend` the TDS server uses, with the engine on a worker thread. Logins are checked here;
 * sessions and requests go to the worker. When a cancelled request (ATTENTION, a closed
 * connection) is still running after `cancelGraceMs` — PGlite cannot be interrupted inside a
 * statement — the thread is terminated and a new one opens the same PGlite data directory:
 * PostgreSQL's crash recovery keeps every committed transaction and drops the rest. Sessions
 * reopen on their next request; whatever was uncommitted or session-scoped (#temp tables, SET
 * options) in the old thread is gone, as after a server restart.
 */
export async function startEngineHost(options: EngineHostOptions): Promise<Backend> {
  const dataDir = await createDataDir();
  const setup: WorkerSetup = {
    database: options.database,
    logins: options.logins,
    dataDir,
    ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
  };
  const graceMs = options.cancelGraceMs ?? 250;
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  let nextId = 1;
  let descriptors = 1n << 48n;
  let closed = false;
  /** Replacement threads that died before accepting work, in a row. */
  let failedStarts = 0;
  let current: Generation;
  let spare: Generation | undefined;
  /** Logins made by `CREATE LOGIN` in the engine; kept here so they outlive a replaced thread. */
  const createdLogins = new Map<string, { user: string; password: string }>();

  const spawn = (number: number): Generation => {
    const worker = new Worker(WORKER_URL, { workerData: setup });
    const pending = new Map<number, Pending>();
    let started = false;
    const gen = { worker, number, pending, start: (warm = false) => worker.postMessage(warm ? 'start-warm' : 'start') } as Generation;
    gen.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (message: WorkerMessage) => {
        if (message.kind === 'ready') {
          started = true;
          gen.warmed = message.warmed;
          failedStarts = 0;
          return resolve();
        }
        if (message.kind === 'startup-failed') return reject(new Error(message.message));
        if (message.kind === 'login') {
          createdLogins.set(message.user.toLowerCase(), { user: message.user, password: message.password });
          return;
        }
        const call = pending.get(message.id);
        if (!call) return;
        if (message.kind === 'events') call.chunks.push(message.events);
        else {
          if (message.kind === 'opened') call.opened?.(message.session, message.database);
          if (message.kind === 'fail') call.error = new Error(message.message);
          if (message.kind === 'end' && message.status) call.status = message.status;
          call.ended = true;
          pending.delete(message.id);
          call.finish();
        }
        call.wake?.();
      });
      const dead = (reason: string): void => {
        reject(new Error(reason));
        failPending(gen, reason);
        // A thread that dies on its own (e.g. out of memory) is replaced like a stuck one; so is a
        // replacement that dies before it accepts work (left alone, every later session would
        // fail on its rejected start), a few times in a row before the sandbox gives up.
        if (started) replace(gen.number, reason);
        else if (gen === current && gen.number > 1 && failedStarts < MAX_FAILED_STARTS) {
          failedStarts += 1;
          replace(gen.number, `the new engine thread did not start (${reason})`);
        }
      };
      worker.on('error', (error) => dead(`the engine thread failed: ${error.message}`));
      worker.on('exit', () => dead('the engine thread stopped'));
    });
    gen.ready.catch(() => {});
    return gen;
  };
  /** Ends every call in flight on a thread that is going away (its replacement waits for it to stop). */
  const failPending = (gen: Generation, reason: string): void => {
    for (const call of gen.pending.values()) {
      call.error = new EngineRestartedError(reason);
      call.ended = true;
      call.finish();
      call.wake?.();
    }
    gen.pending.clear();
  };
  /** Keeps a spare thread with its modules loaded, so a replacement only has to open PGlite. */
  const prepareSpare = (after: Generation): void => {
    void after.ready.then(
      () => {
        if (!closed && current === after && !spare) spare = spawn(after.number + 1);
      },
      () => {},
    );
  };

  current = spawn(1);
  current.start();
  await current.ready.catch(async (error: unknown) => {
    await current.worker.terminate();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  prepareSpare(current);

  /** Replaces the thread of generation `number` (once, however many calls ask). */
  const replace = (number: number, reason: string): void => {
    if (closed || current.number !== number) return;
    const old = current;
    const next = spare ?? spawn(number + 1);
    spare = undefined;
    next.number = number + 1;
    current = next;
    log(`sandbox: ${reason}; replacing the engine thread (committed data is kept, open transactions are rolled back)`);
    const started = performance.now();
    failPending(old, reason);
    void old.worker.terminate().finally(() => next.start(true));
    void next.ready.then(
      () =>
        log(
          `sandbox: the new engine thread took over in ${Math.round(performance.now() - started)} ms (${next.warmed ?? 0} tables read first, so its caches are warm)`,
        ),
      (error: unknown) => log(`sandbox: the new engine thread failed to start: ${error instanceof Error ? error.message : String(error)}`),
    );
    prepareSpare(next);
  };

  const send = (gen: Generation, message: HostMessage): void => gen.worker.postMessage(message);

  const call = (gen: Generation, message: (id: number) => HostMessage, opened?: Pending['opened']): WorkerCall => {
    const id = nextId++;
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const state: Pending = { chunks: [], ended: false, error: undefined, wake: undefined, finish, ...(opened ? { opened } : {}) };
    gen.pending.set(id, state);
    send(gen, message(id));
    let timer: NodeJS.Timeout | undefined;
    void done.then(() => clearTimeout(timer));
    return {
      done,
      status: () => state.status,
      async next() {
        for (;;) {
          const chunk = state.chunks.shift();
          if (chunk) return chunk;
          if (state.ended) {
            if (state.error) throw state.error;
            return undefined;
          }
          await new Promise<void>((resolve) => (state.wake = resolve));
          state.wake = undefined;
        }
      },
      ack: () => {
        if (!state.ended) send(gen, { op: 'ack', id });
      },
      cancel: () => {
        if (state.ended || timer) return;
        send(gen, { op: 'cancel', id });
        timer = setTimeout(() => replace(gen.number, `a cancelled request was still running after ${graceMs} ms`), graceMs);
      },
    };
  };

  const engine = {
    current: () => current,
    /** The live thread, once it accepts work; throws when the host is closed. */
    async generation(): Promise<Generation> {
      for (;;) {
        if (closed) throw new EngineRestartedError('the sandbox is closing');
        const gen = current;
        try {
          await gen.ready;
          return gen;
        } catch (error) {
          if (gen === current) throw error;
        }
      }
    },
    async open(login: Login, database: string | undefined): Promise<{ gen: Generation; session: number; database: string }> {
      const gen = await engine.generation();
      let result: { session: number; database: string } | undefined;
      const opening = call(
        gen,
        (id) => ({ op: 'open', id, login, database }),
        (session, db) => (result = { session, database: db }),
      );
      await opening.next();
      if (!result) throw new Error('the engine did not open a session');
      return { gen, ...result };
    },
    run(gen: Generation, session: number, request: WorkRequest, prelude: string | undefined): WorkerCall {
      return call(gen, (id) => ({ op: 'run', id, session, request, ...(prelude ? { prelude } : {}) }));
    },
    nextDescriptor: () => (descriptors += 1n),
    async close(gen: Generation, session: number): Promise<void> {
      if (closed || gen !== current) return;
      await call(gen, (id) => ({ op: 'close', id, session }))
        .next()
        .catch(() => undefined);
    },
  };

  return {
    defaultDatabase: options.database,
    authenticate: (user, password) => {
      const created = createdLogins.get(user.toLowerCase());
      return matchLogin(options.logins, user, password) ?? (created?.password === password ? createdLogin(created.user) : null);
    },
    hasDatabase: (name) => name.toLowerCase() === options.database.toLowerCase(),
    async openSession(login: Login, database: string | undefined): Promise<Session> {
      // The one database there is, spelled as the engine spells it (hasDatabase checked the name).
      void database;
      return new RemoteSession(engine, login, options.database);
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await Promise.all([current.worker.terminate(), spare?.worker.terminate()]);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** What RemoteSession needs from the host. */
export interface EngineLink {
  /** The thread requests go to now (it may still be starting). */
  current(): Generation;
  generation(): Promise<Generation>;
  open(login: Login, database: string | undefined): Promise<{ gen: Generation; session: number; database: string }>;
  run(gen: Generation, session: number, request: WorkRequest, prelude: string | undefined): WorkerCall;
  /** Transaction descriptors for batches answered without the engine (apart from the engine's). */
  nextDescriptor(): bigint;
  close(gen: Generation, session: number): Promise<void>;
}

export type { Generation };
