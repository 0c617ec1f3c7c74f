import type { BatchEvent, Login, RpcParam } from '../backend.ts';
import type { EngineLogins } from '../engine/index.ts';

/** What the engine worker is started with (`workerData`). */
export interface WorkerSetup {
  database: string;
  logins: EngineLogins;
  cacheDir?: string;
  /** PGlite's data directory: loaded from the snapshot when empty, crash-recovered when not. */
  dataDir: string;
}

/** One request the worker runs for a session. */
export type WorkRequest =
  | { type: 'batch'; sql: string }
  | { type: 'rpc'; procedure: string; params: RpcParam[] }
  | { type: 'begin'; isolation?: number }
  | { type: 'commit' }
  | { type: 'rollback' };

export interface SessionStatus {
  trancount: number;
  nocount: boolean;
  implicitTransactions: boolean;
}

/** Host → worker. `id` names a call; the worker answers every call with `end` or `fail`. */
export type HostMessage =
  | { op: 'open'; id: number; login: Login; database: string | undefined }
  /** `prelude`: SET statements the host answered itself, applied first, their events dropped. */
  | { op: 'run'; id: number; session: number; request: WorkRequest; prelude?: string }
  /** The host has written this many chunks of the call; the worker may send more. */
  | { op: 'ack'; id: number }
  | { op: 'cancel'; id: number }
  | { op: 'close'; id: number; session: number };

/** Worker → host. */
export type WorkerMessage =
  /** `warmed`: tables a replacement thread read before accepting work. */
  | { kind: 'ready'; warmed?: number }
  | { kind: 'startup-failed'; message: string }
  | { kind: 'opened'; id: number; session: number; database: string }
  | { kind: 'events'; id: number; events: BatchEvent[] }
  /** `status`: the session's state after a request, for the host's trivial-batch answers. */
  | { kind: 'end'; id: number; status?: SessionStatus }
  | { kind: 'fail'; id: number; message: string }
  /** A batch ran `CREATE LOGIN`: the host authenticates connections, so it must know the login. */
  | { kind: 'login'; user: string; password: string };

/** Events per chunk, and chunks the worker may send ahead of the host's writes (backpressure). */
export const CHUNK_EVENTS = 256;
export const CHUNK_WINDOW = 2;
