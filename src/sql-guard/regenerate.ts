import type { Token } from './tsql-lexer.ts';
import type { OuterQuery } from './query-parser.ts';
import { foldName } from './word-rules.ts';

/**
 * A change to the token stream: tokens `[start, end)` become `text` (`start === end` inserts,
 * `text === ''` deletes). An edit that starts inside an earlier one is ignored.
 */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

const nameLike = (t: Token | undefined): boolean =>
  t !== undefined &&
  (t.kind === 'word' || t.kind === 'bracket_identifier' || t.kind === 'quoted_identifier' || t.text === '.' || t.text === '*');

const isPunct = (t: Token, ch: string): boolean => t.kind === 'punctuation' && t.text === ch;

/**
 * Re-emits the significant tokens as SQL: comments dropped, one space between tokens (none inside
 * `schema.name`, after `(`, before `)` and `,`, or between a word and a `(` the caller wrote
 * adjacent — places where no two tokens can merge), edits applied. Every token is emitted with its own text, so SQL Server reads
 * exactly the tokens the T-SQL lexer read and the guard checked: whatever a comment, a backslash or
 * an odd quote might have meant to another lexer is gone.
 */
export function regenerate(toks: readonly Token[], edits: readonly Edit[] = []): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let out = '';
  let prev: Token | undefined;
  let e = 0;
  const emit = (text: string, edited: Token | undefined): void => {
    // Edited text is a complete name, expression or clause: spaced like an identifier or a number.
    const token = edited ?? { kind: text.startsWith('[') ? 'bracket_identifier' : 'number', text, start: -1, end: -1, value: text };
    const tight =
      prev !== undefined &&
      ((edited === undefined && text.startsWith(')')) ||
        prev.text.endsWith('(') ||
        (token.text === '.' && (nameLike(prev) || prev.text === ')') && nameLike(token)) ||
        (prev.text === '.' && nameLike(token)) ||
        token.text === '::' ||
        prev.text === '::' ||
        isPunct(prev, '(') ||
        (isPunct(token, '(') && prev.kind === 'word' && prev.end === token.start) ||
        isPunct(token, ')') ||
        isPunct(token, ','));
    out += out.length === 0 || tight ? text : ` ${text}`;
    prev = token;
  };
  let i = 0;
  while (i <= toks.length) {
    while (e < sorted.length && (sorted[e] as Edit).start < i) e++; // overlapped by an earlier edit
    const edit = sorted[e];
    if (edit !== undefined && edit.start === i) {
      e++;
      if (edit.text !== '') emit(edit.text, undefined);
      i = Math.max(i, edit.end);
      continue;
    }
    const t = toks[i];
    if (t !== undefined) emit(t.text, t);
    i++;
  }
  return out;
}

/** An integer literal's value, or undefined for anything else. */
function literalCount(toks: readonly Token[], start: number, end: number): number | undefined {
  if (end - start !== 1) return undefined;
  const t = toks[start];
  return t !== undefined && t.kind === 'number' && /^[0-9]+$/.test(t.text) ? Number(t.text) : undefined;
}

function capCount(toks: readonly Token[], start: number, end: number, cap: number): Edit | undefined {
  const literal = literalCount(toks, start, end);
  if (literal !== undefined) return literal <= cap ? undefined : { start, end, text: String(cap) };
  const expr = regenerate(toks.slice(start, end));
  const text = `CASE WHEN (${expr}) < ${cap} THEN (${expr}) ELSE ${cap} END`;
  const parenthesised = toks[start - 1]?.text === '(' && toks[end]?.text === ')';
  return { start, end, text: parenthesised ? text : `(${text})` };
}

/** `SELECT TOP (cap) * FROM ( query ) AS capped [ORDER BY …]` around the outermost query expression. */
function wrapEdits(outer: OuterQuery, cap: number, orderBy: string): Edit[] {
  return [
    { start: outer.start, end: outer.start, text: `SELECT TOP (${cap}) * FROM (` },
    { start: outer.tail, end: outer.tail, text: `) AS capped${orderBy}` },
  ];
}

/**
 * `TOP n PERCENT` cannot also be a row count, so the query is wrapped when its columns are
 * named; its ORDER BY is repeated outside when it only names output columns (by name or
 * position), so the capped rows are still the first ones. Otherwise it is left to the
 * connector's stream limit.
 */
function percentEdits(toks: readonly Token[], outer: OuterQuery, names: readonly (string | undefined)[], cap: number): Edit[] {
  if (!namedColumns(names)) return [];
  return wrapEdits(outer, cap, orderOutside(toks, outer, names) ?? '');
}

/**
 * ` ORDER BY …` to repeat outside a `capped` derived table when the query's ORDER BY only names
 * its output columns (by name or position); undefined when it has none or names anything else.
 */
function orderOutside(toks: readonly Token[], outer: OuterQuery, names: readonly (string | undefined)[]): string | undefined {
  if (outer.orderStart === undefined || outer.orderEnd === undefined) return undefined;
  const known = new Set(names.map((n) => foldName(n ?? '')));
  const items = toks.slice(outer.orderStart, outer.orderEnd);
  let expectName = true;
  for (const t of items) {
    const name = t.kind === 'word' || t.kind === 'bracket_identifier' || t.kind === 'quoted_identifier';
    if (expectName && ((name && known.has(foldName(t.value))) || (t.kind === 'number' && /^[0-9]+$/.test(t.text)))) expectName = false;
    else if (!expectName && t.text === ',') expectName = true;
    else if (expectName || !/^(ASC|DESC)$/i.test(t.text)) return undefined;
  }
  return ` ORDER BY ${regenerate(items)}`;
}

