import type { TranslateContext } from './context.ts';
import type { Emitter } from './emit.ts';
import { RESERVED, RESERVED_NON_FUNC } from './keywords.ts';
import { CHARACTER_CAST, LITERAL_COLLATION } from './literal-comparison.ts';
import { isGroup, isIdentLike, isPunct, splitCommas, word, type Group, type Node } from './tree.ts';

/**
 * SQL Server gives every string expression built only from literals, variables and functions the
 * database's collation (CI_AS); PostgreSQL gives it the deterministic default and compares it
 * case-sensitively. Where such an expression is compared, is a simple CASE's operand, is an
 * argument of NULLIF or is a value of a derived table (VALUES rows, select lists), the emitter
 * wraps it as `(expr) COLLATE tsql_ci`. Anything that names a column is left alone: the column
 * brings its own collation. Recognition is conservative: an expression the rules below cannot
 * prove to be a column-free string keeps today's translation.
 */

const COMPARISONS = new Set(['=', '<>', '!=', '<', '>', '<=', '>=', '!<', '!>']);
const ARITHMETIC = new Set(['+', '-', '*', '/', '%', '&', '|', '^']);
const CHARACTER_TYPES = new Set(['char', 'varchar', 'nchar', 'nvarchar', 'text', 'ntext', 'sysname']);
/** Functions whose result is a string whatever their arguments. */
const STRING_FUNCTIONS = new Set(
  `upper lower ltrim rtrim trim replace reverse left right substring concat concat_ws replicate stuff
  translate quotename format char nchar space str datename`.split(/\s+/),
);
/** Functions whose result has their first argument's type. */
const FIRST_ARGUMENT_FUNCTIONS = new Set(['isnull', 'coalesce', 'nullif']);
/** Type names and other words that are not column names where they appear in an expression. */
const TYPE_WORDS = new Set(
  `char varchar nchar nvarchar text ntext sysname int bigint smallint tinyint bit decimal numeric float real money
  smallmoney date datetime datetime2 smalldatetime datetimeoffset time uniqueidentifier binary varbinary max`.split(/\s+/),
);
/** Words after which an operand of a comparison (or a simple CASE's operand) starts. */
const OPERAND_START = new Set(['AND', 'OR', 'NOT', 'WHEN', 'CASE', 'WHERE', 'ON', 'HAVING', 'IF', 'WHILE']);

function isComparison(node: Node | undefined): boolean {
  return node !== undefined && (node.kind === 'operator' || node.kind === 'punctuation') && COMPARISONS.has(node.text);
}

/** Whether a word followed by a group is a call (`UPPER(…)`) rather than syntax (`IN (…)`). */
function isCall(nodes: readonly Node[], j: number): boolean {
  const node = nodes[j];
  return node?.kind === 'word' && isGroup(nodes[j + 1]) && !RESERVED_NON_FUNC.has(word(node));
}

/** End of the scalar expression of terms and arithmetic operators starting at `i`, or undefined when it is not one. */
function operandEnd(nodes: readonly Node[], i: number): number | undefined {
  let j = i;
  for (;;) {
    while (isPunct(nodes[j], '-') || isPunct(nodes[j], '+') || isPunct(nodes[j], '~')) j++;
    const node = nodes[j];
    if (node === undefined) return undefined;
    if (node.kind === 'string' || node.kind === 'number' || node.kind === 'variable' || node.kind === 'binary' || isGroup(node)) j++;
    else if (isCall(nodes, j)) j += 2;
    else if (isIdentLike(node) && !RESERVED.has(word(node))) {
      j++;
      while (isPunct(nodes[j], '.') && isIdentLike(nodes[j + 1])) j += 2;
    } else return undefined;
    // A window, an ordered-set aggregate or a user's COLLATE: not an expression these rules decide.
    if (['OVER', 'WITHIN', 'COLLATE'].includes(word(nodes[j]))) return undefined;
    const op = nodes[j];
    if (op?.kind === 'operator' && ARITHMETIC.has(op.text)) j++;
    else return j;
  }
}

/** Whether the nodes never name a column (nor hold a subquery, whose columns could be anything). */
export function columnFree(nodes: readonly Node[]): boolean {
  return nodes.every((node, j) => {
    if (isGroup(node)) return columnFree(node.items);
    if (!isIdentLike(node)) return true;
    const up = word(node);
    if (up === 'SELECT' || up === 'FROM') return false;
    if (isCall(nodes, j) || RESERVED.has(up) || word(nodes[j - 1]) === 'AS') return true;
    return node.kind === 'word' && TYPE_WORDS.has(up.toLowerCase());
  });
}

