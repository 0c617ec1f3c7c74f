import {
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
} from './query-cursor.ts';
import { parseCallTail, parseChain, parseExpr, parseParenRegion } from './query-expr.ts';

const JOIN_HINTS = new Set(['LOOP', 'HASH', 'MERGE', 'REMOTE']);
/**
 * Table hints a read may carry: an explicit allow-list. The ones that hold locks writers wait for
 * (TABLOCK, TABLOCKX, PAGLOCK, UPDLOCK, XLOCK, HOLDLOCK, SERIALIZABLE, REPEATABLEREAD) are refused
 * by the word scan before this point, and any hint not listed here fails the grammar. ROWLOCK
 * only keeps the statement's short shared locks at row granularity.
 */
const TABLE_HINTS = new Set([
  'NOLOCK',
  'READUNCOMMITTED',
  'READCOMMITTED',
  'READCOMMITTEDLOCK',
  'READPAST',
  'NOWAIT',
  'ROWLOCK',
  'SNAPSHOT',
  'NOEXPAND',
  'FORCESEEK',
  'FORCESCAN',
  'SPATIAL_WINDOW_MAX_CELLS',
]);
const TABLE_FUNCTION_WORDS = new Set([
  'CONTAINSTABLE',
  'FREETEXTTABLE',
  'SEMANTICKEYPHRASETABLE',
  'SEMANTICSIMILARITYTABLE',
  'SEMANTICSIMILARITYDETAILSTABLE',
]);

/** `FROM table_source [joins, APPLY, PIVOT, commas]`, recording every table reference. */
export function parseFrom(c: Cursor): void {
  expectKeyword(c, 'FROM');
  parseTableSource(c);
  parseJoins(c);
}

function parseJoins(c: Cursor): void {
  for (;;) {
    const k = kw(c);
    if (isPunct(c, ',')) {
      c.pos++;
      parseTableSource(c);
    } else if ((k === 'CROSS' || k === 'OUTER') && kw(c, 1) === 'APPLY') {
      c.pos += 2;
      parseTableSource(c);
    } else if (k === 'CROSS' && kw(c, 1) === 'JOIN') {
      c.pos += 2;
      parseTableSource(c);
    } else if (k === 'PIVOT' || k === 'UNPIVOT') {
      c.pos++;
      parseParenRegion(c);
      parseAlias(c, false);
    } else {
      const width = joinWidth(c);
      if (width === 0) return;
      c.pos += width;
      parseTableSource(c);
      expectKeyword(c, 'ON');
      parseExpr(c);
    }
  }
}

/** Tokens in `[INNER | {LEFT|RIGHT|FULL} [OUTER]] [LOOP|HASH|MERGE|REMOTE] JOIN`, or 0. */
function joinWidth(c: Cursor): number {
  let o = 0;
  const k = kw(c);
  if (k === 'INNER') o = 1;
  else if (k === 'LEFT' || k === 'RIGHT' || k === 'FULL') o = kw(c, 1) === 'OUTER' ? 2 : 1;
  if (JOIN_HINTS.has(kw(c, o))) o++;
  return kw(c, o) === 'JOIN' ? o + 1 : 0;
}

function parseTableSource(c: Cursor): void {
  if (isPunct(c, '(')) {
    let o = 1;
    while (isPunct(c, '(', o)) o++;
    if (kw(c, o) === 'SELECT') {
      c.pos++;
      c.subquery(c);
      expectPunct(c, ')');
    } else if (kw(c, 1) === 'VALUES') {
      parseParenRegion(c);
    } else {
      c.pos++;
      parseTableSource(c);
      parseJoins(c);
      expectPunct(c, ')');
      return;
    }
    parseAlias(c, true);
    return;
  }
  const index = c.pos;
  const k = kw(c);
  if (TABLE_FUNCTION_WORDS.has(k) && isPunct(c, '(', 1)) {
    c.pos++;
    parseCallTail(c, [k], index);
    parseAlias(c, true);
    return;
  }
  if ((k === 'CHANGETABLE' || k === 'PREDICT') && isPunct(c, '(', 1)) recordTableArgument(c, k);
  const parts = parseChain(c);
  if (parts[parts.length - 1] === '*') fail(c, 'a table name');
  if (isPunct(c, '(') && !startsHints(c, 1)) {
    parseCallTail(c, parts, index, true);
    if (kw(c) === 'WITH' && isPunct(c, '(', 1)) {
      c.pos++;
      parseParenRegion(c);
    }
    parseAlias(c, true);
    return;
  }
  c.objects.push({ parts, index, kind: 'table' });
  if (isPunct(c, '(')) parseHints(c);
  if (kw(c) === 'FOR' && kw(c, 1) === 'SYSTEM_TIME') parseSystemTime(c);
  parseAlias(c, false);
  if (kw(c) === 'TABLESAMPLE') {
    c.pos++;
    if (kw(c) === 'SYSTEM') c.pos++;
    parseParenRegion(c);
    if (kw(c) === 'REPEATABLE') {
      c.pos++;
      parseParenRegion(c);
    }
  }
  if (kw(c) === 'WITH' && isPunct(c, '(', 1)) {
    c.pos++;
    parseHints(c);
  } else if (isPunct(c, '(') && startsHints(c, 1)) parseHints(c);
}

