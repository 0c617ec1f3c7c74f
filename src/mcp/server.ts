import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Research } from '../research/types.ts';
import { registerFetchTool } from './tools/fetch.ts';
import { registerSearchTool } from './tools/search.ts';

export const SERVER_NAME = 'mssql-deep-research';
export const TOOL_NAMES: readonly string[] = ['search', 'fetch'];

export interface McpServerDeps {
  research: Research;
  version: string;
  /** The `instructions` of the initialize result; only needed when answering `initialize`. */
  instructions?: string | undefined;
}

/**
 * Builds an MCP server exposing `search` and `fetch`. Cheap enough to build per stateless request
 * (the transports do): the tool handlers are thin and all state lives in research, db and cache.
 * Methods it does not implement (e.g. `server/discover`, item 29) get JSON-RPC -32601 from the SDK.
 */
export function buildMcpServer(deps: McpServerDeps): McpServer {
  const server = new McpServer(
    { name: SERVER_NAME, title: 'SQL Server (read-only)', version: deps.version },
    { capabilities: { tools: { listChanged: false } }, ...(deps.instructions ? { instructions: deps.instructions } : {}) },
  );
  registerSearchTool(server, deps.research);
  registerFetchTool(server, deps.research);
  return server;
}
