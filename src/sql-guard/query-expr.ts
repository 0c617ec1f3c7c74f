import { expectIdentifier, expectKeyword, expectPunct, fail, isIdentifier, isOperator, isPunct, kw, type Cursor } from './query-cursor.ts';
import { NAME_ARGUMENT_FUNCTIONS, recordNameArgument } from './name-arguments.ts';

const BINARY_OPERATORS = new Set(['+', '-', '*', '/', '%', '&', '|', '^', '=', '<>', '!=', '<', '>', '<=', '>=', '!<', '!>', '||']);
const BINARY_WORDS = new Set(['AND', 'OR', 'LIKE', 'ESCAPE', 'BETWEEN', 'IN']);
const CONSTANT_WORDS = new Set([
  'NULL',
  'CURRENT_TIMESTAMP',
  'CURRENT_DATE',
  'CURRENT_USER',
  'SESSION_USER',
  'SYSTEM_USER',
  'USER',
  'IDENTITYCOL',
  'ROWGUIDCOL',
]);
/** Reserved keywords that are also built-in functions. */
const FUNCTION_WORDS = new Set(['LEFT', 'RIGHT', 'CONVERT', 'TRY_CONVERT', 'COALESCE', 'NULLIF', 'CONTAINS', 'FREETEXT']);
/** Functions whose first argument is a table (full-text search). */
const TABLE_ARGUMENT_FUNCTIONS = new Set([
  'CONTAINSTABLE',
  'FREETEXTTABLE',
  'SEMANTICKEYPHRASETABLE',
  'SEMANTICSIMILARITYTABLE',
  'SEMANTICSIMILARITYDETAILSTABLE',
]);
/** xml data type methods (`Doc.value(…)`) are not user functions. */
const XML_METHODS = new Set(['VALUE', 'QUERY', 'EXIST', 'NODES']);

/**
 * An expression: operands joined by operators. Precedence does not matter to the guard — only
 * where the expression ends (so a following statement cannot hide in it) and which objects and
 * subqueries it contains.
 */
export function parseExpr(c: Cursor): void {
  parseUnary(c);
  for (;;) {
    const width = binaryOperatorWidth(c);
    if (width > 0) {
      c.pos += width;
      parseUnary(c);
    } else if (kw(c) === 'COLLATE') {
      c.pos++;
      expectIdentifier(c);
    } else return;
  }
}

function binaryOperatorWidth(c: Cursor): number {
  const t = c.toks[c.pos];
  if (t === undefined) return 0;
  if (t.kind === 'operator') return BINARY_OPERATORS.has(t.text) ? 1 : 0;
  const k = kw(c);
  if (BINARY_WORDS.has(k)) return 1;
  if (k === 'IS') return kw(c, 1) === 'NOT' ? 2 : 1;
  if (k === 'NOT' && (kw(c, 1) === 'LIKE' || kw(c, 1) === 'IN' || kw(c, 1) === 'BETWEEN')) return 2;
  if (k === 'AT' && kw(c, 1) === 'TIME' && kw(c, 2) === 'ZONE') return 3;
  return 0;
}

function parseUnary(c: Cursor): void {
  for (;;) {
    const k = kw(c);
    if (k === 'NOT' || isOperator(c, '-') || isOperator(c, '+') || isOperator(c, '~')) c.pos++;
    else if ((k === 'ALL' || k === 'ANY' || k === 'SOME' || k === 'EXISTS') && isPunct(c, '(', 1)) c.pos++;
    else break;
  }
  parseOperand(c);
}

function parseOperand(c: Cursor): void {
  const t = c.toks[c.pos];
  if (t === undefined) fail(c, 'an expression');
  if (t.kind === 'number' || t.kind === 'string' || t.kind === 'binary' || t.kind === 'variable') {
    c.pos++;
    return;
  }
  if (isPunct(c, '(')) {
    parseParenRegion(c, true);
    return;
  }
  const k = kw(c);
  if (k === 'CASE') {
    parseCase(c);
    return;
  }
  if (CONSTANT_WORDS.has(k)) {
    c.pos++;
    return;
  }
  if ((FUNCTION_WORDS.has(k) || TABLE_ARGUMENT_FUNCTIONS.has(k)) && isPunct(c, '(', 1)) {
    c.pos++;
    parseCallTail(c, [t.value], c.pos - 1);
    return;
  }
  if (!isIdentifier(c)) fail(c, 'an expression');
  const index = c.pos;
  const parts = parseChain(c);
  if (isPunct(c, '(')) {
    parseCallTail(c, parts, index);
    return;
  }
  if (isOperator(c, '::')) {
    c.pos++;
    expectIdentifier(c);
    if (isPunct(c, '(')) parseCallTail(c, [], index);
  }
}

