import { z } from 'zod';
import { sessionIdentity } from '../call-context.ts';
import { runLogged } from '../tool-result.ts';
import { READ_ONLY_ANNOTATIONS } from './annotations.ts';
import { LEAN, resultOrError } from './output-schema.ts';
import type { ToolDefinition } from './registry.ts';

const inputSchema = z
  .object({
    query: z.string().describe('Words, "list tables", "describe <table>", "sample <table>" or a SELECT'),
  })
  .meta(LEAN);

const outputSchema = resultOrError(
  {
    results: z.array(z.looseObject({ id: z.string(), title: z.string(), url: z.string(), text: z.string().optional() })),
    truncated: z.boolean().optional(),
  },
  ['results'],
);

/** `search` (Deep Research contract, item 33): `{query}` → `{results: [{id, title, url, text}]}`; research decides what the query means. */
export const searchTool: ToolDefinition<typeof inputSchema> = {
  name: 'search',
  title: 'Search the database',
  description:
    'Search a read-only SQL Server database: plain words find ranked rows and tables; or "list tables", "describe <table>", ' +
    '"sample <table> limit 5", or one T-SQL SELECT (TOP, not LIMIT).',
  inputSchema,
  outputSchema,
  annotations: READ_ONLY_ANNOTATIONS,
  handler: (research, { query }, { context, signal }) =>
    runLogged('search', query, context, () =>
      research.search(query, {
        principal: context.principal.id,
        publicBase: context.publicBase,
        signal,
        identity: sessionIdentity(context.principal, context.requestId),
      }),
    ),
};
