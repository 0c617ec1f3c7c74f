import type { Token } from './tsql-lexer.ts';
import { RESERVED } from './word-rules.ts';

/**
 * An object the query names, as identifier values: a table, view or schema-qualified
 * table-valued function in FROM, or a table read by CHANGETABLE, PREDICT or a full-text function
 * (`table`); a schema-qualified function call elsewhere (`function`); an object named by a string
 * literal argument of OBJECT_ID, COL_LENGTH, IDENT_CURRENT, … (`name`); or such an argument that
 * is not a literal, so the object cannot be known before the query runs (`dynamic`, parts empty).
 * One-part function names are built-ins (OPENJSON, STRING_SPLIT, GETDATE…) and are not recorded.
 */
export interface ObjectRef {
  parts: string[];
  /** Index of the first name token in the significant-token array. */
  index: number;
  kind: 'table' | 'function' | 'name' | 'dynamic';
}

/** Thrown inside the structural parser only; `check` turns it into a refusal. */
export interface ParseFailure {
  parseFailure: true;
  index: number;
  expected: string;
}

/**
 * Position in the significant T-SQL tokens plus what the parser has collected so far. The parse
 * functions share it; `subquery` lets expression parsing recurse into a query without a module
 * cycle.
 */
export interface Cursor {
  readonly toks: readonly Token[];
  readonly kws: readonly string[];
  pos: number;
  objects: ObjectRef[];
  /** Common table expression names (`foldName`) and the token index where each is declared. */
  cteNames: Map<string, number>;
  subquery: (c: Cursor) => void;
}

export function createCursor(toks: readonly Token[], kws: readonly string[], subquery: (c: Cursor) => void): Cursor {
  return { toks, kws, pos: 0, objects: [], cteNames: new Map(), subquery };
}

export function fail(c: Cursor, expected: string): never {
  const failure: ParseFailure = { parseFailure: true, index: c.pos, expected };
  throw failure;
}

export function isParseFailure(e: unknown): e is ParseFailure {
  return typeof e === 'object' && e !== null && (e as { parseFailure?: unknown }).parseFailure === true;
}

/** Folded keyword `offset` tokens ahead ('' for non-words and past the end). */
export const kw = (c: Cursor, offset = 0): string => c.kws[c.pos + offset] ?? '';

export function isPunct(c: Cursor, ch: string, offset = 0): boolean {
  const t = c.toks[c.pos + offset];
  return t !== undefined && t.kind === 'punctuation' && t.text === ch;
}

export function isOperator(c: Cursor, op: string, offset = 0): boolean {
  const t = c.toks[c.pos + offset];
  return t !== undefined && t.kind === 'operator' && t.text === op;
}

/** An identifier: `[bracketed]`, `"quoted"` or a word that is not a reserved keyword. */
export function isIdentifier(c: Cursor, offset = 0): boolean {
  const t = c.toks[c.pos + offset];
  if (t === undefined) return false;
  if (t.kind === 'bracket_identifier' || t.kind === 'quoted_identifier') return true;
  return t.kind === 'word' && !RESERVED.has(c.kws[c.pos + offset] ?? '');
}

export function expectKeyword(c: Cursor, ...words: string[]): void {
  if (!words.includes(kw(c))) fail(c, words.join(' or '));
  c.pos++;
}

export function expectPunct(c: Cursor, ch: string): void {
  if (!isPunct(c, ch)) fail(c, `"${ch}"`);
  c.pos++;
}

export function expectIdentifier(c: Cursor): string {
  if (!isIdentifier(c)) fail(c, 'a name');
  const t = c.toks[c.pos] as Token;
  c.pos++;
  return t.value;
}

/** `WINDOW name AS (…)` (SQL Server 2022) begins here, so WINDOW is not an alias. */
export function startsWindowClause(c: Cursor): boolean {
  return kw(c) === 'WINDOW' && isIdentifier(c, 1) && kw(c, 2) === 'AS';
}

/** Starts a query: `SELECT`, or `(` opening a parenthesised query. */
export function startsQuery(c: Cursor, offset = 0): boolean {
  let o = offset;
  while (isPunct(c, '(', o)) o++;
  return kw(c, o) === 'SELECT';
}
