import type { Context } from 'hono';
import type { CallContext } from '../mcp/call-context.ts';
import type { AppEnv } from './context.ts';

interface MessageLike {
  id?: unknown;
  method?: unknown;
}

/**
 * What traces and the console need besides the protocol version and trace context (which
 * `noteProtocol` in mcp-messages.ts reads once per request): the JSON-RPC id of the request's
 * first `tools/call` (a batch is one caller) and the observer around tool calls.
 */
export function callFacts(c: Context<AppEnv>, messages: readonly MessageLike[]): Pick<CallContext, 'rpcId' | 'observe'> {
  const call = messages.find((message) => message.method === 'tools/call');
  return {
    rpcId: typeof call?.id === 'string' || typeof call?.id === 'number' ? call.id : undefined,
    observe: c.get('observeTool'),
  };
}
