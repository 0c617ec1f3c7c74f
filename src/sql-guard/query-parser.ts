import type { Token } from './tsql-lexer.ts';
import {
  createCursor,
  expectIdentifier,
  expectKeyword,
  expectPunct,
  fail,
  isIdentifier,
  isOperator,
  isPunct,
  kw,
  startsWindowClause,
  type Cursor,
  type ObjectRef,
} from './query-cursor.ts';
import { parseExpr, parseParenRegion } from './query-expr.ts';
import { parseFrom } from './query-from.ts';
import {
  parseForClause,
  parseGroupBy,
  parseOption,
  parseOrderList,
  parseTop,
  type ForClause,
  type OptionClause,
  type TopClause,
} from './query-clauses.ts';
import { foldName } from './word-rules.ts';

/** A query specification: where TOP goes, its TOP, and the names of its columns where known. */
export type { TopClause } from './query-clauses.ts';

export interface QuerySpec {
  insertAt: number;
  top?: TopClause;
  /** Column names (alias, or the column a bare reference reads); undefined where unknown or `*`. */
  names: (string | undefined)[];
}

/** What the row cap needs to know about the outermost query. */
export interface OuterQuery {
  /** Index of the outermost query expression's first token (after any WITH clause). */
  start: number;
  /** The first query specification of the outermost query expression, when it is not parenthesised. */
  first?: QuerySpec;
  /** Set when the outermost query is one query specification (no set operation, no parentheses). */
  spec?: QuerySpec;
  /** Index just past the ORDER BY list, when there is one. */
  orderEnd?: number;
  /** Index of the first ORDER BY item. */
  orderStart?: number;
  /** Index just past `OFFSET n ROWS`, and the FETCH count when there is one. */
  offset?: { end: number; fetch?: { countStart: number; countEnd: number } };
  /** Index where FOR XML/JSON, OPTION or the final `;` begin (or the token count). */
  tail: number;
  /** The statement's `OPTION (…)` clause, when it has one. */
  option?: OptionClause;
  /** The outermost query's `FOR JSON` / `FOR XML` clause, when it has one (it starts at `tail`). */
  for?: ForClause;
}

export interface QueryShape {
  objects: ObjectRef[];
  /**
   * Common table expression names (`foldName`) and where each is declared: a one-part name after
   * that point is the CTE, not a table; before it (in an earlier CTE's body) it is a table.
   */
  cteNames: Map<string, number>;
  outer: OuterQuery;
}

/**
 * Parses the significant T-SQL tokens as exactly one read-only query — `[WITH ctes] query_expression
 * [ORDER BY] [OFFSET/FETCH] [FOR XML|JSON] [OPTION (…)] [;]` — and throws a `ParseFailure` at the
 * first token that does not continue it. This is the grammar the guard's safety rests on: T-SQL
 * lets a second statement follow without a semicolon (`SELECT 1 DROP TABLE t`), so the query must
 * be recognised up to its last token, wherever node-sql-parser gives up.
 */
export function parseQuery(toks: readonly Token[], kws: readonly string[]): QueryShape {
  const c = createCursor(toks, kws, (inner) => parseQueryExpression(inner, undefined));
  if (kw(c) === 'WITH') parseWith(c);
  const outer: OuterQuery = { start: c.pos, tail: 0 };
  parseQueryExpression(c, outer);
  if (kw(c) === 'OPTION') outer.option = parseOption(c);
  if (isPunct(c, ';')) c.pos++;
  if (c.pos < toks.length) fail(c, 'the end of the query');
  return { objects: c.objects, cteNames: c.cteNames, outer };
}

function parseWith(c: Cursor): void {
  c.pos++;
  if (kw(c) === 'XMLNAMESPACES') {
    c.pos++;
    parseParenRegion(c);
    if (!isPunct(c, ',')) return;
    c.pos++;
  }
  for (;;) {
    const declaredAt = c.pos;
    c.cteNames.set(foldName(expectIdentifier(c)), declaredAt);
    if (isPunct(c, '(')) {
      c.pos++;
      expectIdentifier(c);
      while (isPunct(c, ',')) {
        c.pos++;
        expectIdentifier(c);
      }
      expectPunct(c, ')');
    }
    expectKeyword(c, 'AS');
    expectPunct(c, '(');
    parseQueryExpression(c, undefined);
    expectPunct(c, ')');
    if (!isPunct(c, ',')) return;
    c.pos++;
  }
}

