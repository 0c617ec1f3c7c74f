import type { ToolAnnotations } from '@modelcontextprotocol/server';

/**
 * Both tools only read. ChatGPT treats a tool without `readOnlyHint: true` as a write and asks the
 * user to confirm every call (item 33); the Responses API's `{read_only: true}` filter matches it.
 */
export const READ_ONLY_ANNOTATIONS: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  // Redundant with readOnlyHint by the specification, but issue 9 asks for all four, truthful.
  idempotentHint: true,
  openWorldHint: false,
};