/**
 * Functions that read a table named inside their arguments: `CHANGETABLE(CHANGES t, …)` /
 * `CHANGETABLE(VERSION t, …)` and `PREDICT(MODEL = …, DATA = t AS d)`. The table is recorded like
 * a table source (the cursor stays on the function name); a shape the guard does not know fails.
 */
function recordTableArgument(c: Cursor, k: string): void {
  const start = c.pos;
  let at = -1;
  if (k === 'CHANGETABLE') {
    if (kw(c, 2) !== 'CHANGES' && kw(c, 2) !== 'VERSION') {
      c.pos += 2;
      fail(c, 'CHANGES or VERSION');
    }
    at = c.pos + 3;
  } else {
    let depth = 0;
    for (let i = c.pos + 1; i < c.toks.length; i++) {
      const t = c.toks[i];
      if (t?.kind === 'punctuation' && t.text === '(') depth++;
      else if (t?.kind === 'punctuation' && t.text === ')' && --depth === 0) break;
      else if (depth === 1 && c.kws[i] === 'DATA' && c.toks[i + 1]?.text === '=') {
        at = i + 2;
        break;
      }
    }
    if (at < 0) {
      c.pos += 2;
      fail(c, 'DATA = table');
    }
  }
  c.pos = at;
  c.objects.push({ parts: parseChain(c), index: at, kind: 'table' });
  c.pos = start;
}

function startsHints(c: Cursor, offset: number): boolean {
  const k = kw(c, offset);
  return TABLE_HINTS.has(k) || k === 'INDEX';
}

/** `[AS] alias`, then `(column, …)` where the source allows column aliases. */
function parseAlias(c: Cursor, columns: boolean): void {
  if (kw(c) === 'AS') {
    c.pos++;
    expectIdentifier(c);
  } else if (isIdentifier(c) && !startsWindowClause(c)) c.pos++;
  else return;
  if (columns && isPunct(c, '(')) {
    c.pos++;
    expectIdentifier(c);
    while (isPunct(c, ',')) {
      c.pos++;
      expectIdentifier(c);
    }
    expectPunct(c, ')');
  }
}

/** `( hint [, hint]… )` with hints from the read-only list above. */
function parseHints(c: Cursor): void {
  expectPunct(c, '(');
  for (;;) {
    const k = kw(c);
    if (k === 'INDEX') {
      c.pos++;
      if (isOperator(c, '=')) {
        c.pos++;
        if (c.toks[c.pos]?.kind === 'number') c.pos++;
        else expectIdentifier(c);
      } else parseParenRegion(c);
    } else if (TABLE_HINTS.has(k)) {
      c.pos++;
      if (isOperator(c, '=')) c.pos += 2;
      else if (isPunct(c, '(')) parseParenRegion(c);
    } else fail(c, 'a read-only table hint such as NOLOCK');
    if (isPunct(c, ',')) c.pos++;
    else if (isPunct(c, ')')) {
      c.pos++;
      return;
    }
  }
}

/** `FOR SYSTEM_TIME { AS OF e | FROM e TO e | BETWEEN e AND e | CONTAINED IN (e, e) | ALL }`. */
function parseSystemTime(c: Cursor): void {
  c.pos += 2;
  const k = kw(c);
  if (k === 'AS' && kw(c, 1) === 'OF') {
    c.pos += 2;
    parseExpr(c);
  } else if (k === 'FROM') {
    c.pos++;
    parseExpr(c);
    expectKeyword(c, 'TO');
    parseExpr(c);
  } else if (k === 'BETWEEN') {
    c.pos++;
    parseExpr(c);
  } else if (k === 'CONTAINED' && kw(c, 1) === 'IN') {
    c.pos += 2;
    parseParenRegion(c);
  } else expectKeyword(c, 'ALL');
}
