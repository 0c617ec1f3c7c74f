import type { DbParam } from './types.ts';

/**
 * Who a query runs for, as SQL Server row-level security reads it through `SESSION_CONTEXT`
 * (`mcp.subject`, `mcp.email`, `mcp.groups`, `mcp.client_id`, `mcp.request_id`).
 */
export interface SessionIdentity {
  /** The person (`<issuer>#<sub>` or a local username), or an API key's label. */
  subject: string;
  email?: string | undefined;
  groups?: readonly string[] | undefined;
  clientId?: string | undefined;
  requestId?: string | undefined;
}

/** Longest value set per key, in characters: `nvarchar(4000)` fits a `sql_variant` (8000 bytes). */
export const MAX_CONTEXT_CHARS = 4000;

const KEYS: ReadonlyArray<readonly [key: string, param: string, read: (i: SessionIdentity) => string | null]> = [
  ['mcp.subject', 'mcp_ctx_subject', (i) => i.subject],
  ['mcp.email', 'mcp_ctx_email', (i) => i.email ?? null],
  ['mcp.groups', 'mcp_ctx_groups', (i) => groupsJson(i.groups ?? [])],
  ['mcp.client_id', 'mcp_ctx_client_id', (i) => i.clientId ?? null],
  ['mcp.request_id', 'mcp_ctx_request_id', (i) => i.requestId ?? null],
];

/** The keys the connector sets, in order. */
export const SESSION_CONTEXT_KEYS: readonly string[] = KEYS.map(([key]) => key);

/**
 * The statements (and their parameters) that put `identity` into the session before the query, in
 * the same batch: `EXEC sys.sp_set_session_context … @read_only = 1` per key, every key always set
 * (NULL when unknown) so nothing later in the session can claim one. Values travel as parameters,
 * never as SQL text. A read-only key cannot be set twice on one session (error 15664), which is why
 * the connection is reset (TDS RESETCONNECTION) every time it is borrowed.
 */
export function sessionContextSql(identity: SessionIdentity): { sql: string; params: DbParam[] } {
  const statements: string[] = [];
  const params: DbParam[] = [];
  for (const [key, param, read] of KEYS) {
    const value = read(identity);
    statements.push(`EXEC sys.sp_set_session_context @key = N'${key}', @value = @${param}, @read_only = 1;`);
    params.push({ name: param, type: 'nvarchar', value: value === null ? null : value.slice(0, MAX_CONTEXT_CHARS) });
  }
  return { sql: statements.join(' '), params };
}

/** `["a","b"]`, keeping whole groups only, so the JSON stays valid within `MAX_CONTEXT_CHARS`. */
function groupsJson(groups: readonly string[]): string {
  const kept: string[] = [];
  let length = 2;
  for (const group of groups) {
    const item = JSON.stringify(group);
    if (length + item.length + (kept.length > 0 ? 1 : 0) > MAX_CONTEXT_CHARS) break;
    length += item.length + (kept.length > 0 ? 1 : 0);
    kept.push(group);
  }
  return JSON.stringify(kept);
}
