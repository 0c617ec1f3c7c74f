import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import type { Handler } from 'hono';
import { toAuthInfo } from '../mcp/call-context.ts';
import type { AppEnv } from './context.ts';
import type { McpHttpDeps } from './mcp-messages.ts';
import { assertToolsCallAllowed, callContext, jsonRpcErrorResponse, readJsonRpc, SSE_KEEPALIVE_MS } from './mcp-messages.ts';

/**
 * Stateless Streamable HTTP (MCP 2025-03-26 and later) on `POST /mcp` and `POST /sse`: a fresh
 * McpServer and transport per request, no `Mcp-Session-Id`, so any replica can answer any request
 * (item 28; ChatGPT sends no session id).
 *
 * Leniency and strictness, by conformance item:
 * - 26: notifications and responses → 202 empty; wrong Content-Type → 415. `Accept` is not
 *   enforced: a client that lists `text/event-stream` gets an SSE response (the SDK's keep-alive
 *   comments protect long calls behind proxies), any other client gets plain JSON.
 * - 27: an unsupported `MCP-Protocol-Version` header → 400; absent → 2025-03-26 is assumed.
 *   `initialize` is exempt, as in the SDK: its body negotiates the version, so a client that
 *   still announces a newer version in the header (after a failed `server/discover`) can connect.
 *   Exception: `server/discover` (2026-07-28 clients probe with it first, item 29) is answered
 *   with JSON-RPC -32601 whatever version it announces, so the client falls back to `initialize`.
 * - 29: any method the server does not implement → JSON-RPC -32601 from the SDK.
 */
export function streamableHttpHandler(deps: McpHttpDeps): Handler<AppEnv> {
  return async function streamableHttp(c) {
    const read = await readJsonRpc(c);
    if (read instanceof Response) return read;
    const { body, messages } = read;

    const version = c.req.header('mcp-protocol-version');
    const initializing = messages.some((message) => message.method === 'initialize');
    if (version !== undefined && !initializing && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
      const only = messages.length === 1 ? messages[0] : undefined;
      if (only?.method === 'server/discover' && only.id !== undefined) {
        return c.json({ jsonrpc: '2.0', id: only.id, error: { code: -32601, message: 'Method not found' } });
      }
      return jsonRpcErrorResponse(
        400,
        -32000,
        `Bad Request: Unsupported protocol version: ${version.slice(0, 40)} (supported versions: ${SUPPORTED_PROTOCOL_VERSIONS.join(', ')})`,
      );
    }
    assertToolsCallAllowed(c, messages, deps);

    const wantsSse = (c.req.header('accept') ?? '').includes('text/event-stream');
    const server = deps.newServer(initializing ? await deps.instructions() : undefined);
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: !wantsSse,
      keepAliveMs: deps.keepAliveMs ?? SSE_KEEPALIVE_MS,
    });
    await server.connect(transport);

    // The SDK enforces the spec's Accept rule (406); we are lenient, so present what it wants. The
    // body is already parsed (the SDK takes it as `parsedBody`), so the incoming request itself is
    // handed over, its Accept widened in place when needed: copying headers into a new Request
    // per call cost more CPU than the tool call around it.
    const request = c.req.raw;
    const accept = request.headers.get('accept');
    if (!accept?.includes('application/json') || !accept.includes('text/event-stream')) {
      request.headers.set('accept', 'application/json, text/event-stream');
    }
    const signal = request.signal;

    // Client gone: closing the server aborts in-flight handlers, which cancels their queries; the
    // pending JSON answer would never settle, so answer 499 (client closed request, for the log).
    let onAbort!: () => void;
    const gone = new Promise<Response>((resolve) => {
      onAbort = () => {
        void server.close();
        resolve(new Response(null, { status: 499 }));
      };
    });
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    const response = await Promise.race([
      transport.handleRequest(request, { parsedBody: body, authInfo: toAuthInfo(callContext(c, signal, messages)) }),
      gone,
    ]);
    // A JSON answer settles only once every request in the body has been answered, so nothing is
    // left to cancel: the server and transport are dropped for the GC instead of closed. Closing
    // would abort each finished handler's controller (a DOMException each) and build a
    // ConnectionClosed McpError with its stack, per request, for nothing.
    if (!response.headers.get('content-type')?.includes('text/event-stream')) {
      signal.removeEventListener('abort', onAbort);
    }
    return response;
  };
}
