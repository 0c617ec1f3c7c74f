import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { Research } from '../../research/types.ts';
import { fromServerContext } from '../call-context.ts';
import { runLogged, toolError } from '../tool-result.ts';
import { READ_ONLY_ANNOTATIONS } from './annotations.ts';
import { resultOrError } from './output-schema.ts';
import { anySignal } from './search.ts';

/** A ready z.object, not a raw shape: the SDK would wrap a shape in a new object (and zod recompile it) per registration, i.e. per stateless request. */
const inputSchema = z.object({
  id: z.string().describe('An id exactly as returned by search (a table, a row or a result set).'),
});

const outputSchema = resultOrError(
  {
    id: z.string(),
    title: z.string(),
    text: z.string().describe('The full document: a table description, a row, or a result set.'),
    url: z.string().describe('Absolute URL of the record, for citation.'),
    metadata: z.record(z.string(), z.unknown()).describe('Structured details (columns, keys, row counts, truncation).'),
  },
  ['id', 'title', 'text', 'url', 'metadata'],
);

/**
 * `fetch` (Deep Research contract, item 33): `{id: string}` → `{id, title, text, url, metadata}`.
 * An unknown or expired id is a tool error telling the model to search again.
 */
export function registerFetchTool(server: McpServer, research: Research): void {
  server.registerTool(
    'fetch',
    {
      title: 'Fetch a table, row or result set',
      description:
        'Returns the full document for an id from `search`: for a table its columns, types, keys, foreign ' +
        'keys, indexes, descriptions and row count; for a row all its columns; for a query result the ' +
        'whole result set. Row ids can be fetched at any time; result-set ids expire after a while, in ' +
        'which case run the search again.',
      inputSchema,
      outputSchema,
      annotations: READ_ONLY_ANNOTATIONS,
    },
    async ({ id }, extra) => {
      const context = fromServerContext(extra);
      if (!context) return toolError('INVALID_INPUT', 'The call arrived without a caller context.');
      return runLogged('fetch', id, context, () =>
        research.fetch(id, {
          principal: context.principal.id,
          publicBase: context.publicBase,
          signal: anySignal(extra.mcpReq.signal, context.signal),
        }),
      );
    },
  );
}
