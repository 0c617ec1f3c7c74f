/** Clauses of a query specification or expression with fixed shapes: TOP, GROUP BY, ORDER BY, FOR. */
import { expectKeyword, expectPunct, fail, isOperator, isPunct, kw, type Cursor } from './query-cursor.ts';
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

/** A query's `FOR XML …` / `FOR JSON …` clause: tokens `[start, end)`, and whether it asks for the `xml` type. */
export interface ForClause {
  start: number;
  end: number;
  kind: 'JSON' | 'XML';
  type: boolean;
}

/** `FOR XML mode[('row')] [, directive]…` or `FOR JSON mode [, option]…`; FOR BROWSE/UPDATE fail. */
export function parseForClause(c: Cursor): ForClause {
  const start = c.pos;
  c.pos++;
  const kind = kw(c) === 'XML' ? 'XML' : 'JSON';
  let type = false;
  expectKeyword(c, 'XML', 'JSON');
  if (kind === 'XML') expectKeyword(c, 'RAW', 'AUTO', 'EXPLICIT', 'PATH');
  else expectKeyword(c, 'AUTO', 'PATH');
  if (isPunct(c, '(')) parseParenRegion(c);
  while (isPunct(c, ',')) {
    c.pos++;
    const k = kw(c);
    if (!(kind === 'XML' ? XML_DIRECTIVES : JSON_DIRECTIVES).has(k)) fail(c, `a FOR ${kind} option`);
    c.pos++;
    if (k === 'TYPE') type = true;
    if (k === 'ELEMENTS' && (kw(c) === 'XSINIL' || kw(c) === 'ABSENT')) c.pos++;
    else if (k === 'BINARY') expectKeyword(c, 'BASE64');
    else if ((k === 'ROOT' || k === 'XMLSCHEMA') && isPunct(c, '(')) parseParenRegion(c);
  }
  return { start, end: c.pos, kind, type };
}

/** The largest `OPTION (MAXRECURSION n)` accepted; 0 (no limit) is refused. */
export const MAX_RECURSION = 1000;

/** Query hints that change only how the plan is chosen, never what is locked or how much is used. */
const PLAN_HINTS: Record<string, string[]> = {
  RECOMPILE: [],
  KEEP: ['PLAN'],
  KEEPFIXED: ['PLAN'],
  ROBUST: ['PLAN'],
  EXPAND: ['VIEWS'],
  FORCE: ['ORDER'],
  NO_PERFORMANCE_SPOOL: [],
  IGNORE_NONCLUSTERED_COLUMNSTORE_INDEX: [],
  HASH: ['JOIN', 'UNION', 'GROUP'],
  MERGE: ['JOIN', 'UNION'],
  LOOP: ['JOIN'],
  CONCAT: ['UNION'],
  ORDER: ['GROUP'],
};

/** Where the query's `OPTION (…)` is and the memory cap it asks for. */
export interface OptionClause {
  /** Index of its `(`. */
  open: number;
  /** `MAX_GRANT_PERCENT = n`, when given (the guard accepts it up to its configured cap). */
  maxGrantPercent?: number;
}

/**
 * `OPTION ( hint [, hint]… )` with hints from an explicit allow-list: the plan-shape hints above,
 * `MAXRECURSION n` (1 ≤ n ≤ MAX_RECURSION), `FAST n`, `MAXDOP 1` (it only lowers parallelism),
 * `OPTIMIZE FOR UNKNOWN` and `MAX_GRANT_PERCENT = n` (judged against the cap by the caller).
 * Everything else — MAXDOP above 1, MIN_GRANT_PERCENT, QUERYTRACEON, USE HINT, USE PLAN, TABLE
 * HINT, PARAMETERIZATION, LABEL, … — is refused.
 */
export function parseOption(c: Cursor): OptionClause {
  c.pos++;
  const clause: OptionClause = { open: c.pos };
  expectPunct(c, '(');
  for (;;) {
    const k = kw(c);
    const follow = PLAN_HINTS[k];
    if (k === 'MAX_GRANT_PERCENT' && isOperator(c, '=', 1) && clause.maxGrantPercent === undefined) {
      c.pos += 2;
      const t = c.toks[c.pos];
      const n = t?.kind === 'number' && /^[0-9]+(\.[0-9]*)?$/.test(t.text) ? Number(t.text) : NaN;
      if (!(n >= 0 && n <= 100)) fail(c, 'a percentage from 0 to 100');
      clause.maxGrantPercent = n;
      c.pos++;
    } else if (follow !== undefined) {
      c.pos++;
      if (follow.length > 0) expectKeyword(c, ...follow);
    } else if (k === 'MAXRECURSION' || k === 'FAST' || k === 'MAXDOP') {
      c.pos++;
      const n = Number(c.toks[c.pos]?.kind === 'number' && /^[0-9]+$/.test(c.toks[c.pos]?.text ?? '') ? c.toks[c.pos]?.text : NaN);
      const limit = k === 'MAXRECURSION' ? MAX_RECURSION : k === 'MAXDOP' ? 1 : Number.MAX_SAFE_INTEGER;
      if (!(n >= 1 && n <= limit))
        fail(
          c,
          k === 'MAXDOP' ? 'MAXDOP 1 (a higher degree of parallelism is not allowed)' : `a whole number from 1 to ${limit} after ${k}`,
        );
      c.pos++;
    } else if (k === 'OPTIMIZE' && kw(c, 1) === 'FOR' && kw(c, 2) === 'UNKNOWN') {
      c.pos += 3;
    } else
      fail(
        c,
        `a query hint from the allowed list (RECOMPILE, MAXRECURSION up to ${MAX_RECURSION}, OPTIMIZE FOR UNKNOWN, FAST n, MAXDOP 1, join and union hints)`,
      );
    if (isPunct(c, ',')) {
      c.pos++;
      continue;
    }
    if (isOperator(c, '=')) fail(c, 'a hint without "="');
    expectPunct(c, ')');
    return clause;
  }
}
