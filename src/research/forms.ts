/**
 * Which of the `search` forms a query is. The order matters: the fixed commands first, then
 * anything that could be T-SQL goes to the guard (so a write is refused, never "searched for"),
 * and only the rest is natural language.
 */
export type SearchForm =
  | { form: 'list_tables'; schema?: string | undefined }
  | { form: 'describe'; table: string }
  | { form: 'sample'; table: string; limit?: number | undefined }
  | { form: 'sql'; sql: string }
  | { form: 'natural_language'; text: string };

/**
 * Words that begin a T-SQL statement (or a batch-level command). Text starting with one of them,
 * after Unicode compatibility folding (fullwidth `ＤＥＬＥＴＥ` is `DELETE`), is treated as SQL.
 * Statement words that are everyday English and harmless as search words (OPEN, CLOSE, GET, …)
 * are left out, so "open tickets about refunds" stays a natural-language search.
 */
const STATEMENT_WORDS = new Set([
  'select', 'with', 'insert', 'update', 'delete', 'merge', 'drop', 'create', 'alter', 'truncate', 'exec', 'execute',
  'grant', 'revoke', 'deny', 'declare', 'set', 'use', 'begin', 'commit', 'rollback', 'save', 'waitfor', 'bulk',
  'backup', 'restore', 'dbcc', 'shutdown', 'reconfigure', 'checkpoint', 'deallocate', 'raiserror', 'throw', 'if',
  'while', 'goto', 'readtext', 'writetext', 'updatetext', 'revert', 'setuser', 'sp_executesql',
]);

const LIST = /^(?:list|show)\s+(?:all\s+)?(?:tables|views|tables\s+and\s+views|objects)(?:\s+in\s+(?:schema\s+)?(.+?))?\s*$/i;
const DESCRIBE = /^(?:describe|desc|schema\s+of)\s+(\S.*?)\s*$/i;
const SAMPLE = /^sample\s+(\S.*?)(?:\s+limit\s+(\d{1,9}))?\s*$/i;
/** A lone multi-part name (`dbo.usp_Purge`): SQL Server executes it as a procedure call. */
const LONE_MULTIPART = /^[\p{L}\p{N}_$#@[\]"]+(?:\.[\p{L}\p{N}_$#@[\]"]*)+$/u;

/** An e-mail address alone: looked up as words, never a multi-part name (searching executes nothing). */
const LONE_EMAIL = /^[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+$/u;

/** Whether text should be judged by the guard rather than searched as words. */
export function looksLikeSql(text: string): boolean {
  const folded = text.normalize('NFKC').trimStart();
  if (LONE_EMAIL.test(folded.trim())) return false;
  if (/^(?:[(;[\]"@#{]|--|\/\*)/.test(folded)) return true;
  const first = /^[\p{L}_]+/u.exec(folded)?.[0]?.toLowerCase();
  if (first !== undefined && (STATEMENT_WORDS.has(first) || first.startsWith('sp_') || first.startsWith('xp_'))) {
    // "Withdrawn orders" is words; "with x as (" or a bare keyword is SQL. A keyword must stand alone.
    const after = folded.slice(first.length, first.length + 1);
    if (after === '' || !/[\p{L}\p{N}_]/u.test(after)) return true;
  }
  return LONE_MULTIPART.test(folded.trim());
}

/** Classifies one search query (already trimmed of surrounding white space by the caller or not). */
export function classifyQuery(query: string): SearchForm {
  const text = query.trim();
  const list = LIST.exec(text);
  if (list) return { form: 'list_tables', schema: list[1]?.trim() || undefined };
  const describe = DESCRIBE.exec(text);
  if (describe?.[1]) return { form: 'describe', table: describe[1] };
  const sample = SAMPLE.exec(text);
  if (sample?.[1]) return { form: 'sample', table: sample[1], limit: sample[2] === undefined ? undefined : Number(sample[2]) };
  if (looksLikeSql(text)) return { form: 'sql', sql: text };
  return { form: 'natural_language', text };
}
