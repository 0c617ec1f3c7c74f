import { LRUCache } from 'lru-cache';
import transactsql from 'node-sql-parser/build/transactsql.js';
import type { Token } from './tsql-lexer.ts';
import { deniedObjectReason } from './word-rules.ts';
import type { QualifiedName } from './object-policy.ts';
import { regenerate, type Edit } from './regenerate.ts';

/**
 * node-sql-parser's view of the query, or why it objects; `parsed: false` when it cannot read it.
 * A table's `schema` is '' when the query did not qualify it (it may be a CTE).
 */
export type AstOpinion =
  | { parsed: true; tables: readonly QualifiedName[]; refusal?: string }
  | { parsed: false; message: string; line?: number; column?: number };

interface NodeParser {
  astify(sql: string, options: { database: string }): unknown;
}

const WRITE_TYPES = new Set([
  'insert',
  'update',
  'delete',
  'replace',
  'create',
  'drop',
  'alter',
  'truncate',
  'exec',
  'execute',
  'call',
  'declare',
  'set',
  'assign',
  'use',
  'grant',
  'revoke',
  'lock',
  'unlock',
  'merge',
  'transaction',
  'rename',
]);

/**
 * Spellings node-sql-parser does not know, replaced by ones it does before it reads the query;
 * none of them names or hides an object. `tail` (FOR XML/JSON, OPTION) is dropped for the same
 * reason: it holds only literals and hints.
 */
const SPELLINGS = new Map([
  ['TRY_CAST', 'CAST'],
  ['TRY_CONVERT', 'CONVERT'],
  ['INTERSECT', 'UNION'],
  ['EXCEPT', 'UNION'],
]);

/** node-sql-parser for one guard (no module-level instance), with its recent opinions. */
export interface AstReader {
  parser: NodeParser;
  /**
   * Opinions by the normalised text node-sql-parser read. An opinion is a function of that text
   * alone, and the text carries no literal values, so the statements an agent sends over and over
   * with other numbers or strings (`… WHERE OrderID = 6351`) are parsed once: node-sql-parser
   * costs about 2 ms a statement, more than the rest of the guard. Bounded by entries and by the
   * characters kept.
   */
  opinions: LRUCache<string, AstOpinion>;
}

export function createAstParser(): AstReader {
  const { Parser } = transactsql as unknown as { Parser: new () => NodeParser };
  return { parser: new Parser(), opinions: new LRUCache({ max: 512, maxSize: 2_000_000, sizeCalculation: (_v, k) => k.length + 64 }) };
}

/**
 * Second opinion from node-sql-parser (transactsql). It reads a normalised re-emission of the
 * T-SQL tokens — comments gone, every string literal replaced by `'s'` and every unusual quoted
 * identifier by a plain one — so its own lexing quirks (backslash escapes, backticks, `#`
 * comments) have nothing to work on: it sees the token sequence SQL Server will see. It can only
 * add refusals (a non-SELECT statement, SELECT … INTO, a denied function or object) and tables for
 * the allow/deny lists; when it cannot parse the query, safety rests on the T-SQL token grammar.
 * Numbers become `0` too: no number names an object or changes a statement's kind, so the
 * opinion holds for every value and is remembered for the next statement of the same shape.
 */
export function astOpinion(reader: AstReader, toks: readonly Token[], kws: readonly string[], tail: number): AstOpinion {
  const edits: Edit[] = [];
  toks.forEach((t, i) => {
    const k = kws[i] ?? '';
    const alias = SPELLINGS.get(k);
    if (i >= tail) edits.push({ start: i, end: i + 1, text: '' });
    else if (alias !== undefined) edits.push({ start: i, end: i + 1, text: alias });
    else if (k === 'WITH' && kws[i + 1] === 'TIES') edits.push({ start: i, end: i + 2, text: '' });
    else if (k === 'ESCAPE' && toks[i + 1]?.kind === 'string') edits.push({ start: i, end: i + 2, text: '' });
    else if (t.kind === 'variable' || t.kind === 'number') edits.push({ start: i, end: i + 1, text: '0' });
    else if (t.kind === 'string') edits.push({ start: i, end: i + 1, text: t.national ? "N's'" : "'s'" });
    else if ((t.kind === 'bracket_identifier' || t.kind === 'quoted_identifier') && !/^[\p{L}\p{N}_ #@$-]*$/u.test(t.value)) {
      edits.push({ start: i, end: i + 1, text: `[q${i}]` });
    } else if (t.kind === 'quoted_identifier') edits.push({ start: i, end: i + 1, text: `[${t.value}]` });
  });
  const text = regenerate(toks, edits);
  const known = reader.opinions.get(text);
  if (known !== undefined) return known;
  const opinion = readAst(reader.parser, text);
  reader.opinions.set(text, opinion);
  return opinion;
}

function readAst(parser: NodeParser, text: string): AstOpinion {
  let ast: unknown;
  try {
    ast = parser.astify(text, { database: 'transactsql' });
  } catch (e) {
    const location = (e as { location?: { start?: { line?: number; column?: number } } }).location?.start;
    const message = e instanceof Error ? (e.message.split('\n')[0] ?? '') : 'unreadable';
    return { parsed: false, message, ...(location?.line !== undefined ? { line: location.line, column: location.column ?? 1 } : {}) };
  }
  const statements = Array.isArray(ast) ? ast : [ast];
  const tables: QualifiedName[] = [];
  if (statements.length !== 1) return { parsed: true, tables, refusal: 'it reads more than one statement' };
  const root = statements[0] as { type?: unknown };
  if (root.type !== 'select') return { parsed: true, tables, refusal: `it reads a ${String(root.type).toUpperCase()} statement` };
  const refusal = walk(root, tables, 0);
  return refusal === undefined ? { parsed: true, tables } : { parsed: true, tables, refusal };
}

function walk(node: unknown, tables: QualifiedName[], depth: number): string | undefined {
  if (depth > 5000) return undefined; // advisory only: the T-SQL grammar already accepted it
  if (Array.isArray(node)) {
    for (const item of node) {
      const r = walk(item, tables, depth + 1);
      if (r !== undefined) return r;
    }
    return undefined;
  }
  if (typeof node !== 'object' || node === null) return undefined;
  const n = node as Record<string, unknown>;
  if (typeof n.type === 'string' && WRITE_TYPES.has(n.type.toLowerCase())) return `it contains ${n.type.toUpperCase()}`;
  const into = n.into as { expr?: unknown } | null | undefined;
  if (into && into.expr) return 'it contains SELECT … INTO';
  if (n.type === 'function') {
    const name = n.name as { name?: { value?: unknown }[]; schema?: { value?: unknown } } | undefined;
    const parts = [name?.schema?.value, ...(name?.name ?? []).map((p) => p.value)].filter((p): p is string => typeof p === 'string');
    const reason = deniedObjectReason(parts);
    if (reason !== undefined) return reason;
  }
  if (typeof n.table === 'string' && ('table_hint' in n || 'temporal_table' in n)) {
    const parts = [n.db, n.schema, n.table].filter((p): p is string => typeof p === 'string');
    const reason = deniedObjectReason(parts);
    if (reason !== undefined) return reason;
    const schema = parts.length >= 2 ? (parts[parts.length - 2] as string) : '';
    tables.push({ schema: schema.toLowerCase(), name: n.table.toLowerCase() });
  }
  for (const key in n) {
    if (key === 'type') continue;
    const r = walk(n[key], tables, depth + 1);
    if (r !== undefined) return r;
  }
  return undefined;
}
