import { z } from 'zod';
import { sessionIdentity } from '../call-context.ts';
import { runLogged } from '../tool-result.ts';
import { READ_ONLY_ANNOTATIONS } from './annotations.ts';
import { LEAN, resultOrError } from './output-schema.ts';
import type { ToolDefinition } from './registry.ts';

const inputSchema = z.object({ id: z.string().describe('An id from search') }).meta(LEAN);

const outputSchema = resultOrError(
  { id: z.string(), title: z.string(), text: z.string(), url: z.string(), metadata: z.record(z.string(), z.unknown()) },
  ['id', 'title', 'text', 'url', 'metadata'],
);

/** `fetch` (Deep Research contract, item 33): `{id}` → `{id, title, text, url, metadata}`; an expired id is a tool error saying to search again. */
export const fetchTool: ToolDefinition<typeof inputSchema> = {
  name: 'fetch',
  title: 'Fetch a record',
  description: 'The full document for an id from search: a table (columns, keys, relationships), a row or a result set. Cite its url.',
  inputSchema,
  outputSchema,
  annotations: READ_ONLY_ANNOTATIONS,
  handler: (research, { id }, { context, signal }) =>
    runLogged('fetch', id, context, () =>
      research.fetch(id, {
        principal: context.principal.id,
        publicBase: context.publicBase,
        signal,
        identity: sessionIdentity(context.principal, context.requestId),
      }),
    ),
};
