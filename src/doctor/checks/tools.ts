import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { httpRequest } from '../http.ts';
import type { Check, CheckResult, DoctorContext } from '../types.ts';

/** A fetch for the SDK transport that goes through node:https, so --ca and --insecure apply. */
function doctorFetch(ctx: DoctorContext) {
  return async (input: string | URL, init?: RequestInit): Promise<Response> => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, key) => {
      headers[key] = value;
    });
    const body = typeof init?.body === 'string' ? init.body : undefined;
    const res = await httpRequest(
      input instanceof URL ? input : new URL(String(input)),
      { method: init?.method ?? 'GET', headers, ...(body === undefined ? {} : { body }) },
      { ...ctx.http, timeoutMs: 30_000 },
    );
    const out = new Headers();
    for (const [key, value] of Object.entries(res.headers))
      if (value !== undefined) out.set(key, Array.isArray(value) ? value.join(', ') : value);
    const empty = res.status === 204 || res.status === 304 || init?.method === 'HEAD';
    return new Response(empty ? null : res.body, { status: res.status, headers: out });
  };
}

interface ToolResult {
  structuredContent?: unknown;
  content?: unknown;
  isError?: boolean;
}

function payload(result: ToolResult): Record<string, unknown> | undefined {
  if (result.structuredContent && typeof result.structuredContent === 'object') return result.structuredContent as Record<string, unknown>;
  const first = Array.isArray(result.content) ? (result.content[0] as { text?: unknown } | undefined) : undefined;
  try {
    return typeof first?.text === 'string' ? (JSON.parse(first.text) as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The MCP round trip ChatGPT Deep Research makes, with the official SDK client over Streamable
 * HTTP: initialize, tools/list (search and fetch, read-only), a search, then a fetch of its first
 * result.
 */
export const toolsCheck: Check = {
  name: 'tools',
  async run(ctx: DoctorContext) {
    if (!ctx.apiKey) return [{ status: 'SKIP', name: 'tools', detail: 'needs --api-key' }];
    // `auto`: server/discover first (MCP 2026-07-28, as current ChatGPT and Claude), `initialize` if refused.
    const client = new Client({ name: 'mssql-deep-research-doctor', version: '1' }, { versionNegotiation: { mode: 'auto' } });
    const transport = new StreamableHTTPClientTransport(new URL(ctx.target.mcpUrl), {
      fetch: doctorFetch(ctx),
      requestInit: { headers: { authorization: `Bearer ${ctx.apiKey}` } },
    });
    const results: CheckResult[] = [];
    try {
      await client.connect(transport);
      const { tools } = await client.listTools();
      const names = tools.map((t) => t.name);
      const missing = ['search', 'fetch'].filter((n) => !names.includes(n));
      if (missing.length > 0)
        return [
          {
            status: 'FAIL',
            name: 'tools/list',
            detail: `missing ${missing.join(', ')} (has ${names.join(', ')})`,
            fix: 'Deep Research needs search and fetch',
          },
        ];
      const writable = tools
        .filter((t) => (t.name === 'search' || t.name === 'fetch') && t.annotations?.readOnlyHint !== true)
        .map((t) => t.name);
      results.push(
        writable.length === 0
          ? { status: 'PASS', name: 'tools/list', detail: `${names.join(', ')}; search and fetch are readOnlyHint` }
          : {
              status: 'WARN',
              name: 'tools/list',
              detail: `${writable.join(', ')} lack readOnlyHint: ChatGPT asks to confirm every call`,
              fix: 'annotate the tools readOnlyHint: true',
            },
      );
      const search = (await client.callTool({ name: 'search', arguments: { query: ctx.searchQuery } })) as ToolResult;
      const hits = payload(search)?.results;
      if (search.isError || !Array.isArray(hits))
        return [
          ...results,
          {
            status: 'FAIL',
            name: 'search',
            detail: `search "${ctx.searchQuery}" failed: ${JSON.stringify(search.content).slice(0, 200)}`,
            fix: 'docker compose logs connector (database reachable? MSSQL_* in .env)',
          },
        ];
      if (hits.length === 0)
        return [
          ...results,
          {
            status: 'WARN',
            name: 'search',
            detail: `search "${ctx.searchQuery}" found nothing`,
            fix: 'try --query with a word from your schema',
          },
        ];
      const first = hits[0] as { id?: unknown; url?: unknown };
      results.push({
        status: typeof first.url === 'string' && first.url !== '' ? 'PASS' : 'WARN',
        name: 'search',
        detail: `${hits.length} results for "${ctx.searchQuery}"${typeof first.url === 'string' && first.url ? '' : '; results lack url (ChatGPT will not cite them)'}`,
        fix: 'set PUBLIC_BASE_URL',
      });
      const fetched = (await client.callTool({ name: 'fetch', arguments: { id: String(first.id) } })) as ToolResult;
      const doc = payload(fetched);
      results.push(
        !fetched.isError && typeof doc?.text === 'string'
          ? { status: 'PASS', name: 'fetch', detail: `fetched ${String(first.id)} (${doc.text.length} characters)` }
          : { status: 'FAIL', name: 'fetch', detail: `fetch ${String(first.id)} failed`, fix: 'docker compose logs connector' },
      );
      return results;
    } catch (error) {
      return [
        ...results,
        {
          status: 'FAIL',
          name: 'tools',
          detail: `MCP session failed: ${(error as Error).message}`,
          fix: 'check the API key and docker compose logs connector',
        },
      ];
    } finally {
      await client.close().catch(() => {});
    }
  },
};
