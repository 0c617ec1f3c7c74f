/**
 * A lexer that follows SQL Server's own rules, not node-sql-parser's.
 *
 * Differences that matter for security (see the "parser differentials" note in the guard):
 * - strings: `'…'` (and `N'…'`) end at the first single quote that is not doubled; a backslash is
 *   an ordinary character (no escapes);
 * - identifiers: `[…]` ends at the first `]` not doubled; `"…"` ends at the first `"` not doubled;
 * - comments: `--` runs to the end of the line (CR or LF); `/* … *\/` nests;
 * - backticks and `#` comments do not exist (a `#` starts a temp-table name).
 *
 * The lexer never throws: text it cannot close (an unterminated string, identifier or comment)
 * produces an `error` token covering the rest of the input, so callers can fail closed.
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
  /** The token's text exactly as it appears in the input. */
  text: string;
  /** Offset of the first character in the input (UTF-16 code units). */
  start: number;
  /** Offset just past the last character. */
  end: number;
  /**
   * For strings and quoted identifiers: the decoded value (doubling removed, prefix and quotes
   * dropped). For words: the text. Otherwise the text.
   */
  value: string;
  /** For strings: whether it had the `N` prefix. */
  national?: boolean;
}

/** Characters SQL Server treats as white space between tokens (ASCII only). */
const ASCII_SPACE = new Set([' ', '\t', '\n', '\r', '\f', '\v']);

/**
 * Non-ASCII characters that some engine might read as white space or a line break: the Unicode
 * separators (Zs, Zl, Zp), NEL, zero-width characters and the byte-order mark. Outside string
 * literals the guard refuses them; the lexer reports them as `error` tokens so nothing silently
 * treats them as harmless.
 */
export function isSuspiciousSpace(ch: string): boolean {
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x80) return false;
  if (code === 0x85 || code === 0xa0 || code === 0x1680 || code === 0x180e) return true;
  if (code >= 0x2000 && code <= 0x200f) return true; // en quad … RLM, incl. zero-width spaces
  if (code >= 0x2028 && code <= 0x202f) return true; // line/paragraph separators, embedding marks, NNBSP
  if (code >= 0x205f && code <= 0x206f) return true; // math space, word joiner, invisible operators
  if (code === 0x3000 || code === 0xfeff) return true;
  return /\p{Z}/u.test(ch);
}

const WORD_START = /[\p{L}_@#]/u;
const WORD_PART = /[\p{L}\p{N}_@#$]/u;
const OPERATORS = [
  '::',
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
  '||',
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
  '!',
];
const PUNCTUATION = new Set(['(', ')', ',', ';', '.', ':']);

/** Splits T-SQL text into tokens, covering every character of the input exactly once. */
export function lexTsql(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = input.length;
  const push = (kind: TokenKind, start: number, end: number, value?: string, national?: boolean): void => {
    const text = input.slice(start, end);
    const token: Token = { kind, text, start, end, value: value ?? text };
    if (national !== undefined) token.national = national;
    tokens.push(token);
  };

  while (i < n) {
    const ch = input[i] as string;
    const next = input[i + 1];

    if (ASCII_SPACE.has(ch)) {
      let j = i + 1;
      while (j < n && ASCII_SPACE.has(input[j] as string)) j++;
      push('whitespace', i, j);
      i = j;
      continue;
    }
    if (ch === '-' && next === '-') {
      let j = i + 2;
      while (j < n && input[j] !== '\n' && input[j] !== '\r') j++;
      push('comment', i, j);
      i = j;
      continue;
    }
    if (ch === '/' && next === '*') {
      let depth = 1;
      let j = i + 2;
      while (j < n && depth > 0) {
        if (input[j] === '/' && input[j + 1] === '*') {
          depth++;
          j += 2;
        } else if (input[j] === '*' && input[j + 1] === '/') {
          depth--;
          j += 2;
        } else j++;
      }
      push(depth === 0 ? 'comment' : 'error', i, j);
      i = j;
      continue;
    }
    if (ch === "'" || ((ch === 'N' || ch === 'n') && next === "'")) {
      const national = ch !== "'";
      const end = closeQuoted(input, national ? i + 2 : i + 1, "'");
      if (end < 0) {
        push('error', i, n);
        break;
      }
      push('string', i, end, input.slice(national ? i + 2 : i + 1, end - 1).replaceAll("''", "'"), national);
      i = end;
      continue;
    }
    if (ch === '[') {
      const end = closeQuoted(input, i + 1, ']');
      if (end < 0) {
        push('error', i, n);
        break;
      }
      push('bracket_identifier', i, end, input.slice(i + 1, end - 1).replaceAll(']]', ']'));
      i = end;
      continue;
    }
    if (ch === '"') {
      const end = closeQuoted(input, i + 1, '"');
      if (end < 0) {
        push('error', i, n);
        break;
      }
      push('quoted_identifier', i, end, input.slice(i + 1, end - 1).replaceAll('""', '"'));
      i = end;
      continue;
    }
    if (ch === '0' && (next === 'x' || next === 'X')) {
      let j = i + 2;
      while (j < n && /[0-9a-fA-F]/.test(input[j] as string)) j++;
      push('binary', i, j);
      i = j;
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === '.' && next !== undefined && /[0-9]/.test(next))) {
      let j = i;
      while (j < n && /[0-9]/.test(input[j] as string)) j++;
      if (input[j] === '.') {
        j++;
        while (j < n && /[0-9]/.test(input[j] as string)) j++;
      }
      if ((input[j] === 'e' || input[j] === 'E') && /[-+0-9]/.test(input[j + 1] ?? '')) {
        let k = j + 1;
        if (input[k] === '+' || input[k] === '-') k++;
        if (/[0-9]/.test(input[k] ?? '')) {
          j = k;
          while (j < n && /[0-9]/.test(input[j] as string)) j++;
        }
      }
      push('number', i, j);
      i = j;
      continue;
    }
    if (ch === '@' || WORD_START.test(ch)) {
      let j = i + 1;
      while (j < n && WORD_PART.test(input[j] as string)) j++;
      push(ch === '@' ? 'variable' : 'word', i, j);
      i = j;
      continue;
    }
    const op = OPERATORS.find((o) => input.startsWith(o, i));
    if (op) {
      push('operator', i, i + op.length);
      i += op.length;
      continue;
    }
    if (PUNCTUATION.has(ch)) {
      push('punctuation', i, i + 1);
      i++;
      continue;
    }
    // Anything else (backtick, backslash, `$` alone, `?`, `{`, suspicious Unicode spaces, …) is
    // not T-SQL between tokens. Surrogate pairs stay together.
    const width = (ch.codePointAt(0) ?? 0) > 0xffff ? 2 : 1;
    push('error', i, i + width);
    i += width;
  }
  return tokens;
}

/** Returns the offset just past the closing quote, or -1 when the quoted text never closes. */
function closeQuoted(input: string, from: number, quote: string): number {
  let j = from;
  while (j < input.length) {
    if (input[j] === quote) {
      if (input[j + 1] === quote) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    j++;
  }
  return -1;
}

/** Tokens that carry meaning (no white space or comments). */
export function significantTokens(tokens: readonly Token[]): Token[] {
  return tokens.filter((t) => t.kind !== 'whitespace' && t.kind !== 'comment');
}
