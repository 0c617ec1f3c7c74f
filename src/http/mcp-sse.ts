import { randomUUID } from 'node:crypto';
import type { Handler } from 'hono';
import { streamSSE } from 'hono/streaming';
import { AppError } from '../errors.ts';
import { toAuthInfo } from '../mcp/call-context.ts';
import type { AppEnv } from './context.ts';
import type { McpHttpDeps } from './mcp-messages.ts';
import { assertToolsCallAllowed, callContext, protocolVersionOf, readJsonRpc, SSE_KEEPALIVE_MS, traceparentOf } from './mcp-messages.ts';
import type { SseSessionRegistry } from './sse-sessions.ts';
import { SseSessionTransport } from './sse-sessions.ts';

/** Open legacy streams one principal may hold; each pins a socket and an McpServer in memory. */
export const MAX_STREAMS_PER_PRINCIPAL = 16;

export interface LegacySseDeps extends McpHttpDeps {
  sessions: SseSessionRegistry;
}

/**
 * `GET /sse` (legacy HTTP+SSE, MCP 2024-11-05; deprecated since 2025-03-26 and absent from
 * 2026-07-28, kept for clients that still use it — new clients use `POST /mcp`): opens the event stream, announces where to POST
 * with `event: endpoint` — `data: <public prefix>/messages?sessionId=<uuid>`, the prefix included
 * because the client resolves it against the origin (item 31) — then sends keep-alive comments
 * until either side closes. One McpServer per session.
 */
export function legacySseStreamHandler(deps: LegacySseDeps): Handler<AppEnv> {
  const keepAliveMs = deps.keepAliveMs ?? SSE_KEEPALIVE_MS;
  return async function legacySseStream(c) {
    if (deps.sessions.countFor(c.get('principal').id) >= MAX_STREAMS_PER_PRINCIPAL) {
      throw new AppError('RATE_LIMITED', 429, 'Too many open SSE streams; close one or use Streamable HTTP (POST /mcp).', {
        headers: { 'Retry-After': '30' },
      });
    }
    const sessionId = randomUUID();
    const endpoint = `${c.get('publicPrefix')}/messages?sessionId=${sessionId}`;
    const logger = c.get('logger');
    const server = deps.newServer(await deps.instructions());
    c.header('X-Accel-Buffering', 'no');
    c.header('Cache-Control', 'no-cache, no-transform');
    return streamSSE(c, async (stream) => {
      let finish!: () => void;
      const finished = new Promise<void>((resolve) => (finish = resolve));
      const transport = new SseSessionTransport(sessionId, (event) => stream.writeSSE(event), finish);
      deps.sessions.add({ transport, principalId: c.get('principal').id });
      stream.onAbort(() => void transport.close());
      transport.onclose = () => {
        deps.sessions.delete(sessionId);
        finish();
      };
      await server.connect(transport);
      await stream.writeSSE({ event: 'endpoint', data: endpoint });
      logger.info('sse_open', { session: sessionId, principal: c.get('principal').id });
      const timer = setInterval(() => {
        stream.write(': keepalive\n\n').catch(() => void transport.close());
      }, keepAliveMs);
      timer.unref();
      await finished;
      clearInterval(timer);
      await server.close();
      logger.info('sse_close', { session: sessionId });
    });
  };
}

/**
 * `POST /messages?sessionId=…`: one JSON-RPC message for an open session → 202 (the answer goes
 * down the stream). Unknown session → 404. A session opened by another principal is reported as
 * unknown too (404), so session ids are not an oracle and sessions are not auth (item 25).
 */
export function legacySseMessageHandler(deps: LegacySseDeps): Handler<AppEnv> {
  return async function legacySseMessage(c) {
    const sessionId = c.req.query('sessionId');
    if (!sessionId) throw new AppError('BAD_REQUEST', 400, 'The sessionId query parameter is required.');
    const session = deps.sessions.get(sessionId);
    if (!session || session.principalId !== c.get('principal').id) {
      throw new AppError('SESSION_NOT_FOUND', 404, 'Unknown or closed session; open a new stream with GET /sse.');
    }
    const read = await readJsonRpc(c);
    if (read instanceof Response) return read;
    assertToolsCallAllowed(c, read.messages, deps);
    // The session's version was negotiated by its `initialize`; later posts rarely repeat it.
    const first = read.messages[0];
    if (first?.method === 'initialize') session.protocolVersion = protocolVersionOf(c, first);
    c.set('mcpProtocol', session.protocolVersion ?? protocolVersionOf(c, first));
    c.set('traceparent', traceparentOf(c, first));
    const authInfo = toAuthInfo(callContext(c, undefined, read.messages));
    try {
      for (const message of read.messages) session.transport.receive(message, { authInfo });
    } catch {
      throw new AppError('BAD_REQUEST', 400, 'Invalid JSON-RPC message.');
    }
    return c.body('Accepted', 202, { 'Content-Type': 'text/plain; charset=utf-8' });
  };
}
