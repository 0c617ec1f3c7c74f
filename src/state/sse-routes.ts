/**
 * Where a legacy SSE session (`GET /sse`) lives and how a `POST /messages` reaches it. The stream
 * is a socket held by one replica; the POST may land on any. In-process (no STATE_STORE_URL):
 * a map of this process's streams, as before. Redis (src/state/sse-routes-redis.ts): a registry
 * key per session plus pub/sub, so round-robin balancing works without sticky sessions.
 */

/** What a replica needs to know about a session it may not hold. */
export interface SseRouteInfo {
  /** Only the principal that opened the stream may post to it. */
  principalId: string;
  /** Negotiated by the session's `initialize`, for the logs of its later messages. */
  protocolVersion?: string | undefined;
}

/**
 * POSTed JSON-RPC messages on their way to the stream's holder. `context` is JSON (it may cross
 * Redis): the caller, request id and public base; the holder adds its own logger and observer.
 */
export interface SseDelivery {
  messages: unknown[];
  context: Record<string, unknown>;
}

/** A stream this replica holds; `close` withdraws it (idempotent, never throws). */
export interface SseRouteLease {
  close(): Promise<void>;
}

/** Every method that needs the shared store rejects with `StateStoreError` when it cannot answer. */
export interface SseRoutes {
  /** Announces a stream held here; deliveries for it, from any replica, call `onDelivery`. */
  open(sessionId: string, info: SseRouteInfo, onDelivery: (delivery: SseDelivery) => void): Promise<SseRouteLease>;
  /** The session's owner, or undefined when no replica holds it (unknown, closed or expired). */
  find(sessionId: string): Promise<SseRouteInfo | undefined>;
  noteProtocolVersion(sessionId: string, version: string): Promise<void>;
  /** Hands messages to the stream's holder; false when nobody holds it any more. */
  deliver(sessionId: string, delivery: SseDelivery): Promise<boolean>;
  /** Releases connections (shutdown). */
  close(): Promise<void>;
}

/** This process's own streams: a POST must reach the process holding the stream (today's behaviour). */
export function createLocalSseRoutes(): SseRoutes {
  const routes = new Map<string, { info: SseRouteInfo; onDelivery: (delivery: SseDelivery) => void }>();
  return {
    async open(sessionId, info, onDelivery) {
      routes.set(sessionId, { info: { ...info }, onDelivery });
      return {
        close: async () => void routes.delete(sessionId),
      };
    },
    find: async (sessionId) => {
      const route = routes.get(sessionId);
      return route ? { ...route.info } : undefined;
    },
    noteProtocolVersion: async (sessionId, version) => {
      const route = routes.get(sessionId);
      if (route) route.info.protocolVersion = version;
    },
    deliver: async (sessionId, delivery) => {
      const route = routes.get(sessionId);
      if (!route) return false;
      route.onDelivery(delivery);
      return true;
    },
    close: async () => {},
  };
}
