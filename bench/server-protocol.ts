/** Messages between `bench/server-process.ts` (parent) and `bench/server-child.ts`, over Node's IPC channel. */
export type ParentMessage = { type: 'start'; env: Record<string, string> } | { type: 'memory' } | { type: 'cpu' } | { type: 'close' };

/** Memory of the server process after a full GC, in bytes (`process.memoryUsage()`). */
export interface MemorySample {
  /** Whether a GC really ran first (`--expose-gc`); without it the numbers include garbage. */
  gc: boolean;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

export type ChildReply =
  | { type: 'ready'; url: string }
  | { type: 'failed'; message: string }
  | ({ type: 'memory' } & MemorySample)
  /** `process.cpuUsage()` user + system, microseconds since the child started. */
  | { type: 'cpu'; micros: number };
