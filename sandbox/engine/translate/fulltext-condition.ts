import { TsqlError } from '../errors.ts';
import { quoteLiteral } from './context.ts';

/**
 * A full-text search condition compiled to PostgreSQL: `match` is a tsquery expression (SQL text,
 * every user string inside a quoted literal), `terms` the positive leaf terms with their weights
 * for ranking, `negated` whether the condition has AND NOT (a row's subset of columns can then
 * match where the whole document does not, so no prefilter on the whole-document index).
 */
export interface CompiledCondition {
  match: string;
  terms: { sql: string; weight: number }[];
  negated: boolean;
}

interface Tok {
  kind: 'word' | 'phrase' | 'op' | '(' | ')' | ',';
  text: string;
}

/** Error 7630, as SQL Server words it. */
function fail(near: string, condition: string): TsqlError {
  return new TsqlError(7630, `Syntax error near '${near}' in the full-text search condition '${condition}'.`, { severity: 15, state: 2 });
}

/** Error 7645: a NULL or blank search condition. */
export function emptyPredicate(): TsqlError {
  return new TsqlError(7645, 'Null or empty full-text predicate.', { severity: 15, state: 2 });
}

function lex(text: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) throw fail(text.slice(i), text);
      out.push({ kind: 'phrase', text: text.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      out.push({ kind: c, text: c });
      i++;
      continue;
    }
    if (c === '&' && text[i + 1] === '!') {
      out.push({ kind: 'op', text: '&!' });
      i += 2;
      continue;
    }
    if (c === '&' || c === '|' || c === '~' || c === '!') {
      out.push({ kind: 'op', text: c });
      i++;
      continue;
    }
    let j = i;
    while (j < text.length && !/[\s"(),&|~!]/.test(text[j] as string)) j++;
    out.push({ kind: 'word', text: text.slice(i, j) });
    i = j;
  }
  return out;
}

/** The words of a term as PostgreSQL's parser would see them (letters and digits). */
function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

type Leaf = { sql: string; weight: number };

/** One simple term (a word or a "phrase", `*` at the end of a quoted one making it a prefix term). */
function term(text: string, quoted: boolean): string {
  const prefix = quoted && text.trimEnd().endsWith('*');
  if (!prefix) return `phraseto_tsquery('english', ${quoteLiteral(text)})`;
  const ws = words(text);
  if (ws.length === 0) return `''::tsquery`;
  return `to_tsquery('english', ${quoteLiteral(ws.map((w) => `${w}:*`).join(' <-> '))})`;
}

/**
 * Joins operands with a tsquery operator as a balanced tree: a long OR list stays shallow, since
 * PostgreSQL evaluates nested operators recursively and a deep chain overflows PGlite's stack.
 */
function balanced(items: readonly string[], op: '&&' | '||'): string {
  if (items.length === 1) return items[0] as string;
  const mid = items.length >> 1;
  return `(${balanced(items.slice(0, mid), op)} ${op} ${balanced(items.slice(mid), op)})`;
}

/** Parenthesis nesting allowed in a search condition (the parser recurses). */
const MAX_DEPTH = 32;

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'NEAR', 'FORMSOF', 'ISABOUT', 'WEIGHT']);

/**
 * Compiles a CONTAINS/CONTAINSTABLE search condition: simple terms, "phrases", "prefix*" terms,
 * AND/&, OR/|, AND NOT/&!, NEAR/~ and NEAR((a, b), n) (approximated as AND; ranking prefers
 * closer matches), FORMSOF(INFLECTIONAL|THESAURUS, …) (both as English stemming),
 * ISABOUT(term [WEIGHT(w)], …) (OR, weights used in ranking), parentheses.
 */
