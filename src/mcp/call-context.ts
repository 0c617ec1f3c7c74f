import type { AuthInfo, ServerContext } from '@modelcontextprotocol/server';
import type { SessionIdentity } from '../db/session-context.ts';
import type { Principal } from '../auth/principal.ts';
import type { Logger } from '../logger.ts';
import type { ToolObserver } from '../telemetry/tool-observer.ts';

/**
 * What a tool call needs to know about its HTTP request. It rides to the tool handler in the
 * SDK's own channel (`authInfo.extra`, passed by the transport for each message), so one
 * McpServer per request or per legacy SSE session can serve per-message callers.
 */
export interface CallContext {
  principal: Principal;
  requestId: string;
  /** Public base with prefix, no trailing slash: record URLs are built from it. */
  publicBase: string;
  logger: Logger;
  /** Aborted when the HTTP request goes away; tools pass it down so queries are cancelled. */
  signal?: AbortSignal | undefined;
  /** JSON-RPC id of the `tools/call`, for its span (`jsonrpc.request.id`). */
  rpcId?: string | number | undefined;
  /** The MCP protocol version the request spoke (`mcp.protocol.version`). */
  protocolVersion?: string | undefined;
  /** W3C trace context of the call (`_meta.traceparent`, else the HTTP header): the span's parent. */
  traceparent?: string | undefined;
  /** Metrics, span and recent activity around the call (src/telemetry); unset = not observed. */
  observe?: ToolObserver | undefined;
}

const KEY = 'mssqlDeepResearch';

/** Wraps a call context as the SDK's AuthInfo. The raw token is never carried along. */
export function toAuthInfo(context: CallContext): AuthInfo {
  return {
    token: '[redacted]',
    clientId: context.principal.clientId ?? context.principal.id,
    scopes: [...context.principal.scopes],
    extra: { [KEY]: context },
  };
}

/** Recovers the call context inside a tool handler; undefined only if a transport forgot it. */
export function fromAuthInfo(authInfo: AuthInfo | undefined): CallContext | undefined {
  return authInfo?.extra?.[KEY] as CallContext | undefined;
}

/** The call context of a tool handler's SDK context (`ctx.http.authInfo`). */
export function fromServerContext(ctx: ServerContext): CallContext | undefined {
  return fromAuthInfo(ctx.http?.authInfo);
}

/**
 * Who a caller's queries run for in SQL Server (`SESSION_CONTEXT` keys `mcp.*`): the person who
 * signed in (subject, verified e-mail, groups), else the principal's own label — an API key's
 * `key:<digest>` — so a row-level security policy always has a subject to decide on.
 */
export function sessionIdentity(principal: Principal, requestId: string): SessionIdentity {
  return {
    subject: principal.subject ?? principal.id,
    email: principal.email,
    groups: principal.groups,
    clientId: principal.clientId,
    requestId,
  };
}
