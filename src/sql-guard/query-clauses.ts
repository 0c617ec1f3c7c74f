/** Clauses of a query specification or expression with fixed shapes: TOP, GROUP BY, ORDER BY, FOR. */
import { expectKeyword, fail, isPunct, kw, type Cursor } from './query-cursor.ts';
import { parseExpr, parseParenRegion } from './query-expr.ts';

/** `TOP …` of the outermost query specification, as significant-token indexes. */
export interface TopClause {
  /** Index of `TOP`, and just past the clause (after `PERCENT` / `WITH TIES`). */
  start: number;
  end: number;
  /** The count: `[countStart, countEnd)`, without the parentheses. */
  countStart: number;
  countEnd: number;
  percent: boolean;
  withTies: boolean;
}

/** `TOP n [PERCENT] [WITH TIES]` or `TOP (expr) …`. */
export function parseTop(c: Cursor): TopClause {
  const start = c.pos;
  c.pos++;
  let countStart = c.pos;
  let countEnd: number;
  if (isPunct(c, '(')) {
    parseParenRegion(c, true);
    countStart++;
    countEnd = c.pos - 1;
  } else {
    if (c.toks[c.pos]?.kind !== 'number') fail(c, 'a number or (expression) after TOP');
    c.pos++;
    countEnd = c.pos;
  }
  const percent = kw(c) === 'PERCENT';
  if (percent) c.pos++;
  const withTies = kw(c) === 'WITH' && kw(c, 1) === 'TIES';
  if (withTies) c.pos += 2;
  return { start, end: c.pos, countStart, countEnd, percent, withTies };
}

export function parseGroupBy(c: Cursor): void {
  c.pos += 2;
  if (kw(c) === 'ALL') c.pos++;
  do {
    if (isPunct(c, ',')) c.pos++;
    const k = kw(c);
    if ((k === 'ROLLUP' || k === 'CUBE') && isPunct(c, '(', 1)) {
      c.pos++;
      parseParenRegion(c);
    } else if (k === 'GROUPING' && kw(c, 1) === 'SETS') {
      c.pos += 2;
      parseParenRegion(c);
    } else parseExpr(c);
  } while (isPunct(c, ','));
  if (kw(c) === 'WITH' && (kw(c, 1) === 'ROLLUP' || kw(c, 1) === 'CUBE')) c.pos += 2;
}

export function parseOrderList(c: Cursor): void {
  for (;;) {
    parseExpr(c);
    if (kw(c) === 'ASC' || kw(c) === 'DESC') c.pos++;
    if (!isPunct(c, ',')) return;
    c.pos++;
  }
}

const XML_DIRECTIVES = new Set(['TYPE', 'ROOT', 'ELEMENTS', 'BINARY', 'XMLDATA', 'XMLSCHEMA']);
const JSON_DIRECTIVES = new Set(['ROOT', 'INCLUDE_NULL_VALUES', 'WITHOUT_ARRAY_WRAPPER']);

/** `FOR XML mode[('row')] [, directive]…` or `FOR JSON mode [, option]…`; FOR BROWSE/UPDATE fail. */
export function parseForClause(c: Cursor): void {
  c.pos++;
  const kind = kw(c);
  expectKeyword(c, 'XML', 'JSON');
  if (kind === 'XML') expectKeyword(c, 'RAW', 'AUTO', 'EXPLICIT', 'PATH');
  else expectKeyword(c, 'AUTO', 'PATH');
  if (isPunct(c, '(')) parseParenRegion(c);
  while (isPunct(c, ',')) {
    c.pos++;
    const k = kw(c);
    if (!(kind === 'XML' ? XML_DIRECTIVES : JSON_DIRECTIVES).has(k)) fail(c, `a FOR ${kind} option`);
    c.pos++;
    if (k === 'ELEMENTS' && (kw(c) === 'XSINIL' || kw(c) === 'ABSENT')) c.pos++;
    else if (k === 'BINARY') expectKeyword(c, 'BASE64');
    else if ((k === 'ROOT' || k === 'XMLSCHEMA') && isPunct(c, '(')) parseParenRegion(c);
  }
}
