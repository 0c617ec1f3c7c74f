import { isSuspiciousSpace, type Token } from './tsql-lexer.ts';
import { compatibilityKeyword, deniedObjectReason, deniedWordReason, keywordOf } from './word-rules.ts';
import { excerpt, REWRITE_HINT, where, type Refusal } from './refusal.ts';

const ASCII_ONLY = /^[\x00-\x7f]*$/;

/**
 * First pass over the T-SQL tokens: everything that is refused wherever it appears, whatever the
 * grammar around it. Fails closed on anything SQL Server's lexer and ours might read differently:
 * `error` tokens (backticks, backslashes, `$`, unterminated strings/identifiers/comments),
 * suspicious Unicode spaces outside string literals, MySQL `/*!` comments, bare `@variables`
 * (assignment), more than one statement, denied keywords and denied objects.
 *
 * `all` is every token of `text`; `sig` the significant ones, `kws` their folded keywords.
 */
export function scanTokens(text: string, all: readonly Token[], sig: readonly Token[], kws: readonly string[]): Refusal | undefined {
  for (const t of all) {
    if (t.kind === 'error') return lexicalError(text, t);
    if (t.kind !== 'string' && !ASCII_ONLY.test(t.text)) {
      for (const ch of t.text) {
        if (isSuspiciousSpace(ch)) {
          return {
            code: 'READ_ONLY_VIOLATION',
            reason: `The query contains an invisible or unusual space character (U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}) ${where(text, t.start)}; SQL Server may read it differently.`,
            hint: 'Use ordinary spaces and line breaks outside string literals.',
            offset: t.start,
          };
        }
      }
    }
    if ((t.kind === 'string' || t.kind === 'quoted_identifier') && closesEarlierWithEscapes(t)) {
      return {
        code: 'READ_ONLY_VIOLATION',
        reason: `The literal ${where(text, t.start)} contains a backslash before a doubled quote, which other SQL dialects read as an escape that ends it early.`,
        hint: 'T-SQL has no backslash escapes: remove the backslash or write the text differently.',
        offset: t.start,
      };
    }
    if (t.kind === 'comment' && (t.text.startsWith('/*!') || t.text.toUpperCase().startsWith('/*M!'))) {
      return {
        code: 'READ_ONLY_VIOLATION',
        reason: `MySQL-style executable comments (/*! … */, /*M! … */) are not allowed (${where(text, t.start)}).`,
        hint: 'Remove the comment.',
        offset: t.start,
      };
    }
  }
  for (let i = 0; i < sig.length; i++) {
    const t = sig[i] as Token;
    const kw = kws[i] ?? '';
    const odd = identifierRefusal(text, t);
    if (odd) return odd;
    if (t.kind === 'word') {
      const contextual = contextualWordReason(kw, kws, i);
      const reason = contextual === undefined ? deniedWordReason(kw) : (contextual ?? undefined);
      if (reason !== undefined) {
        return {
          code: 'READ_ONLY_VIOLATION',
          reason: `Only a single read-only SELECT statement can run: found ${excerpt(t.text)} ${where(text, t.start)} (${reason}).`,
          hint: `${REWRITE_HINT} A column or table whose name is a keyword goes in brackets: [${t.text}].`,
          offset: t.start,
        };
      }
    } else if (t.kind === 'variable' && !t.text.startsWith('@@')) {
      return {
        code: 'READ_ONLY_VIOLATION',
        reason: `Variables are not allowed: found ${excerpt(t.text)} ${where(text, t.start)}; a SELECT cannot assign or declare variables here.`,
        hint: 'Write the value into the query as a literal.',
        offset: t.start,
      };
    } else if (t.kind === 'punctuation' && t.text === ';' && i !== sig.length - 1) {
      const next = sig[i + 1] as Token;
      return {
        code: 'READ_ONLY_VIOLATION',
        reason: `Only a single SELECT statement can run: found ${excerpt(next.text)} after the semicolon ${where(text, next.start)}.`,
        hint: 'Send one SELECT query per call, without a second statement.',
        offset: next.start,
      };
    }
  }
  return scanObjectNames(text, sig);
}

/**
 * Characters an identifier must not contain: controls (NUL included), format characters
 * (zero-width joiners, bidi marks, soft hyphen), private-use and unassigned code points, lone
 * surrogates, noncharacters, and any space but U+0020. Under SQL Server's collations many of them
 * have no sort weight, so `[h<U+0001>r]` names `hr` to the server while the guard would see a
 * different name.
 */
export const ODD_IDENTIFIER_CHARACTER =
  /[\p{Cc}\p{Cf}\p{Cn}\p{Co}\p{Cs}\p{Zl}\p{Zp}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\ufffc-\uffff]/u;

