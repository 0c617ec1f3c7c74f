import { randomUUID } from 'node:crypto';
import { parseJSONRPCMessage } from '@modelcontextprotocol/server';
import type { Handler } from 'hono';
import { streamSSE } from 'hono/streaming';
import { AppError } from '../errors.ts';
import type { CallContext } from '../mcp/call-context.ts';
import { toAuthInfo } from '../mcp/call-context.ts';
import type { SseDelivery, SseRoutes } from '../state/sse-routes.ts';
import type { AppEnv } from './context.ts';
import type { McpHttpDeps } from './mcp-messages.ts';
import { assertToolsCallAllowed, callContext, protocolVersionOf, readJsonRpc, SSE_KEEPALIVE_MS, traceparentOf } from './mcp-messages.ts';
import type { SseSessionRegistry } from './sse-sessions.ts';
import { SseSessionTransport } from './sse-sessions.ts';
import { orUnavailable } from './state-unavailable.ts';

/** Open legacy streams one principal may hold; each pins a socket and an McpServer in memory. */
export const MAX_STREAMS_PER_PRINCIPAL = 16;

export interface LegacySseDeps extends McpHttpDeps {
  /** This replica's open streams (per-principal cap, shutdown). */
  sessions: SseSessionRegistry;
  /** How a POST on any replica reaches the replica holding the stream (in-process or Redis). */
  routes: SseRoutes;
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
      throw new AppError('RATE_LIMITED', 'Too many open SSE streams; close one or use Streamable HTTP (POST /mcp).', {
        headers: { 'Retry-After': '30' },
      });
    }
    const sessionId = randomUUID();
    const endpoint = `${c.get('publicPrefix')}/messages?sessionId=${sessionId}`;
    const logger = c.get('logger');
    const principalId = c.get('principal').id;
    const observe = c.get('observeTool');
    let transport: SseSessionTransport | undefined;
    // Messages POSTed to any replica arrive here; the holder's logger and observer go with them.
    const onDelivery = (delivery: SseDelivery) => {
      const context = { ...delivery.context, logger, observe } as unknown as CallContext;
      for (const message of delivery.messages) {
        try {
          transport?.receive(message, { authInfo: toAuthInfo(context) });
        } catch (error) {
          logger.warn('sse_message_invalid', { session: sessionId, error });
        }
      }
    };
    // Announced before the stream opens: a store that cannot take it is a 503, not a dead stream.
    const server = deps.newServer(await deps.instructions());
    const lease = await orUnavailable(deps.routes.open(sessionId, { principalId }, onDelivery));
    c.header('X-Accel-Buffering', 'no');
    c.header('Cache-Control', 'no-cache, no-transform');
    return streamSSE(c, async (stream) => {
      let finish!: () => void;
      const finished = new Promise<void>((resolve) => (finish = resolve));
      const session = new SseSessionTransport(sessionId, (event) => stream.writeSSE(event), finish);
      transport = session;
      deps.sessions.add({ transport: session, principalId });
      stream.onAbort(() => void session.close());
      session.onclose = () => {
        deps.sessions.delete(sessionId);
        void lease.close();
        finish();
      };
      await server.connect(session);
      await stream.writeSSE({ event: 'endpoint', data: endpoint });
      logger.info('sse_open', { session: sessionId, principal: c.get('principal').id });
      const timer = setInterval(() => {
        stream.write(': keepalive\n\n').catch(() => void session.close());
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
 * `POST /messages?sessionId=…`: one JSON-RPC message (or batch) for an open session → 202; the
 * answer goes down the stream, on whichever replica holds it (`SseRoutes`). Unknown, closed or
 * expired session → 404. A session opened by another principal is reported as unknown too (404),
 * so session ids are not an oracle and sessions are not auth (item 25). Shared store down → 503.
 */
export function legacySseMessageHandler(deps: LegacySseDeps): Handler<AppEnv> {
  return async function legacySseMessage(c) {
    const sessionId = c.req.query('sessionId');
    if (!sessionId) throw new AppError('BAD_REQUEST', 'The sessionId query parameter is required.');
    const session = await orUnavailable(deps.routes.find(sessionId));
    if (!session || session.principalId !== c.get('principal').id) throw sessionNotFound();
    const read = await readJsonRpc(c);
    if (read instanceof Response) return read;
    assertToolsCallAllowed(c, read.messages, deps);
    try {
      for (const message of read.messages) parseJSONRPCMessage(message);
    } catch {
      throw new AppError('BAD_REQUEST', 'Invalid JSON-RPC message.');
    }
    // The session's version was negotiated by its `initialize`; later posts rarely repeat it.
    const first = read.messages[0];
    let protocolVersion = session.protocolVersion;
    if (first?.method === 'initialize') {
      protocolVersion = protocolVersionOf(c, first);
      await orUnavailable(deps.routes.noteProtocolVersion(sessionId, protocolVersion));
    }
    c.set('mcpProtocol', protocolVersion ?? protocolVersionOf(c, first));
    c.set('traceparent', traceparentOf(c, first));
    const { logger: _logger, signal: _signal, observe: _observe, ...context } = callContext(c, undefined, read.messages);
    const delivered = await orUnavailable(deps.routes.deliver(sessionId, { messages: read.messages, context: { ...context } }));
    if (!delivered) throw sessionNotFound();
    return c.body('Accepted', 202, { 'Content-Type': 'text/plain; charset=utf-8' });
  };
}

function sessionNotFound(): AppError {
  return new AppError('SESSION_NOT_FOUND', 'Unknown or closed session; open a new stream with GET /sse.');
}