function parseQueryExpression(c: Cursor, outer: OuterQuery | undefined): void {
  const first = parseQueryTerm(c);
  if (outer && first) outer.first = first;
  let single = first !== undefined;
  while (kw(c) === 'UNION' || kw(c) === 'EXCEPT' || kw(c) === 'INTERSECT') {
    single = false;
    c.pos += kw(c) === 'UNION' && kw(c, 1) === 'ALL' ? 2 : 1;
    parseQueryTerm(c);
  }
  if (outer && single && first) outer.spec = first;
  if (kw(c) === 'ORDER' && kw(c, 1) === 'BY') {
    c.pos += 2;
    const orderStart = c.pos;
    parseOrderList(c);
    if (outer) {
      outer.orderStart = orderStart;
      outer.orderEnd = c.pos;
    }
  }
  if (kw(c) === 'OFFSET') {
    c.pos++;
    parseExpr(c);
    expectKeyword(c, 'ROW', 'ROWS');
    const offset: NonNullable<OuterQuery['offset']> = { end: c.pos };
    if (kw(c) === 'FETCH') {
      c.pos++;
      expectKeyword(c, 'FIRST', 'NEXT');
      const countStart = c.pos;
      parseExpr(c);
      offset.fetch = { countStart, countEnd: c.pos };
      expectKeyword(c, 'ROW', 'ROWS');
      expectKeyword(c, 'ONLY');
    }
    if (outer) outer.offset = offset;
  }
  if (outer) outer.tail = c.pos;
  if (kw(c) === 'FOR') {
    const clause = parseForClause(c);
    if (outer) outer.for = clause;
  }
}

/** A query specification (returns where TOP goes) or a parenthesised query expression. */
function parseQueryTerm(c: Cursor): QuerySpec | undefined {
  if (isPunct(c, '(')) {
    c.pos++;
    parseQueryExpression(c, undefined);
    expectPunct(c, ')');
    return undefined;
  }
  expectKeyword(c, 'SELECT');
  if (kw(c) === 'ALL' || kw(c) === 'DISTINCT') c.pos++;
  const spec: QuerySpec = { insertAt: c.pos, names: [] };
  if (kw(c) === 'TOP') spec.top = parseTop(c);
  spec.names.push(parseSelectItem(c));
  while (isPunct(c, ',')) {
    c.pos++;
    spec.names.push(parseSelectItem(c));
  }
  if (kw(c) === 'FROM') parseFrom(c);
  if (kw(c) === 'WHERE') {
    c.pos++;
    parseExpr(c);
  }
  if (kw(c) === 'GROUP' && kw(c, 1) === 'BY') parseGroupBy(c);
  if (kw(c) === 'HAVING') {
    c.pos++;
    parseExpr(c);
  }
  if (startsWindowClause(c)) {
    do {
      c.pos++;
      expectIdentifier(c);
      expectKeyword(c, 'AS');
      parseParenRegion(c);
    } while (isPunct(c, ','));
  }
  return spec;
}

/** One select-list item; returns the column name it produces where that is evident. */
function parseSelectItem(c: Cursor): string | undefined {
  if (isOperator(c, '*')) {
    c.pos++;
    return undefined;
  }
  const start = c.pos;
  parseExpr(c);
  if (kw(c) === 'AS') c.pos++;
  else if ((!isIdentifier(c) || startsWindowClause(c)) && c.toks[c.pos]?.kind !== 'string') return impliedName(c, start);
  const alias = c.toks[c.pos];
  if (alias?.kind === 'string') c.pos++;
  else expectIdentifier(c);
  return alias?.value;
}

/** `alias = expr` names its column; so does a bare column reference (its last part). */
function impliedName(c: Cursor, start: number): string | undefined {
  const first = c.toks[start];
  if (first !== undefined && isIdentifier(c, start - c.pos) && isOperator(c, '=', start + 1 - c.pos)) return first.value;
  for (let i = start; i < c.pos; i++) {
    const t = c.toks[i];
    const expectName = (i - start) % 2 === 0;
    if (t === undefined || (expectName ? !isIdentifier(c, i - c.pos) : t.text !== '.')) return undefined;
  }
  return (c.pos - start) % 2 === 1 ? c.toks[c.pos - 1]?.value : undefined;
}
