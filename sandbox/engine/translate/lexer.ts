/**
 * The sandbox's own T-SQL lexer, written from SQL Server's documented lexical rules and kept
 * apart from the guard's (src/sql-guard): the "database unchanged" tests run the guard's verdicts
 * against this engine, so a misreading shared by both would go unseen. tests/sandbox/lexers-agree
 * feeds both the corpora and compares statement boundaries.
 *
 * - White space: space, tab, CR, LF, FF, VT. Any other character outside a token is an error.
 * - Comments: `--` to the end of the line (CR or LF); `/* … *\/`, which nest.
 * - Strings: `'…'` with `''` for a quote, optionally prefixed `N` (Unicode); no backslash escapes.
 * - Delimited identifiers: `[…]` with `]]`, and `"…"` with `""` (QUOTED_IDENTIFIER ON).
 * - Regular identifiers: a Unicode letter, `_` or `#` first, then letters, decimal digits, `@`,
 *   `$`, `#`, `_`; `@name` and `@@name` are variables.
 * - Numbers: digits with an optional fraction and exponent (`1`, `1.5`, `.5`, `1.`, `2E-3`);
 *   binary constants `0x…`. SQL Server reads `1abc` as the number 1 then the name abc.
 * Unterminated strings, identifiers and comments become one `error` token to the end of the text.
 */

export type TokenKind =
  | 'whitespace'
  | 'comment'
  | 'string'
  | 'quoted_identifier'
  | 'bracket_identifier'
  | 'word'
  | 'variable'
  | 'number'
  | 'binary'
  | 'operator'
  | 'punctuation'
  | 'error';

export interface Token {
  kind: TokenKind;
  /** The text as written. */
  text: string;
  /** Offsets into the input (UTF-16 code units), end exclusive. */
  start: number;
  end: number;
  /** Strings and delimited identifiers: the content with doubling undone; otherwise the text. */
  value: string;
  /** Strings: whether the `N` prefix was there. */
  national?: boolean;
}

const SPACE = /[ \t\r\n\f\v]/;
const NAME_FIRST = /[\p{L}_#]/u;
const NAME_NEXT = /[\p{L}\p{Nd}_@$#]/u;
const DIGIT = /[0-9]/;
const HEX = /[0-9a-fA-F]/;
/** Longest first: comparison and compound-assignment operators, then single characters. */
const OPERATORS = [
  '<>',
  '!=',
  '!<',
  '!>',
  '<=',
  '>=',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '|=',
  '^=',
  '::',
  '=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '&',
  '|',
  '^',
  '~',
];
const PUNCTUATION = new Set(['(', ')', ',', ';', '.', ':']);

/** Splits T-SQL text into tokens; never throws, and the tokens cover the text end to end. */
export function lexTsql(sql: string): Token[] {
  const tokens: Token[] = [];
  const emit = (kind: TokenKind, start: number, end: number, value?: string, national?: boolean): void => {
    const text = sql.slice(start, end);
    tokens.push({ kind, text, start, end, value: value ?? text, ...(national === undefined ? {} : { national }) });
  };
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] as string;
    const next = sql[i + 1] ?? '';
    if (SPACE.test(c)) {
      let j = i + 1;
      while (j < sql.length && SPACE.test(sql[j] as string)) j++;
      emit('whitespace', i, j);
      i = j;
    } else if (c === '-' && next === '-') {
      let j = i + 2;
      while (j < sql.length && sql[j] !== '\n' && sql[j] !== '\r') j++;
      emit('comment', i, j);
      i = j;
    } else if (c === '/' && next === '*') {
      const end = blockCommentEnd(sql, i);
      emit(end < 0 ? 'error' : 'comment', i, end < 0 ? sql.length : end);
      i = end < 0 ? sql.length : end;
    } else if (c === "'" || ((c === 'N' || c === 'n') && next === "'")) {
      const open = c === "'" ? i : i + 1;
      const closed = delimited(sql, open, "'");
      if (!closed) emit('error', i, sql.length);
      else emit('string', i, closed.end, closed.value, open !== i);
      i = closed ? closed.end : sql.length;
    } else if (c === '[' || c === '"') {
      const closed = delimited(sql, i, c === '[' ? ']' : '"');
      if (!closed) emit('error', i, sql.length);
      else emit(c === '[' ? 'bracket_identifier' : 'quoted_identifier', i, closed.end, closed.value);
      i = closed ? closed.end : sql.length;
    } else if (c === '0' && (next === 'x' || next === 'X')) {
      let j = i + 2;
      while (j < sql.length && HEX.test(sql[j] as string)) j++;
      emit('binary', i, j);
      i = j;
    } else if (DIGIT.test(c) || (c === '.' && DIGIT.test(next))) {
      const j = numberEnd(sql, i);
      emit('number', i, j);
      i = j;
    } else if (c === '@' || NAME_FIRST.test(c)) {
      let j = i + 1;
      while (j < sql.length && NAME_NEXT.test(sql[j] as string)) j++;
      emit(c === '@' ? 'variable' : 'word', i, j);
      i = j;
    } else {
      const op = OPERATORS.find((o) => sql.startsWith(o, i));
      const width = op ? op.length : PUNCTUATION.has(c) ? 1 : (c.codePointAt(0) ?? 0) > 0xffff ? 2 : 1;
      emit(op ? 'operator' : PUNCTUATION.has(c) ? 'punctuation' : 'error', i, i + width);
      i += width;
    }
  }
  return tokens;
}

/** Offset just past a (nested) block comment starting at `from`, or -1 when it never closes. */
function blockCommentEnd(sql: string, from: number): number {
  let depth = 0;
  for (let j = from; j < sql.length - 1; ) {
    if (sql[j] === '/' && sql[j + 1] === '*') {
      depth++;
      j += 2;
    } else if (sql[j] === '*' && sql[j + 1] === '/') {
      depth--;
      j += 2;
      if (depth === 0) return j;
    } else j++;
  }
  return -1;
}

/** A quoted run opened at `open` and closed by `close` (doubled to include it), or undefined. */
function delimited(sql: string, open: number, close: string): { end: number; value: string } | undefined {
  let value = '';
  for (let j = open + 1; j < sql.length; j++) {
    const c = sql[j] as string;
    if (c !== close) {
      value += c;
      continue;
    }
    if (sql[j + 1] !== close) return { end: j + 1, value };
    value += close;
    j++;
  }
  return undefined;
}

function numberEnd(sql: string, from: number): number {
  let j = from;
  while (DIGIT.test(sql[j] ?? '')) j++;
  if (sql[j] === '.') {
    j++;
    while (DIGIT.test(sql[j] ?? '')) j++;
  }
  const e = sql[j];
  if (e === 'e' || e === 'E') {
    let k = j + 1;
    if (sql[k] === '+' || sql[k] === '-') k++;
    if (DIGIT.test(sql[k] ?? '')) {
      while (DIGIT.test(sql[k] ?? '')) k++;
      j = k;
    }
  }
  return j;
}