/** `name(.name)*`, allowing `db..name` and a final `.*`; returns the identifier values. */
export function parseChain(c: Cursor): string[] {
  const parts = [expectIdentifier(c)];
  while (isPunct(c, '.')) {
    c.pos++;
    if (isPunct(c, '.')) {
      parts.push('');
      continue;
    }
    if (isOperator(c, '*')) {
      c.pos++;
      parts.push('*');
      break;
    }
    parts.push(expectIdentifier(c));
  }
  return parts;
}

/**
 * Arguments, `WITHIN GROUP (…)`, `OVER (…)` and method calls after a function name. A
 * multi-part name is recorded: as a table when it is a table-valued function in FROM (`source`),
 * else as a function (which may equally be a method of a column: `c.Location.STDistance(…)`).
 */
export function parseCallTail(c: Cursor, parts: string[], index: number, source = false): void {
  const last = (parts[parts.length - 1] ?? '').toUpperCase();
  if (parts.length >= 2 && !XML_METHODS.has(last)) c.objects.push({ parts, index, kind: source ? 'table' : 'function' });
  if (TABLE_ARGUMENT_FUNCTIONS.has(last) && parts.length === 1) {
    expectPunct(c, '(');
    const tableIndex = c.pos;
    c.objects.push({ parts: parseChain(c), index: tableIndex, kind: 'table' });
    walkRegionBody(c);
  } else {
    const systemName = parts.length === 1 || (parts.length === 2 && (parts[0] ?? '').toUpperCase() === 'SYS');
    if (systemName && NAME_ARGUMENT_FUNCTIONS.has(last)) recordNameArgument(c);
    parseParenRegion(c);
  }
  if (kw(c) === 'WITHIN' && kw(c, 1) === 'GROUP') {
    c.pos += 2;
    parseParenRegion(c);
  }
  if (kw(c) === 'OVER') {
    c.pos++;
    if (isPunct(c, '(')) parseParenRegion(c);
    else expectIdentifier(c);
  }
  while (isPunct(c, '.') && isIdentifier(c, 1) && isPunct(c, '(', 2)) {
    c.pos += 2;
    parseParenRegion(c);
  }
}

function parseCase(c: Cursor): void {
  c.pos++;
  if (kw(c) !== 'WHEN') parseExpr(c);
  if (kw(c) !== 'WHEN') fail(c, 'WHEN');
  while (kw(c) === 'WHEN') {
    c.pos++;
    parseExpr(c);
    expectKeyword(c, 'THEN');
    parseExpr(c);
  }
  if (kw(c) === 'ELSE') {
    c.pos++;
    parseExpr(c);
  }
  expectKeyword(c, 'END');
}

/**
 * `( … )`: a subquery where `allowQuery` says one may start right after the parenthesis (an
 * operand, a nested parenthesis, TOP), parsed as a query; or anything else (argument lists, IN lists, window
 * specifications, VALUES rows), walked token by token. No statement can begin inside
 * parentheses in T-SQL, so the walk only has to find nested subqueries (whose FROM clauses name
 * tables) and refuse a SELECT that does not start a subquery.
 */
export function parseParenRegion(c: Cursor, allowQuery = false): void {
  // Elsewhere (function arguments, ROLLUP, FOR XML PATH, hints…) `x (SELECT …)` could let SQL
  // Server end the statement after `x` and start another at the parenthesis: T-SQL wants
  // `f((SELECT …))` there anyway.
  expectPunct(c, '(');
  if (kw(c) === 'SELECT') {
    if (!allowQuery) fail(c, 'an argument (a subquery argument needs its own parentheses)');
    c.subquery(c);
    expectPunct(c, ')');
    return;
  }
  walkRegionBody(c);
}

function walkRegionBody(c: Cursor): void {
  for (;;) {
    const t = c.toks[c.pos];
    if (t === undefined) fail(c, '")"');
    if (t.kind === 'punctuation') {
      if (t.text === ')') {
        c.pos++;
        return;
      }
      if (t.text === '(') {
        parseParenRegion(c, true);
        continue;
      }
      if (t.text === ';') fail(c, '")"');
    }
    const k = kw(c);
    if (k === 'SELECT' || k === 'WITH') fail(c, 'an expression (a subquery must start right after "(")');
    if ((TABLE_ARGUMENT_FUNCTIONS.has(k) || FUNCTION_WORDS.has(k)) && isPunct(c, '(', 1)) {
      c.pos++;
      parseCallTail(c, [t.value], c.pos - 1);
      continue;
    }
    if (isIdentifier(c)) {
      const index = c.pos;
      const parts = parseChain(c);
      if (isPunct(c, '(')) parseCallTail(c, parts, index);
      continue;
    }
    c.pos++;
  }
}
