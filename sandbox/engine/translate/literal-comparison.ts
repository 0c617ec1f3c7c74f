import type { TranslateContext } from './context.ts';
import { isGroup, isPunct, type Node, word } from './tree.ts';
import { CI } from './types.ts';

const COMPARISONS = new Set(['=', '<>', '!=', '<', '>', '<=', '>=', '!<', '!>']);
/** The PostgreSQL type of a character variable, as the translator casts it. */
export const CHARACTER_CAST = /^(?:varchar|char|bpchar|text|character|nvarchar|nchar)\b/i;

/**
 * A string literal, N'…' literal or character variable: in SQL Server these carry the database's
 * collation (coercible-default), so comparing two of them is case-insensitive under CI_AS. In
 * PostgreSQL they have the deterministic default collation and compare case-sensitively.
 */
function plainOperand(ctx: TranslateContext, node: Node | undefined): boolean {
  if (node?.kind === 'string') return true;
  if (node?.kind !== 'variable' || node.text.startsWith('@@')) return false;
  const v = ctx.variables.get(node.text.toLowerCase());
  return v !== undefined && CHARACTER_CAST.test(v.pgCast);
}

/** An operand that ends where it starts: not part of a concatenation, no COLLATE clause of its own. */
function alone(ctx: TranslateContext, nodes: readonly Node[], i: number): boolean {
  return plainOperand(ctx, nodes[i]) && !isPunct(nodes[i + 1], '+') && word(nodes[i + 1]) !== 'COLLATE' && !isPunct(nodes[i - 1], '+');
}

/**
 * Whether the literal or variable at `i` is the left side of a comparison whose every other side
 * is a literal or variable too (`'abc' = 'ABC'`, `'a' < 'B'`, `@v IN ('X', 'Y')`,
 * `'b' BETWEEN 'A' AND 'C'`): the emitter then gives it the case-insensitive collation, so the
 * comparison follows SQL Server's CI_AS like comparisons with columns already do. A column on
 * either side brings its own collation and is left alone; LIKE is case-insensitive already.
 */
export function collatesAsLiteralComparison(ctx: TranslateContext, nodes: readonly Node[], i: number): boolean {
  if (!alone(ctx, nodes, i) || isPunct(nodes[i - 1], '+')) return false;
  const next = nodes[i + 1];
  if (next?.kind === 'operator' && COMPARISONS.has(next.text)) return alone(ctx, nodes, i + 2);
  const at = word(next) === 'NOT' ? i + 2 : i + 1;
  const keyword = word(nodes[at]);
  if (keyword === 'IN') {
    const list = nodes[at + 1];
    return (
      isGroup(list) &&
      list.items.length > 0 &&
      list.items.every((item, k) => (k % 2 === 0 ? plainOperand(ctx, item) : isPunct(item, ','))) &&
      word(nodes[at + 2]) !== 'COLLATE'
    );
  }
  if (keyword === 'BETWEEN') return alone(ctx, nodes, at + 1) && word(nodes[at + 2]) === 'AND' && alone(ctx, nodes, at + 3);
  return false;
}

/** The COLLATE clause the emitter appends to such an operand. */
export const LITERAL_COLLATION = ` COLLATE ${CI}`;