/**
 * For FOR JSON/XML over an ordered set operation (which SQL Server refuses in a subquery, error
 * 1086): the ORDER BY to repeat outside a `capped` derived table around it, when the first query
 * names every column and the ORDER BY only names output columns. The set operation keeps its
 * ORDER BY with OFFSET/FETCH inside, which a derived table allows.
 */
function setOrderOutside(toks: readonly Token[], outer: OuterQuery): string | undefined {
  if (outer.for === undefined || outer.spec !== undefined || outer.first === undefined || !namedColumns(outer.first.names))
    return undefined;
  return orderOutside(toks, outer, outer.first.names);
}

/** Whether a derived table over these columns is valid: every column named, no name twice. */
function namedColumns(names: readonly (string | undefined)[]): boolean {
  const seen = new Set<string>();
  for (const name of names) {
    if (name === undefined || name.trim() === '') return false;
    const folded = foldName(name);
    if (seen.has(folded)) return false;
    seen.add(folded);
  }
  return true;
}

/**
 * Edits that make the outermost query return at most `cap` rows:
 * - one query specification: `TOP (cap)` after `SELECT [DISTINCT]`, or a larger TOP lowered (a
 *   smaller one kept; `WITH TIES` kept, so ties may add rows the connector's stream limit cuts);
 *   `TOP n PERCENT` wrapped as below;
 * - `OFFSET … ROWS` (which cannot be combined with TOP): add or lower `FETCH NEXT cap ROWS ONLY`;
 * - a set operation or parenthesised query: `OFFSET 0 ROWS FETCH NEXT cap ROWS ONLY` after its
 *   ORDER BY; without one, `SELECT TOP (cap) * FROM (…) AS capped` when every column of the first
 *   query has a distinct name (a derived table needs that), else `ORDER BY 1 OFFSET …` (a UNION
 *   may only be ordered by its select list, so `ORDER BY (SELECT NULL)` is not an option).
 */
export function rowCapEdits(toks: readonly Token[], outer: OuterQuery, cap: number): Edit[] {
  const edits = innerCapEdits(toks, outer, cap);
  const order = setOrderOutside(toks, outer);
  return order === undefined ? edits : [...edits, ...wrapEdits(outer, cap, order)];
}

function innerCapEdits(toks: readonly Token[], outer: OuterQuery, cap: number): Edit[] {
  if (outer.offset) {
    const fetch = outer.offset.fetch;
    if (!fetch) return [{ start: outer.offset.end, end: outer.offset.end, text: `FETCH NEXT ${cap} ROWS ONLY` }];
    const edit = capCount(toks, fetch.countStart, fetch.countEnd, cap);
    return edit ? [edit] : [];
  }
  if (outer.spec) {
    const top = outer.spec.top;
    if (!top) return [{ start: outer.spec.insertAt, end: outer.spec.insertAt, text: `TOP (${cap})` }];
    if (top.percent) return percentEdits(toks, outer, outer.spec.names, cap);
    const edit = capCount(toks, top.countStart, top.countEnd, cap);
    return edit ? [edit] : [];
  }
  if (outer.orderEnd === undefined && outer.first !== undefined && namedColumns(outer.first.names)) return wrapEdits(outer, cap, '');
  const fetch = `OFFSET 0 ROWS FETCH NEXT ${cap} ROWS ONLY`;
  if (outer.orderEnd !== undefined) return [{ start: outer.orderEnd, end: outer.orderEnd, text: fetch }];
  return [{ start: outer.tail, end: outer.tail, text: `ORDER BY 1 ${fetch}` }];
}

/**
 * Whether the outermost query, once `rowCapEdits` applied, is one query specification: it was one;
 * or it is a set operation or parenthesised query (no ORDER BY, no OFFSET) whose first query names
 * every column, which the cap wraps as `SELECT TOP (cap) * FROM (…) AS capped`; or, with FOR
 * JSON/XML, an ordered set operation wrapped the same way (`setOrderOutside`).
 */
export function cappedAsOneSpec(toks: readonly Token[], outer: OuterQuery): boolean {
  if (outer.spec) return true;
  if (outer.offset === undefined && outer.orderEnd === undefined && outer.first !== undefined && namedColumns(outer.first.names))
    return true;
  return setOrderOutside(toks, outer) !== undefined;
}

/**
 * Edits that make the statement ask for at most `cap` percent of the server's query memory:
 * `MAX_GRANT_PERCENT = cap` first in its `OPTION (…)`, or a new `OPTION` at the end. SQL Server
 * enforces the hint itself (a grant never exceeds it). A caller's own MAX_GRANT_PERCENT is kept
 * when it is at most the cap; otherwise (or when no cap is configured) the reason to refuse.
 */
export function memoryCapEdits(toks: readonly Token[], outer: OuterQuery, cap: number | undefined): Edit[] | string {
  const asked = outer.option?.maxGrantPercent;
  if (asked !== undefined) {
    if (cap === undefined) return 'the query hint MAX_GRANT_PERCENT is not on the allowed list';
    return asked <= cap ? [] : `the query hint MAX_GRANT_PERCENT = ${asked} asks for more than the ${cap} percent this connector allows`;
  }
  if (cap === undefined) return [];
  const hint = `MAX_GRANT_PERCENT = ${cap}`;
  if (outer.option) return [{ start: outer.option.open + 1, end: outer.option.open + 1, text: `${hint},` }];
  return [{ start: toks.length, end: toks.length, text: `OPTION (${hint})` }];
}