export function compileContains(condition: string): CompiledCondition {
  if (condition.trim() === '') throw emptyPredicate();
  const toks = lex(condition);
  let pos = 0;
  const leaves: Leaf[] = [];
  let negated = false;
  let depth = 0;
  const peek = (): Tok | undefined => toks[pos];
  const lastText = (): string => toks[toks.length - 1]?.text ?? condition;
  const kw = (t: Tok | undefined): string => (t?.kind === 'word' ? t.text.toUpperCase() : t?.kind === 'op' ? t.text : '');
  const expect = (kind: Tok['kind']): void => {
    const t = toks[pos];
    if (t?.kind !== kind) throw fail(t?.text ?? lastText(), condition);
    pos++;
  };
  const simple = (collect: boolean, weight = 1): string => {
    const t = toks[pos];
    if (!t || (t.kind !== 'word' && t.kind !== 'phrase') || (t.kind === 'word' && KEYWORDS.has(t.text.toUpperCase())))
      throw fail(t?.text ?? lastText(), condition);
    pos++;
    const sql = term(t.text, t.kind === 'phrase');
    if (collect) leaves.push({ sql, weight });
    return sql;
  };
  const primary = (collect: boolean, weight = 1): string => {
    const t = peek();
    const up = kw(t);
    if (t?.kind === '(') {
      if (++depth > MAX_DEPTH) throw fail('(', condition);
      pos++;
      const inner = or(collect);
      expect(')');
      depth--;
      return inner;
    }
    if (up === 'FORMSOF') {
      pos++;
      expect('(');
      const how = kw(peek());
      if (how !== 'INFLECTIONAL' && how !== 'THESAURUS') throw fail(peek()?.text ?? lastText(), condition);
      pos++;
      const forms: string[] = [];
      while (peek()?.kind === ',') {
        pos++;
        const w = peek();
        if (!w || (w.kind !== 'word' && w.kind !== 'phrase')) throw fail(w?.text ?? lastText(), condition);
        pos++;
        const sql = `plainto_tsquery('english', ${quoteLiteral(w.text)})`;
        if (collect) leaves.push({ sql, weight });
        forms.push(sql);
      }
      if (forms.length === 0) throw fail(peek()?.text ?? lastText(), condition);
      expect(')');
      return balanced(forms, '||');
    }
    if (up === 'ISABOUT') {
      pos++;
      expect('(');
      const items: string[] = [];
      for (;;) {
        const item = near(false);
        let w = 1;
        if (kw(peek()) === 'WEIGHT') {
          pos++;
          expect('(');
          w = Number(peek()?.text);
          if (!(w >= 0 && w <= 1)) throw fail(peek()?.text ?? lastText(), condition);
          pos++;
          expect(')');
        }
        if (collect) leaves.push({ sql: item, weight: w });
        items.push(item);
        if (peek()?.kind !== ',') break;
        pos++;
      }
      expect(')');
      return balanced(items, '||');
    }
    if (up === 'NEAR' && toks[pos + 1]?.kind === '(') {
      // Custom proximity: NEAR((a, b, …) [, distance [, order]]) — all terms present.
      pos += 2;
      expect('(');
      const parts = [simple(collect, weight)];
      while (peek()?.kind === ',') {
        pos++;
        parts.push(simple(collect, weight));
      }
      expect(')');
      while (peek()?.kind === ',') {
        pos++;
        if (peek()?.kind !== 'word') throw fail(peek()?.text ?? lastText(), condition);
        pos++;
      }
      expect(')');
      return balanced(parts, '&&');
    }
    return simple(collect, weight);
  };
  const near = (collect: boolean): string => {
    const parts = [primary(collect)];
    while (kw(peek()) === 'NEAR' || kw(peek()) === '~') {
      pos++;
      parts.push(primary(collect));
    }
    return balanced(parts, '&&');
  };
  // a AND b AND NOT c … is one conjunction (`!!c` for the negated parts), a OR b … one disjunction.
  const and = (collect: boolean): string => {
    const parts = [near(collect)];
    for (;;) {
      const op = kw(peek());
      if (op === '&!' || ((op === 'AND' || op === '&') && kw(toks[pos + 1]) === 'NOT')) {
        pos += op === '&!' ? 1 : 2;
        negated = true;
        parts.push(`!!${near(false)}`);
      } else if (op === 'AND' || op === '&') {
        pos++;
        parts.push(near(collect));
      } else return balanced(parts, '&&');
    }
  };
  const or = (collect: boolean): string => {
    const parts = [and(collect)];
    while (kw(peek()) === 'OR' || kw(peek()) === '|') {
      pos++;
      if (kw(peek()) === 'NOT' || kw(peek()) === '!') throw fail(peek()?.text ?? lastText(), condition);
      parts.push(and(collect));
    }
    return balanced(parts, '||');
  };
  const match = or(true);
  if (pos < toks.length) throw fail((toks[pos] as Tok).text, condition);
  return { match, terms: leaves, negated };
}

/**
 * Compiles a FREETEXT/FREETEXTTABLE string: its words stemmed and OR-ed (English stop words
 * dropped); a string wholly in double quotes is a phrase match instead, as SQL Server does.
 */
export function compileFreetext(text: string): CompiledCondition {
  if (text.trim() === '') throw emptyPredicate();
  const trimmed = text.trim();
  if (trimmed.length > 1 && trimmed.startsWith('"') && trimmed.endsWith('"')) {
    const sql = `phraseto_tsquery('english', ${quoteLiteral(trimmed.slice(1, -1))})`;
    return { match: sql, terms: [{ sql, weight: 1 }], negated: false };
  }
  const unique = [...new Set(words(text))].slice(0, 64);
  const terms = unique.map((w) => ({ sql: `plainto_tsquery('english', ${quoteLiteral(w)})`, weight: 1 }));
  return {
    match:
      terms.length === 0
        ? `''::tsquery`
        : balanced(
            terms.map((t) => t.sql),
            '||',
          ),
    terms,
    negated: false,
  };
}
