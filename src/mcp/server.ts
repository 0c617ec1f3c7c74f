import { McpServer } from '@modelcontextprotocol/server';
import type { CacheHint, jsonSchemaValidator } from '@modelcontextprotocol/server';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/server/validators/ajv';
import type { Research } from '../research/types.ts';
import { cacheToolSchemas } from './schema-cache.ts';
import { registerTools, TOOL_NAMES } from './tools/registry.ts';

export const SERVER_NAME = 'mssql-deep-research';
export { TOOL_NAMES };

/**
 * The current MCP revision, served beside the 2025 ones (`SUPPORTED_PROTOCOL_VERSIONS` of the
 * SDK). The SDK does not export its list of modern revisions; this is the one it implements.
 */
export const MODERN_PROTOCOL_VERSION = '2026-07-28';

/**
 * Cache hints of the 2026-07-28 cacheable results (`ttlMs`/`cacheScope`, SEP-2549). The tool list
 * is the same for every caller and changes only with a deploy: five minutes, shareable. The
 * discover result carries `instructions`, which name schemas of this database: private.
 */
export const CACHE_HINTS: { 'tools/list': CacheHint; 'server/discover': CacheHint } = {
  'tools/list': { ttlMs: 300_000, cacheScope: 'public' },
  'server/discover': { ttlMs: 300_000, cacheScope: 'private' },
};

export interface McpServerDeps {
  research: Research;
  version: string;
  /** The `instructions` of the initialize / server/discover result; only needed when answering those. */
  instructions?: string | undefined;
  /** Shared across servers: the SDK otherwise builds a new Ajv instance per server. */
  jsonSchemaValidator?: jsonSchemaValidator;
}

/**
 * Builds an MCP server (SDK v2) exposing `search` and `fetch`, for either protocol era: the same
 * instance shape answers 2026-07-28 requests and 2025-era `initialize`/stateless calls. Cheap
 * enough to build per request (the HTTP edge does): the tool handlers are thin and all state lives
 * in research, db and cache. Tools are listed in registration order, so `tools/list` is
 * deterministic.
 */
export function buildMcpServer(deps: McpServerDeps): McpServer {
  const server = new McpServer(
    { name: SERVER_NAME, title: 'SQL Server (read-only)', version: deps.version },
    {
      capabilities: { tools: { listChanged: false } },
      cacheHints: CACHE_HINTS,
      ...(deps.instructions ? { instructions: deps.instructions } : {}),
      ...(deps.jsonSchemaValidator ? { jsonSchemaValidator: deps.jsonSchemaValidator } : {}),
    },
  );
  cacheToolSchemas(server);
  registerTools(server, deps.research);
  return server;
}

/** Builds a fresh McpServer, optionally with `instructions` (only `initialize`/`server/discover` answers need them). */
export type McpServerFactory = (instructions?: string) => McpServer;

/**
 * One factory per app. Servers are built per stateless request, so what is costly to build is
 * shared: the SDK would otherwise construct (and compile vocabularies for) a new Ajv validator
 * per server.
 */
export function createMcpServerFactory(deps: Pick<McpServerDeps, 'research' | 'version'>): McpServerFactory {
  const validator = new AjvJsonSchemaValidator();
  return (instructions) => buildMcpServer({ ...deps, instructions, jsonSchemaValidator: validator });
}
