import type { Context } from 'hono';
import type { CallContext } from '../mcp/call-context.ts';
import type { AppEnv } from './context.ts';

/** W3C trace-context `traceparent` (version-traceid-parentid-flags); anything else is ignored. */
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
/** Where MCP 2026-07-28 requests name their protocol version. */
const PROTOCOL_META_KEY = 'io.modelcontextprotocol/protocolVersion';

interface MessageLike {
  id?: unknown;
  method?: unknown;
  params?: unknown;
}

function metaOf(message: MessageLike | undefined): Record<string, unknown> {
  const meta = (message?.params as { _meta?: unknown } | undefined)?._meta;
  return typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>) : {};
}

/**
 * What traces and the console need to know about a request's tool call: its JSON-RPC id, the
 * protocol version it speaks (`_meta` of 2026-07-28 requests, else the `MCP-Protocol-Version`
 * header) and the caller's trace context (`params._meta.traceparent`, else the HTTP
 * `traceparent` header). Read from the request's first `tools/call` (a batch is one caller).
 */
export function callFacts(
  c: Context<AppEnv>,
  messages: readonly MessageLike[],
): Pick<CallContext, 'rpcId' | 'protocolVersion' | 'traceparent' | 'observe'> {
  const call = messages.find((message) => message.method === 'tools/call');
  const meta = metaOf(call);
  const fromMeta = meta.traceparent;
  const traceparent = typeof fromMeta === 'string' ? fromMeta : c.req.header('traceparent');
  const claimed = meta[PROTOCOL_META_KEY];
  return {
    rpcId: typeof call?.id === 'string' || typeof call?.id === 'number' ? call.id : undefined,
    protocolVersion: (typeof claimed === 'string' ? claimed : c.req.header('mcp-protocol-version'))?.slice(0, 40),
    traceparent: traceparent !== undefined && TRACEPARENT.test(traceparent) ? traceparent : undefined,
    observe: c.get('observeTool'),
  };
}
