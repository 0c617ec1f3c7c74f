/**
 * Which of the `search` forms a query is. The order matters: the fixed commands first, then
 * anything that could be T-SQL goes to the guard (so a write is refused, never "searched for"),
 * and only the rest is natural language.
 */
import { looksLikeSql } from './sql-detection.ts';

export { looksLikeSql } from './sql-detection.ts';

export type SearchForm =
  | { form: 'list_tables'; schema?: string | undefined; views?: true | undefined }
  | { form: 'describe'; table: string }
  | { form: 'sample'; table: string; limit?: number | undefined }
  | { form: 'sql'; sql: string }
  | { form: 'natural_language'; text: string };

const LIST =
  /^(?:list|show)\s+(?:all\s+)?(?:the\s+)?(tables|views|tables\s+and\s+views|objects)(?:\s+(?:in|of)\s+(?:the\s+)?(?:schema\s+)?(.+?)(?:\s+schema)?)?\s*$/i;
const DESCRIBE = /^(?:describe|desc|schema\s+of)\s+(\S.*?)\s*$/i;
const SAMPLE = /^sample\s+(\S.*?)(?:\s+limit\s+(\d{1,9}))?\s*$/i;
/** Classifies one search query (already trimmed of surrounding white space by the caller or not). */
export function classifyQuery(query: string): SearchForm {
  const text = query.trim();
  const list = LIST.exec(text);
  if (list)
    return {
      form: 'list_tables',
      schema: list[2]?.trim() || undefined,
      ...(list[1]?.toLowerCase() === 'views' ? { views: true as const } : {}),
    };
  const describe = DESCRIBE.exec(text);
  if (describe?.[1]) return { form: 'describe', table: describe[1] };
  const sample = SAMPLE.exec(text);
  if (sample?.[1]) return { form: 'sample', table: sample[1], limit: sample[2] === undefined ? undefined : Number(sample[2]) };
  if (looksLikeSql(text)) return { form: 'sql', sql: text };
  return { form: 'natural_language', text };
}
