import type { CallToolResult, McpServer, ToolAnnotations } from '@modelcontextprotocol/server';
import type { z } from 'zod';
import type { Research } from '../../research/types.ts';
import { fromServerContext, type CallContext } from '../call-context.ts';
import { toolError } from '../tool-result.ts';
import { fetchTool } from './fetch.ts';
import { searchTool } from './search.ts';

/**
 * The one list of tools: name, title, description, schemas, annotations and handler. The server
 * registers them from here, health and tests read names from here, the bench measures them from
 * here. Every byte of a description is context a model pays for in every conversation: keep them short.
 */
export interface ToolDefinition<Input extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  /** A ready z.object, not a raw shape: the SDK would wrap a shape in a new object per registration, i.e. per stateless request. */
  inputSchema: Input;
  outputSchema: z.ZodObject;
  annotations: ToolAnnotations;
  handler(research: Research, input: z.infer<Input>, call: { context: CallContext; signal: AbortSignal }): Promise<CallToolResult>;
}

export const TOOLS: readonly ToolDefinition[] = [searchTool as unknown as ToolDefinition, fetchTool as unknown as ToolDefinition];

export const TOOL_NAMES: readonly string[] = TOOLS.map((t) => t.name);

/** Registers every tool of the registry on a server. */
export function registerTools(server: McpServer, research: Research): void {
  for (const tool of TOOLS) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.inputSchema,
        outputSchema: tool.outputSchema,
        annotations: tool.annotations,
      },
      async (input: unknown, extra) => {
        const context = fromServerContext(extra);
        if (!context) return toolError('INVALID_INPUT', 'The call arrived without a caller context.');
        return tool.handler(research, input as z.infer<typeof tool.inputSchema>, {
          context,
          signal: anySignal(extra.mcpReq.signal, context.signal),
        });
      },
    );
  }
}

/** Aborts when either the MCP request (cancel notification, server close) or the HTTP request ends. */
export function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal {
  return AbortSignal.any(signals.filter((signal): signal is AbortSignal => signal !== undefined));
}
