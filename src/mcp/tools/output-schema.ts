import { z } from 'zod';

/** `structuredContent.error` of a failed call: a stable code (`READ_ONLY_VIOLATION`, `NOT_FOUND`, …) and advice. */
export const toolErrorSchema = z
  .object({
    code: z.string().describe('Stable error code, e.g. READ_ONLY_VIOLATION, SQL_PARSE_ERROR, NOT_FOUND, QUERY_TIMEOUT.'),
    message: z.string().describe('What went wrong and how to rephrase.'),
  })
  .describe('Present instead of the result when the call failed (isError: true).');

/**
 * A tool's output schema: its result fields, or `{error}` on a failed call. MCP requires
 * structured results to conform to the declared schema and the SDK client validates even error
 * results against it, so the error form is part of the schema: `oneOf` requires either the
 * result's fields or `error` (JSON Schema carried through zod metadata; the top level stays
 * `type: "object"`, which tools/list requires).
 */
export function resultOrError<T extends z.ZodRawShape>(shape: T, required: readonly (keyof T & string)[]) {
  return z
    .object(shape)
    .partial()
    .extend({ error: toolErrorSchema.optional() })
    .meta({ oneOf: [{ required: [...required] }, { required: ['error'] }] });
}
