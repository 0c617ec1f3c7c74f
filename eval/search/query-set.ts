import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const KINDS = ['schema', 'text', 'entity'] as const;
export type QueryKind = (typeof KINDS)[number];

const qualified = /^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * One graded gold set, recorded as the SQL that selects it. With `table` (`schema.name`) the SQL
 * returns that table's primary-key columns in key order and each row is a relevant row; without
 * it the SQL returns `(schema, name)` pairs and each pair is a relevant table.
 */
const goldSchema = z.strictObject({
  grade: z.union([z.literal(1), z.literal(2)]),
  table: z.string().regex(qualified).optional(),
  sql: z.string().regex(/^\s*SELECT\s/i, 'gold SQL is a single SELECT'),
});

const querySchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  kind: z.enum(KINDS),
  query: z.string().min(1).max(300),
  /** A text query that shares no content word with the rows it targets (synonyms needed). */
  paraphrase: z.boolean().optional(),
  /** Where the gold comes from in the generator, for a reader checking it. */
  note: z.string().optional(),
  gold: z.array(goldSchema).min(1),
});

export type GoldSet = z.infer<typeof goldSchema>;
export type EvalQuery = z.infer<typeof querySchema>;

/** The query set shipped with the repository. */
export const DEFAULT_QUERIES = new URL('./queries.jsonl', import.meta.url);
/** The development set that search is tuned on, so the graded set stays a test set (`--queries dev`). */
export const DEV_QUERIES = new URL('./dev-queries.jsonl', import.meta.url);

/**
 * Reads a JSONL query set (blank lines and `//` comment lines skipped); throws naming the line
 * for malformed entries, duplicate ids, or a `paraphrase` flag outside the text kind.
 */
export function loadQuerySet(path: URL | string = DEFAULT_QUERIES): EvalQuery[] {
  const queries: EvalQuery[] = [];
  const seen = new Set<string>();
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      const text = line.trim();
      if (text === '' || text.startsWith('//')) return;
      let parsed: EvalQuery;
      try {
        parsed = querySchema.parse(JSON.parse(text));
      } catch (error) {
        throw new Error(`query set line ${index + 1}: ${(error as Error).message}`);
      }
      if (seen.has(parsed.id)) throw new Error(`query set line ${index + 1}: duplicate id ${parsed.id}`);
      if (parsed.paraphrase && parsed.kind !== 'text') throw new Error(`query set line ${index + 1}: only text queries are paraphrases`);
      seen.add(parsed.id);
      queries.push(parsed);
    });
  return queries;
}
