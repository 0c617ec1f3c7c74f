import {
  createMcpHandler,
  isLegacyRequest,
  SUPPORTED_PROTOCOL_VERSIONS,
  WebStandardStreamableHTTPServerTransport,
} from '@modelcontextprotocol/server';
import type { Context, Handler } from 'hono';
import { toAuthInfo } from '../mcp/call-context.ts';
import type { AppEnv } from './context.ts';
import type { JsonRpcMessageLike, McpHttpDeps } from './mcp-messages.ts';
import { assertToolsCallAllowed, callContext, MAX_BODY_BYTES, noteProtocol, readJsonRpc, SSE_KEEPALIVE_MS } from './mcp-messages.ts';

/** Methods whose answer carries the server's `instructions`: only they wait for them. */
const ANSWERS_WITH_INSTRUCTIONS = new Set(['initialize', 'server/discover']);

/**
 * Streamable HTTP on `POST /mcp` and `POST /sse` for both protocol eras, stateless: no
 * `Mcp-Session-Id`, so any replica can answer any request (item 28; ChatGPT sends no session id).
 *
 * The SDK classifies each request by its body (`isLegacyRequest`, the same predicate its own
 * `createMcpHandler` routes with):
 * - **2026-07-28** (a `_meta` envelope with the protocol version): the SDK's per-request handler,
 *   strict by the specification — `server/discover`, `Mcp-Method`/`Mcp-Name` headers checked
 *   against the body (-32020), cache hints and `resultType` on results, an unsupported version
 *   answered -32022 with the supported ones.
 * - **2025-era** (`initialize`, then calls without an envelope): a fresh server and the SDK's
 *   stateless Streamable HTTP transport, wired here rather than by `createMcpHandler`'s own
 *   fallback for two leniencies of item 26: `Accept` is not enforced (a client that lists
 *   `text/event-stream` gets an SSE response with keep-alive comments, any other plain JSON), and
 *   a JSON answer drops the server instead of closing it (closing would abort each finished
 *   handler and build an error with its stack per request, for nothing). Absent
 *   `MCP-Protocol-Version` → 2025-03-26 (item 27); one neither era knows → 400, JSON-RPC -32022
 *   from the 2026 handler, naming the supported versions (item 41).
 *
 * Either way bodies are read once here (415 wrong type, 413 too large, -32700 invalid JSON) and
 * anonymous `tools/call` is refused before any server is built.
 */
export function streamableHttpHandler(deps: McpHttpDeps): Handler<AppEnv> {
  const keepAliveMs = deps.keepAliveMs ?? SSE_KEEPALIVE_MS;
  const instructionsFor = new WeakMap<Request, string>();
  const modern = createMcpHandler(({ requestInfo }) => deps.newServer(requestInfo && instructionsFor.get(requestInfo)), {
    legacy: 'reject',
    keepAliveMs,
    maxRequestBodySize: MAX_BODY_BYTES,
  });

  return async function streamableHttp(c) {
    const read = await readJsonRpc(c);
    if (read instanceof Response) return read;
    const { body, messages } = read;
    assertToolsCallAllowed(c, messages, deps);
    noteProtocol(c, messages);

    const request = c.req.raw;
    // A client that probed with 2026-07-28 and fell back to `initialize` may still announce the
    // newer version in the header; the body negotiates, as the 1.x SDK allowed (the v2 SDK would
    // answer -32020), so such a client still connects.
    if (messages.some((message) => message.method === 'initialize')) request.headers.delete('mcp-protocol-version');
    const withInstructions = messages.some((message) => ANSWERS_WITH_INSTRUCTIONS.has(message.method as string));
    if (await servedAsLegacy(request, body)) {
      return serveLegacy(c, deps, body, messages, withInstructions ? await deps.instructions() : undefined, keepAliveMs);
    }
    if (withInstructions) instructionsFor.set(request, await deps.instructions());
    return unbuffered(await modern.fetch(request, { parsedBody: body, authInfo: toAuthInfo(callContext(c, request.signal, messages)) }));
  };
}

/** An SSE answer tells nginx not to buffer it (item 45), or keep-alives and progress arrive late. */
function unbuffered(response: Response): Response {
  if (response.headers.get('content-type')?.startsWith('text/event-stream')) response.headers.set('X-Accel-Buffering', 'no');
  return response;
}

/**
 * Whether the request goes to the 2025 leg. A request naming a version the 2025 leg does not know
 * in `MCP-Protocol-Version` (2026-07-28 clients must send it) goes straight to the SDK's 2026
 * handler, which classifies it anyway and answers it or refuses it (-32022, -32602, -32020);
 * only the others need the SDK's own predicate (a 2026 body without the header is refused there
 * too). Saves classifying every 2026 request twice, about 4 % of a cached `fetch`.
 */
async function servedAsLegacy(request: Request, body: unknown): Promise<boolean> {
  const version = request.headers.get('mcp-protocol-version');
  if (version !== null && !SUPPORTED_PROTOCOL_VERSIONS.includes(version.trim())) return false;
  return isLegacyRequest(request, body, { maxRequestBodySize: MAX_BODY_BYTES });
}

async function serveLegacy(
  c: Context<AppEnv>,
  deps: McpHttpDeps,
  body: unknown,
  messages: readonly JsonRpcMessageLike[],
  instructions: string | undefined,
  keepAliveMs: number,
): Promise<Response> {
  const wantsSse = (c.req.header('accept') ?? '').includes('text/event-stream');
  const server = deps.newServer(instructions);
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: !wantsSse,
    keepAliveMs,
    maxRequestBodySize: MAX_BODY_BYTES,
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
  // left to cancel: the server and transport are dropped for the GC instead of closed.
  if (!response.headers.get('content-type')?.includes('text/event-stream')) {
    signal.removeEventListener('abort', onAbort);
  }
  return unbuffered(response);
}
