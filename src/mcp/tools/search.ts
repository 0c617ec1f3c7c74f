import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { Research } from '../../research/types.ts';
import { fromServerContext } from '../call-context.ts';
import { runLogged, toolError } from '../tool-result.ts';
import { READ_ONLY_ANNOTATIONS } from './annotations.ts';
import { resultOrError } from './output-schema.ts';

/** A ready z.object, not a raw shape: the SDK would wrap a shape in a new object (and zod recompile it) per registration, i.e. per stateless request. */
const inputSchema = z.object({
  query: z
    .string()
    .describe(
      'What to look for. One of: "list tables" (or "list tables in <schema>"), "describe <table>", ' +
        '"sample <table> [limit N]", a read-only T-SQL SELECT (or WITH … SELECT), or plain words to search ' +
        'table names, column names, descriptions and text values.',
    ),
});

const outputSchema = resultOrError(
  {
    results: z
      .array(
        z.looseObject({
          id: z.string().describe('Pass to fetch for the full document.'),
          title: z.string(),
          url: z.string().describe('Absolute URL of the record, for citation.'),
          text: z.string().optional().describe('A short snippet.'),
        }),
      )
      .describe('Matching tables, rows or result sets, best first.'),
    truncated: z.boolean().optional().describe('True when more results existed than were returned.'),
  },
  ['results'],
);

/**
 * `search` (Deep Research contract, item 33): `{query: string}` → `{results: [{id, title, url}]}`.
 * The handler is thin: research decides what the query means.
 */
export function registerSearchTool(server: McpServer, research: Research): void {
  server.registerTool(
    'search',
    {
      title: 'Search the SQL Server database',
      description:
        'Searches a read-only Microsoft SQL Server database and returns matching tables, rows or query ' +
        'results, each with an id to pass to `fetch`. Start with "list tables" to see what exists, then ' +
        '"describe <schema.table>" for columns and keys, "sample <schema.table> limit 5" for example rows, ' +
        'or send a T-SQL SELECT (SQL Server dialect: TOP, not LIMIT; one statement; nothing that writes). ' +
        'Anything else is treated as keywords and matched against table and column names, descriptions ' +
        'and text values. Results are capped; `truncated: true` means narrow the query.',
      inputSchema,
      outputSchema,
      annotations: READ_ONLY_ANNOTATIONS,
    },
    async ({ query }, extra) => {
      const context = fromServerContext(extra);
      if (!context) return toolError('INVALID_INPUT', 'The call arrived without a caller context.');
      return runLogged('search', query, context, () =>
        research.search(query, {
          principal: context.principal.id,
          publicBase: context.publicBase,
          signal: anySignal(extra.mcpReq.signal, context.signal),
        }),
      );
    },
  );
}

/** Aborts when either the MCP request (cancel notification, server close) or the HTTP request ends. */
export function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal {
  return AbortSignal.any(signals.filter((signal): signal is AbortSignal => signal !== undefined));
}
