import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { bearer } from '../helpers/server.ts';

/** A connected MCP SDK client over one of the two transports, authenticated with `key`. */
export async function connectClient(url: URL, key: string, transport: 'streamable' | 'sse' = 'streamable'): Promise<Client> {
  const client = new Client({ name: 'e2e', version: '1.0.0' });
  const options = bearer(key);
  await client.connect(transport === 'streamable' ? new StreamableHTTPClientTransport(url, options) : new SSEClientTransport(url, options));
  return client;
}

export interface SearchResult {
  results: { id: string; title: string; url: string; text?: string }[];
  truncated?: boolean;
}

export interface ToolErrorBody {
  error: { code: string; message: string };
}

/** Calls a tool and checks the dual form every answer must have (item 34): returns structuredContent. */
export async function callTool<T>(client: Client, name: string, args: Record<string, string>): Promise<{ isError: boolean; body: T }> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = result.content[0];
  if (result.content.length !== 1 || text?.type !== 'text')
    throw new Error(`expected one text item, got ${JSON.stringify(result.content)}`);
  const parsed: unknown = JSON.parse(text.text);
  if (JSON.stringify(parsed) !== JSON.stringify(result.structuredContent)) throw new Error('text item and structuredContent differ');
  return { isError: result.isError === true, body: result.structuredContent as T };
}

export async function search(client: Client, query: string) {
  return callTool<SearchResult>(client, 'search', { query });
}

export async function fetchId(client: Client, id: string) {
  return callTool<{ id: string; title: string; text: string; url: string; metadata: Record<string, unknown> }>(client, 'fetch', { id });
}
