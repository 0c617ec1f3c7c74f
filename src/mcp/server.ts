import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import type { Research } from '../research/types.ts';
import { registerTools, TOOL_NAMES } from './tools/registry.ts';

export const SERVER_NAME = 'mssql-deep-research';
export { TOOL_NAMES };

export interface McpServerDeps {
  research: Research;
  version: string;
  /** The `instructions` of the initialize result; only needed when answering `initialize`. */
  instructions?: string | undefined;
  /** Shared across servers: the SDK otherwise builds a new Ajv instance per server. */
  jsonSchemaValidator?: jsonSchemaValidator;
}

/**
 * Builds an MCP server exposing `search` and `fetch`. Cheap enough to build per stateless request
 * (the transports do): the tool handlers are thin and all state lives in research, db and cache.
 * Methods it does not implement (e.g. `server/discover`, item 29) get JSON-RPC -32601 from the SDK.
 */
export function buildMcpServer(deps: McpServerDeps): McpServer {
  const server = new McpServer(
    { name: SERVER_NAME, title: 'SQL Server (read-only)', version: deps.version },
    {
      capabilities: { tools: { listChanged: false } },
      ...(deps.instructions ? { instructions: deps.instructions } : {}),
      ...(deps.jsonSchemaValidator ? { jsonSchemaValidator: deps.jsonSchemaValidator } : {}),
    },
  );
  registerTools(server, deps.research);
  return server;
}

/** Builds a fresh McpServer, optionally with `instructions` (only `initialize` answers need them). */
export type McpServerFactory = (instructions?: string) => McpServer;

/**
 * One factory per app. Servers are built per stateless request, so what is costly to build is
 * shared: the SDK would otherwise construct (and compile vocabularies for) a new Ajv validator
 * per server, most of the per-request cost.
 */
export function createMcpServerFactory(deps: Pick<McpServerDeps, 'research' | 'version'>): McpServerFactory {
  const validator = new AjvJsonSchemaValidator();
  return (instructions) => buildMcpServer({ ...deps, instructions, jsonSchemaValidator: validator });
}
