import { z } from 'zod';

/**
 * Metadata that drops the `$schema` key zod writes on every tools/list schema (JSON Schema 2020-12
 * is MCP's default): 50 bytes a schema the model pays for in every conversation.
 */
export const LEAN = { $schema: undefined } as const;

/** `structuredContent.error` of a failed call: a stable code (`READ_ONLY_VIOLATION`, `NOT_FOUND`, …) and advice. */
export const toolErrorSchema = z.object({ code: z.string(), message: z.string() });

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
    .meta({ ...LEAN, oneOf: [{ required: [...required] }, { required: ['error'] }] });
}