function identifierRefusal(text: string, t: Token): Refusal | undefined {
  if (t.kind === 'word') {
    const look = compatibilityKeyword(t.text);
    if (look === undefined) return undefined;
    return {
      code: 'READ_ONLY_VIOLATION',
      reason: `The word ${excerpt(t.text)} ${where(text, t.start)} is ${look} spelled with compatibility (for example fullwidth) letters; SQL Server reads it as a name, not the keyword, so the query would not run as written.`,
      hint: `Write T-SQL keywords in ASCII letters; a column or alias with this name goes in brackets: [${t.text}].`,
      offset: t.start,
    };
  }
  if (t.kind !== 'bracket_identifier' && t.kind !== 'quoted_identifier') return undefined;
  const m = ODD_IDENTIFIER_CHARACTER.exec(t.value);
  if (!m) return undefined;
  const code = (m[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  return {
    code: 'READ_ONLY_VIOLATION',
    reason: `The name ${where(text, t.start)} contains the character U+${code} (a control, invisible, unassigned or private-use character); SQL Server may ignore it when it resolves the name.`,
    hint: 'Write names exactly as the catalog spells them (use "list tables").',
    offset: t.start,
  };
}

function lexicalError(text: string, t: Token): Refusal {
  const first = t.text[0] ?? '';
  const what =
    first === "'" || first === 'N' || first === 'n'
      ? 'an unterminated string literal'
      : first === '['
        ? 'an unterminated [identifier]'
        : first === '"'
          ? 'an unterminated "identifier"'
          : t.text.startsWith('/*')
            ? 'an unterminated /* comment'
            : first === '`'
              ? 'a backtick (T-SQL quotes identifiers with [ ] or " ")'
              : first === '\\'
                ? 'a backslash outside a string literal'
                : isSuspiciousSpace(first)
                  ? `an unusual space character (U+${(first.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')})`
                  : `the character ${JSON.stringify(t.text.slice(0, 2))}, which is not T-SQL`;
  return {
    code: isSuspiciousSpace(first) ? 'READ_ONLY_VIOLATION' : 'SQL_PARSE_ERROR',
    reason: `The query could not be read: ${what} ${where(text, t.start)}.`,
    hint: 'Write standard T-SQL: strings in single quotes (double a quote inside), identifiers in [brackets].',
    offset: t.start,
  };
}

/**
 * Whether a lexer with backslash escapes (MySQL, node-sql-parser) would end this quoted token
 * before SQL Server does, so that what SQL Server reads as text inside it is code to that lexer
 * (`'a\'' ; DROP …'`). The reverse (the escape lexer running on past SQL Server's end) leaves
 * SQL Server reading code that the rest of this scan checks.
 */
function closesEarlierWithEscapes(t: Token): boolean {
  const body = t.text.startsWith('N') || t.text.startsWith('n') ? t.text.slice(1) : t.text;
  const quote = body[0];
  if (!body.includes('\\')) return false;
  let i = 1;
  while (i < body.length - 1) {
    const ch = body[i];
    if (ch === '\\') i += 2;
    else if (ch === quote) {
      if (body[i + 1] !== quote) return true;
      i += 2;
    } else i++;
  }
  return false;
}

/**
 * Words that are fine in one place of a SELECT and a different statement elsewhere: a reason to
 * refuse, `null` when allowed here, `undefined` when the context does not matter.
 */
function contextualWordReason(kw: string, kws: readonly string[], i: number): string | null | undefined {
  if (kw === 'MERGE') {
    const next = kws[i + 1];
    return next === 'JOIN' || next === 'UNION' ? null : 'MERGE writes rows';
  }
  if (kw === 'FETCH') {
    const prev = kws[i - 1];
    return prev === 'ROWS' || prev === 'ROW' ? null : 'FETCH reads a cursor; use OFFSET … FETCH NEXT … ROWS ONLY';
  }
  if (kw === 'NEXT' && kws[i + 1] === 'VALUE' && kws[i + 2] === 'FOR') return 'NEXT VALUE FOR advances a sequence';
  if (kw === 'PLAN') {
    const prev = kws[i - 1];
    return prev === 'KEEP' || prev === 'KEEPFIXED' || prev === 'ROBUST' ? null : undefined;
  }
  return undefined;
}

/**
 * Every dotted name anywhere in the query (tables, functions, columns) is checked against the
 * objects that are never readable; a name in any position is enough to refuse, which is
 * conservative but cannot miss a table hidden in an unusual construct.
 */
function scanObjectNames(text: string, sig: readonly Token[]): Refusal | undefined {
  let i = 0;
  while (i < sig.length) {
    const start = i;
    const parts: string[] = [];
    let expectPart = true;
    while (i < sig.length) {
      const t = sig[i] as Token;
      if (isDot(t)) {
        if (expectPart) parts.push('');
        expectPart = true;
      } else if (expectPart && isIdentifierToken(t)) {
        parts.push(t.value);
        expectPart = false;
      } else break;
      i++;
    }
    if (i === start) {
      i++;
      continue;
    }
    const reason = deniedObjectReason(parts);
    if (reason !== undefined) {
      const t = sig[start] as Token;
      return {
        code: 'READ_ONLY_VIOLATION',
        reason: `This object cannot be read: ${excerpt(parts.join('.'))} ${where(text, t.start)} (${reason}).`,
        hint: 'Query the tables of the database instead; server-level and session information is not available.',
        offset: t.start,
      };
    }
  }
  return undefined;
}

/** Words, [bracketed] and "quoted" identifiers: the tokens a name is made of. */
export const isIdentifierToken = (t: Token): boolean =>
  t.kind === 'word' || t.kind === 'bracket_identifier' || t.kind === 'quoted_identifier';

const isDot = (t: Token | undefined): boolean => t !== undefined && t.kind === 'punctuation' && t.text === '.';

/** Folded keyword of every significant token ('' for non-words). */
export function keywordsOf(sig: readonly Token[]): string[] {
  return sig.map((t) => (t.kind === 'word' ? keywordOf(t.value) : ''));
}