/** Whether an expression is certainly of a character type in SQL Server. */
export function stringShaped(ctx: TranslateContext, nodes: readonly Node[]): boolean {
  const terms: Node[][] = [[]];
  for (const node of nodes) {
    if (isPunct(node, '+') && (terms[terms.length - 1] as Node[]).length > 0) terms.push([]);
    else (terms[terms.length - 1] as Node[]).push(node);
  }
  // `a + b` concatenates only when every term is a string (a number among them makes it a sum).
  return terms.every((term) => stringTerm(ctx, term));
}

function stringTerm(ctx: TranslateContext, term: readonly Node[]): boolean {
  const [first, second] = term;
  if (first === undefined) return false;
  if (term.length === 1) {
    if (first.kind === 'string') return true;
    if (isGroup(first)) return first.items.length > 0 && stringShaped(ctx, first.items);
    if (first.kind !== 'variable' || first.text.startsWith('@@')) return false;
    const pgCast = ctx.variables.get(first.text.toLowerCase())?.pgCast ?? '';
    return CHARACTER_CAST.test(pgCast);
  }
  if (term.length !== 2 || !isGroup(second) || first.kind !== 'word') return false;
  const name = first.text.toLowerCase();
  if (STRING_FUNCTIONS.has(name)) return true;
  const args = splitCommas(second.items);
  if (FIRST_ARGUMENT_FUNCTIONS.has(name)) return stringShaped(ctx, args[0] ?? []);
  if (name === 'cast' || name === 'try_cast') {
    const as = second.items.findIndex((n) => word(n) === 'AS');
    return as > 0 && CHARACTER_TYPES.has(word(second.items[as + 1]).toLowerCase());
  }
  if (name === 'convert' || name === 'try_convert') return CHARACTER_TYPES.has(word(args[0]?.[0]).toLowerCase());
  return false;
}

/** A column-free string expression: the kind SQL Server compares under the database's collation. */
function collatable(ctx: TranslateContext, nodes: readonly Node[]): boolean {
  return nodes.length > 0 && columnFree(nodes) && stringShaped(ctx, nodes);
}

/**
 * Where `nodes[i]` starts a column-free string expression that is compared with a column-free
 * side (`UPPER(@v) = 'x'`, `'a' + 'b' IN ('AB')`, `LOWER('A') BETWEEN 'A' AND 'B'`) or is the
 * operand of a simple CASE (`CASE 'a' WHEN 'A' …`): the index just past it, to be emitted as
 * `(expr) COLLATE tsql_ci`. Comparisons whose operands are lone literals or variables are also
 * met by literal-comparison.ts, which this takes precedence over; either gives the same result.
 */
export function collatedOperandEnd(ctx: TranslateContext, nodes: readonly Node[], i: number): number | undefined {
  const prev = nodes[i - 1];
  if (i > 0 && !OPERAND_START.has(word(prev))) return undefined;
  const end = operandEnd(nodes, i);
  if (end === undefined) return undefined;
  const operand = nodes.slice(i, end);
  if (!collatable(ctx, operand)) return undefined;
  const next = nodes[end];
  if (word(prev) === 'CASE') return word(next) === 'WHEN' ? end : undefined;
  if (isComparison(next)) {
    const otherEnd = operandEnd(nodes, end + 1);
    return otherEnd !== undefined && columnFree(nodes.slice(end + 1, otherEnd)) ? end : undefined;
  }
  const at = word(next) === 'NOT' ? end + 1 : end;
  if (word(nodes[at]) === 'IN') return isGroup(nodes[at + 1]) && columnFree((nodes[at + 1] as Group).items) ? end : undefined;
  if (word(nodes[at]) === 'BETWEEN') {
    const low = operandEnd(nodes, at + 1);
    const high = low !== undefined && word(nodes[low]) === 'AND' ? operandEnd(nodes, low + 1) : undefined;
    return high !== undefined && columnFree(nodes.slice(at + 1, high)) ? end : undefined;
  }
  return undefined;
}

/** `(sql) COLLATE tsql_ci`; a lone literal stays unparenthesised so PostgreSQL still types it from its use. */
export function collated(sql: string, lone: boolean): string {
  return lone ? `${sql}${LITERAL_COLLATION}` : `(${sql})${LITERAL_COLLATION}`;
}

/** A derived table's, select list's or NULLIF's value: collated when it is a column-free string expression. */
export function emitValue(e: Emitter, nodes: readonly Node[], depth: number): string {
  const sql = e.nodes(nodes, depth);
  if (e.ctx.insertSource || !collatable(e.ctx, nodes)) return sql;
  return collated(sql, nodes.length === 1 && nodes[0]?.kind === 'string');
}

/** One row of a table value constructor in FROM: `('A', 1)` with its string values collated. */
export function emitValuesRow(e: Emitter, row: Group, depth: number): string {
  if (!row.close || row.items.length === 0) return e.group(row, depth);
  return `(${splitCommas(row.items)
    .map((item) => emitValue(e, item, depth + 1))
    .join(', ')})`;
}
