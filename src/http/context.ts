import type { Logger } from '../logger.ts';
import type { ToolObserver } from '../telemetry/tool-observer.ts';
import type { Principal } from '../auth/principal.ts';

/**
 * Per-request values the edge middleware sets, typed for every route (ours and the OAuth routes).
 * `publicBase` is what all absolute URLs (record links, `resource`, `resource_metadata`, issuer)
 * are built from: `PUBLIC_BASE_URL` + the trusted prefix, no trailing slash.
 */
export interface AppVariables {
  requestId: string;
  logger: Logger;
  /** `https://data.example.com` (configured, never from X-Forwarded-Host). */
  publicOrigin: string;
  /** '' or `/chatgpt`: from X-Environment-Path when the peer is a trusted proxy, else ENVIRONMENT_PATH. */
  publicPrefix: string;
  /** publicOrigin + publicPrefix. */
  publicBase: string;
  /** The client's address: the TCP peer, or the nearest untrusted X-Forwarded-For hop behind trusted proxies. */
  clientIp: string;
  /** Set by the bearer middleware on protected routes. */
  principal: Principal;
  /** Set by the MCP transports: the protocol version the client spoke, for the access log line. */
  mcpProtocol?: string | undefined;
  /** Set by the MCP transports: W3C `traceparent` from `params._meta` or the HTTP header. */
  traceparent?: string | undefined;
  /** Metrics, traces and the console's activity around each tool call (issue 14); unset = none. */
  observeTool?: ToolObserver | undefined;
  /** Messages in a POSTed JSON-RPC body (a batch counts each), set by `jsonRpcBodyLimit`. */
  jsonRpcMessages?: number;
}

/** Hono environment of the whole app. `Bindings` is whatever @hono/node-server passes (or a test). */
export interface AppEnv {
  Variables: AppVariables;
  Bindings: NodeBindingsLike;
}

/** The part of @hono/node-server's `HttpBindings` the edge reads: the socket's peer address. */
export interface NodeBindingsLike {
  incoming?: { socket?: { remoteAddress?: string | undefined } };
}
