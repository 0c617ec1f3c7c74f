/**
 * A minimal MCP client speaking raw JSON-RPC over `fetch`, the way ChatGPT calls the connector:
 * one `POST /mcp` per `tools/call`, no session, `Accept: application/json` so the answer is one
 * JSON body. Tool calls speak MCP 2026-07-28 (the `_meta` envelope and the `Mcp-Method`/`Mcp-Name`
 * headers, served by the SDK v2 handler); `ping` is 2025-era (it is gone from 2026-07-28). It is deliberately thin so the benchmarks
 * measure the server, not a client library; every answer is checked, so an error path (401,
 * 429, a tool error) can never be mistaken for a fast success.
 */
export interface McpCaller {
  /** Calls a tool and returns its `structuredContent`; throws on any HTTP, JSON-RPC or tool error. */
  callTool(name: string, args: Record<string, string>): Promise<Record<string, unknown>>;
  /** A JSON-RPC `ping` (no tool, no database): the cheapest authenticated MCP round trip. */
  ping(): Promise<void>;
}

interface JsonRpcAnswer {
  result?: { isError?: boolean; structuredContent?: Record<string, unknown> };
  error?: { code: number; message: string };
}

const MODERN = '2026-07-28';
const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': MODERN,
  'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

export class BenchCallError extends Error {
  readonly code = 'BENCH_CALL_FAILED';
}

export function createMcpCaller(mcpUrl: string, apiKey: string): McpCaller {
  let id = 0;
  const headers = { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${apiKey}` };
  const post = async (
    method: string,
    params?: Record<string, unknown>,
    extraHeaders: Record<string, string> = {},
  ): Promise<JsonRpcAnswer> => {
    id += 1;
    const response = await fetch(mcpUrl, {
      method: 'POST',
      headers: { ...headers, ...extraHeaders },
      body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
    });
    const text = await response.text();
    if (response.status !== 200) throw new BenchCallError(`${method}: HTTP ${response.status} ${text.slice(0, 200)}`);
    const answer = JSON.parse(text) as JsonRpcAnswer;
    if (answer.error) throw new BenchCallError(`${method}: JSON-RPC ${answer.error.code} ${answer.error.message}`);
    return answer;
  };
  return {
    async callTool(name, args) {
      const answer = await post(
        'tools/call',
        { name, arguments: args, _meta: ENVELOPE },
        {
          'mcp-protocol-version': MODERN,
          'mcp-method': 'tools/call',
          'mcp-name': name,
        },
      );
      const content = answer.result?.structuredContent;
      if (answer.result?.isError || content === undefined) {
        throw new BenchCallError(`${name}: tool error ${JSON.stringify(content ?? answer.result).slice(0, 200)}`);
      }
      return content;
    },
    async ping() {
      await post('ping');
    },
  };
}

/** The first `result:` id in a search answer (the id of the whole result set). */
export function resultIdOf(content: Record<string, unknown>): string {
  const results = content.results as { id: string }[] | undefined;
  const found = results?.find((item) => item.id.startsWith('result:'));
  if (!found) throw new BenchCallError(`search gave no result id: ${JSON.stringify(content).slice(0, 200)}`);
  return found.id;
}
