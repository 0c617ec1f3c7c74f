import {
  DEFAULT_NEGOTIATED_PROTOCOL_VERSION,
  LATEST_PROTOCOL_VERSION,
  PROTOCOL_VERSION_META_KEY,
  SUPPORTED_PROTOCOL_VERSIONS,
  TRACEPARENT_META_KEY,
} from '@modelcontextprotocol/server';
import type { Context } from 'hono';
import type { BearerAuthOptions } from './auth/bearer.ts';
import { unauthorized } from './auth/bearer.ts';
import type { AppEnv } from './context.ts';
import { MAX_JSON_RPC_BODY_BYTES } from './body-limit.ts';
import type { CallContext } from '../mcp/call-context.ts';
import { callFacts } from './mcp-call-facts.ts';
import type { McpServerFactory } from '../mcp/server.ts';

/** What both MCP transports need from the app. */
export interface McpHttpDeps {
  /** Builds the per-request (or per-session) McpServer (src/mcp/server.ts). */
  newServer: McpServerFactory;
  /** Memoised `research.instructions()` (src/mcp/instructions.ts). */
  instructions: () => Promise<string>;
  /** ALLOW_UNAUTH_TOOLS_CALL: anonymous callers may also call tools, not just list them. */
  allowAnonymousToolsCall: boolean;
  challenge: Pick<BearerAuthOptions, 'resourcePath' | 'oauth'>;
  /** Interval of SSE keep-alive comments on both transports (default SSE_KEEPALIVE_MS). */
  keepAliveMs?: number | undefined;
}

/**
 * Comment frames keep proxies from closing a quiet stream while a long call runs: nginx's
 * `proxy_read_timeout`, Cloudflare's ~100 s idle limit; item 31 asks for at most 30 s.
 */
export const SSE_KEEPALIVE_MS = 20_000;

/** Largest JSON-RPC body accepted: the limit `jsonRpcBodyLimit` enforces, also handed to the SDK. */
export const MAX_BODY_BYTES = MAX_JSON_RPC_BODY_BYTES;

export interface JsonRpcMessageLike {
  jsonrpc?: unknown;
  id?: unknown;
  method?: unknown;
  params?: unknown;
}

/** A JSON-RPC error response (`id: null`: the request could not be read), like the SDK's own. */
export function jsonRpcErrorResponse(status: number, code: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

/** `application/json` with optional parameters, compared as a media type, not a substring. */
export function isJsonContentType(value: string | undefined): boolean {
  return value !== undefined && value.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/**
 * Parses a JSON-RPC body (single message or batch). Returns a ready error Response for a wrong
 * content type (415, item 26) or invalid JSON (400, -32700). Its routes read the body behind
 * `jsonRpcBodyLimit` (mcp-routes.ts), which already refused an oversized one (413) while streaming.
 */
export async function readJsonRpc(c: Context<AppEnv>): Promise<{ body: unknown; messages: JsonRpcMessageLike[] } | Response> {
  if (!isJsonContentType(c.req.header('content-type'))) {
    return jsonRpcErrorResponse(415, -32000, 'Unsupported Media Type: Content-Type must be application/json');
  }
  const text = await c.req.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return jsonRpcErrorResponse(400, -32700, 'Parse error: Invalid JSON');
  }
  const list = Array.isArray(body) ? body : [body];
  if (list.length === 0 || !list.every((item) => typeof item === 'object' && item !== null)) {
    return jsonRpcErrorResponse(400, -32600, 'Invalid Request: expected a JSON-RPC message or batch');
  }
  return { body, messages: list as JsonRpcMessageLike[] };
}

/**
 * With ALLOW_UNAUTH_METHODS only, an anonymous caller may initialize and list tools but not call
 * them: a `tools/call` gets the same 401 challenge as a missing token.
 */
export function assertToolsCallAllowed(c: Context<AppEnv>, messages: readonly JsonRpcMessageLike[], deps: McpHttpDeps): void {
  if (c.get('principal').kind !== 'anonymous' || deps.allowAnonymousToolsCall) return;
  if (messages.some((message) => message.method === 'tools/call')) throw unauthorized(c, deps.challenge);
}

/** W3C trace-context `traceparent` (version-traceid-parentid-flags); anything else is not logged. */
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

function metaOf(message: JsonRpcMessageLike | undefined): Record<string, unknown> | undefined {
  const params = message?.params;
  if (typeof params !== 'object' || params === null) return undefined;
  const meta = (params as { _meta?: unknown })._meta;
  return typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>) : undefined;
}

/**
 * The protocol version a request speaks, for the logs: 2026-07-28 clients name it in every
 * request's `params._meta`; a 2025 `initialize` negotiates it in its body (the SDK answers with
 * the requested version when supported, else its latest); later 2025 requests repeat it in the
 * `MCP-Protocol-Version` header, and a request with none is 2025-03-26 by the specification.
 */
export function protocolVersionOf(c: Context<AppEnv>, message: JsonRpcMessageLike | undefined): string {
  const claimed = metaOf(message)?.[PROTOCOL_VERSION_META_KEY];
  if (typeof claimed === 'string') return claimed.slice(0, 40);
  if (message?.method === 'initialize') {
    const requested = (message.params as { protocolVersion?: unknown } | undefined)?.protocolVersion;
    return typeof requested === 'string' && SUPPORTED_PROTOCOL_VERSIONS.includes(requested) ? requested : LATEST_PROTOCOL_VERSION;
  }
  return c.req.header('mcp-protocol-version')?.slice(0, 40) ?? DEFAULT_NEGOTIATED_PROTOCOL_VERSION;
}

/** `traceparent` from `params._meta` (MCP 2026-07-28), else the HTTP header; only a well-formed one. */
export function traceparentOf(c: Context<AppEnv>, message: JsonRpcMessageLike | undefined): string | undefined {
  const fromMeta = metaOf(message)?.[TRACEPARENT_META_KEY];
  const value = typeof fromMeta === 'string' ? fromMeta : c.req.header('traceparent');
  return value !== undefined && TRACEPARENT.test(value) ? value : undefined;
}

/**
 * Notes the request's protocol version and trace context on the Hono context (for the access log
 * line) from its first message; a batch (2025-03-26 only) is one era.
 */
export function noteProtocol(c: Context<AppEnv>, messages: readonly JsonRpcMessageLike[]): void {
  const first = messages[0];
  c.set('mcpProtocol', protocolVersionOf(c, first));
  c.set('traceparent', traceparentOf(c, first));
}

/** The per-request call context handed to tools through the transport's `authInfo`. */
export function callContext(c: Context<AppEnv>, signal?: AbortSignal, messages: readonly JsonRpcMessageLike[] = []): CallContext {
  return {
    ...callFacts(c, messages),
    principal: c.get('principal'),
    requestId: c.get('requestId'),
    publicBase: c.get('publicBase'),
    logger: c.get('logger'),
    signal,
    protocolVersion: c.get('mcpProtocol'),
    traceparent: c.get('traceparent'),
  };
}
