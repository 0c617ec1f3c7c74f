import type { JSONRPCMessage, MessageExtraInfo, Transport } from '@modelcontextprotocol/server';
import { parseJSONRPCMessage } from '@modelcontextprotocol/server';

/** Writes one SSE event to the open `GET /sse` stream. */
export type SseWriter = (event: { event: string; data: string }) => Promise<void>;

/**
 * The server side of one legacy HTTP+SSE session (MCP 2024-11-05): outgoing messages are
 * `event: message` frames on the GET stream; incoming ones arrive by `POST /messages` and are
 * handed in with `receive`. The SDK's own SSEServerTransport needs Node `res` objects; this one
 * writes through Hono's `streamSSE`, so it works under app.request() and any runtime.
 */
export class SseSessionTransport implements Transport {
  readonly sessionId: string;
  onclose?: (() => void) | undefined;
  onerror?: ((error: Error) => void) | undefined;
  onmessage?: (<T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void) | undefined;
  #write: SseWriter;
  #closed = false;
  #closeStream: () => void;

  constructor(sessionId: string, write: SseWriter, closeStream: () => void) {
    this.sessionId = sessionId;
    this.#write = write;
    this.#closeStream = closeStream;
  }

  async start(): Promise<void> {}

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.#closed) throw new Error('SSE session closed');
    await this.#write({ event: 'message', data: JSON.stringify(message) });
  }

  /** Validates and dispatches one POSTed message; throws on an invalid JSON-RPC message. */
  receive(message: unknown, extra: MessageExtraInfo): void {
    const parsed = parseJSONRPCMessage(message);
    this.onmessage?.(parsed, extra);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#closeStream();
    this.onclose?.();
  }
}

export interface SseSession {
  transport: SseSessionTransport;
  /** Only the principal that opened the stream may post to it (item 31). */
  principalId: string;
}

/**
 * The open legacy SSE streams this process holds (per-principal cap, metrics, shutdown). Which
 * replica a POST reaches is `SseRoutes`' concern (src/state/sse-routes.ts): in-process, or Redis
 * pub/sub so any replica can take it.
 */
export class SseSessionRegistry {
  #sessions = new Map<string, SseSession>();

  add(session: SseSession): void {
    this.#sessions.set(session.transport.sessionId, session);
  }

  get(sessionId: string): SseSession | undefined {
    return this.#sessions.get(sessionId);
  }

  delete(sessionId: string): void {
    this.#sessions.delete(sessionId);
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** Open streams of one principal (each holds a socket and an McpServer). */
  countFor(principalId: string): number {
    let count = 0;
    for (const session of this.#sessions.values()) if (session.principalId === principalId) count += 1;
    return count;
  }

  /** Ends every stream (graceful shutdown): clients see the stream close and reconnect elsewhere. */
  async closeAll(): Promise<void> {
    const sessions = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.allSettled(sessions.map((session) => session.transport.close()));
  }
}
