import type { Token } from './lexer.ts';
import type { SqlType } from '../../backend.ts';
import { syntaxError, TsqlError } from '../errors.ts';
import { docType, quoteIdent, type ForClause } from './context.ts';
import { readChain, type Emitter } from './emit.ts';
import { emitValue } from './expression-collation.ts';
import { RESERVED } from './keywords.ts';
import { castTarget } from './types.ts';
import { findWord, isGroup, isIdentLike, isPunct, splitCommas, word, type Node } from './tree.ts';

const CLAUSES = ['INTO', 'FROM', 'WHERE', 'GROUP', 'HAVING', 'ORDER', 'OPTION', 'FOR', 'WINDOW'];

/**
 * Emits one SELECT (up to a set operator): TOP becomes LIMIT / FETCH … WITH TIES / a percentage,
 * `alias = expr` becomes `expr AS alias`, `FOR JSON|XML` is recorded for the executor, and the
 * main SELECT's output column names are recorded as SQL Server would name them.
 */
export function emitSelect(e: Emitter, seg: readonly Node[], depth: number): { sql: string; limited: boolean } {
  const ctx = e.ctx;
  let i = 1;
  let quantifier = '';
  if (word(seg[i]) === 'ALL' || word(seg[i]) === 'DISTINCT') quantifier = word(seg[i++]);
  let top: { count: string; percent: boolean; ties: boolean } | undefined;
  if (word(seg[i]) === 'TOP') {
    const arg = seg[i + 1];
    if (arg === undefined) throw syntaxError('TOP');
    const count = isGroup(arg) ? e.group(arg, depth) : arg.kind === 'number' || arg.kind === 'variable' ? e.nodes([arg], depth) : undefined;
    if (count === undefined) throw syntaxError(arg.kind === 'group' ? '(' : arg.text);
    i += 2;
    const percent = word(seg[i]) === 'PERCENT';
    if (percent) i++;
    const ties = word(seg[i]) === 'WITH' && word(seg[i + 1]) === 'TIES';
    if (ties) i += 2;
    top = { count, percent, ties };
  }
  let listEnd = i;
  while (listEnd < seg.length && !(CLAUSES.includes(word(seg[listEnd])) && word(seg[listEnd - 1]) !== 'WITHIN')) listEnd++;
  const main = depth === 0 && ctx.outputNames === undefined && ctx.assignTargets === undefined;
  const items = splitCommas(seg.slice(i, listEnd));
  if (items.length === 1 && (items[0] as Node[]).length === 0) throw syntaxError(word(seg[listEnd]) || 'SELECT');
  const names: string[] = [];
  const types: (SqlType | undefined)[] = [];
  const targets: string[] = [];
  let star = false;
  const list = items.map((item) => {
    const r = selectItem(e, item, depth);
    if (r.star) star = true;
    names.push(r.name);
    types.push(r.type);
    if (r.target) targets.push(r.target);
    return r.sql;
  });
  if (main) {
    ctx.outputNames = star ? undefined : names;
    ctx.outputTypes = star ? undefined : types;
    if (targets.length > 0) {
      if (targets.length !== items.length)
        throw new TsqlError(
          141,
          'A SELECT statement that assigns a value to a variable must not be combined with data-retrieval operations.',
          { severity: 15 },
        );
      ctx.assignTargets = targets;
    }
  }
  let restNodes = seg.slice(listEnd);
  let into = '';
  if (word(restNodes[0]) === 'INTO' && isIdentLike(restNodes[1])) {
    if (main) ctx.selectInto = true;
    const target = readChain(restNodes, 1);
    const parts = target.parts.map((p) => p.value);
    const last = parts[parts.length - 1] ?? '';
    into = last.startsWith('#')
      ? ` INTO TEMP ${e.nodes(restNodes.slice(1, target.end), depth)}`
      : parts.length === 1
        ? ` INTO ${quoteIdent('dbo')}.${quoteIdent(last)}`
        : ` INTO ${e.nodes(restNodes.slice(1, target.end), depth)}`;
    restNodes = restNodes.slice(target.end);
  }
  const forAt = findWord(restNodes, ['FOR']);
  let nested: ForClause | undefined;
  if (forAt >= 0 && ['JSON', 'XML', 'BROWSE'].includes(word(restNodes[forAt + 1]))) {
    const clause = readFor(restNodes.slice(forAt + 1));
    restNodes = restNodes.slice(0, forAt);
    if (main || depth === 0)
      ctx.forClause = clause; // depth 0 but not main: the last SELECT of a top-level UNION
    else if (isConcat(clause, list)) return { sql: concatSubquery(e, list, restNodes, depth), limited: false };
    else nested = clause;
  }
  const head = ['SELECT', quantifier, list.join(', ')].filter(Boolean).join(' ') + into;
  const rest = e.nodes(restNodes, depth);
  const body = rest ? `${head} ${rest}` : head;
  const limited = limitTop(body, top);
  if (!nested) return limited;
  // A FOR JSON/XML subquery as a value: the executor runs it first and puts its document here.
  const subqueries = (ctx.forSubqueries ??= []);
  const placeholder = `NULL::${docType(nested)} /*tsql_for_${subqueries.length}*/`;
  subqueries.push({ placeholder, sql: limited.sql, clause: nested, names: star ? undefined : names });
  return { sql: `SELECT ${placeholder}`, limited: false };
}

/** TOP as LIMIT / FETCH … WITH TIES / a percentage of the rows. */
function limitTop(body: string, top: { count: string; percent: boolean; ties: boolean } | undefined): { sql: string; limited: boolean } {
  if (!top) return { sql: body, limited: false };
  if (top.ties) return { sql: `${body} FETCH FIRST (${top.count}) ROWS WITH TIES`, limited: true };
  if (top.percent) {
    return {
      sql: `SELECT * FROM (${body}) AS tsql_top LIMIT (SELECT ceil(count(*) * (${top.count}) / 100.0) FROM (${body}) AS tsql_count)`,
      limited: true,
    };
  }
  return { sql: `${body} LIMIT (${top.count})`, limited: true };
}

interface SelectItem {
  sql: string;
  name: string;
  star: boolean;
  target?: string;
  /** SQL Server type when the expression is a top-level CAST/CONVERT. */
  type?: SqlType | undefined;
}

function selectItem(e: Emitter, item: Node[], depth: number): SelectItem {
  const first = item[0];
  if (first === undefined) throw syntaxError(',');
  // @v = expr (assignment SELECT)
  if (first.kind === 'variable' && isPunct(item[1], '=')) {
    return {
      sql: `${e.nodes(item.slice(2), depth)} AS ${quoteIdent(first.text)}`,
      name: '',
      star: false,
      target: first.text.toLowerCase(),
    };
  }
  // alias = expr
  const f = first as Token;
  if (
    (f.kind === 'string' || isIdentLike(f)) &&
    isPunct(item[1], '=') &&
    item.length > 2 &&
    !(f.kind === 'word' && RESERVED.has(f.text.toUpperCase()))
  ) {
    return {
      sql: `${emitValue(e, item.slice(2), depth)} AS ${quoteIdent(f.value)}`,
      name: f.value,
      star: false,
      type: castTarget(item.slice(2)),
    };
  }
  const last = item[item.length - 1] as Token;
  const beforeLast = item[item.length - 2];
  if (item.length >= 2 && (last.kind === 'string' || isIdentLike(last)) && isAliasable(last, beforeLast)) {
    const exprNodes = item.slice(0, word(beforeLast) === 'AS' ? -2 : -1);
    if (exprNodes.length > 0) {
      e.ctx.spellings.set(last.value.toLowerCase(), last.value);
      return {
        sql: `${emitValue(e, exprNodes, depth)} AS ${quoteIdent(last.value)}`,
        name: last.value,
        star: false,
        type: castTarget(exprNodes),
      };
    }
  }
  const sql = emitValue(e, item, depth);
  if (isPunct(last, '*')) return { sql, name: '', star: true };
  // A plain column reference keeps its spelling.
  const plain = item.every((n, idx) => (idx % 2 === 0 ? isIdentLike(n) : isPunct(n, '.')));
  if (plain && isIdentLike(last)) return { sql, name: last.value, star: false };
  return { sql, name: '', star: false, type: castTarget(item) };
}

function readFor(nodes: readonly Node[]): ForClause {
  const kind = word(nodes[0]);
  if (kind === 'BROWSE') throw new TsqlError(40003, 'FOR BROWSE is not supported by the sandbox.');
  const mode = word(nodes[1]);
  const result: ForClause = { kind: kind === 'JSON' ? 'json' : 'xml', mode };
  let j = 2;
  const arg = (n: Node | undefined): string | undefined => (isGroup(n) && n.items[0]?.kind === 'string' ? n.items[0].value : undefined);
  if (isGroup(nodes[j])) result.element = arg(nodes[j++]);
  while (j < nodes.length) {
    const w = word(nodes[j]);
    if (w === 'ROOT') {
      result.root = arg(nodes[j + 1]) ?? 'root';
      j += isGroup(nodes[j + 1]) ? 2 : 1;
    } else if (w === 'WITHOUT_ARRAY_WRAPPER') {
      result.withoutArrayWrapper = true;
      j++;
    } else if (w === 'INCLUDE_NULL_VALUES') {
      result.includeNullValues = true;
      j++;
    } else if (w === 'TYPE') {
      result.type = true;
      j++;
    } else j++;
  }
  return result;
}

/** Whether `last` is a column alias given the node before it (`AS`, or an expression's end). */
function isAliasable(last: Node, before: Node | undefined): boolean {
  if (before === undefined) return false;
  if (word(before) === 'AS') return true;
  if (last.kind === 'word' && RESERVED.has(last.text.toUpperCase())) return false;
  if (before.kind === 'operator' || before.kind === 'punctuation') return false;
  if (before.kind === 'word' && RESERVED.has(before.text.toUpperCase())) return ['END', 'NULL'].includes(word(before));
  return true;
}

/** Output names of select-list items without emitting them ('*' for stars, '' for unnamed expressions). */
export function itemNames(items: readonly Node[][]): string[] {
  return items.map((item) => {
    const first = item[0] as Token | undefined;
    const last = item[item.length - 1] as Token | undefined;
    if (!first || !last) return '';
    if ((first.kind === 'string' || isIdentLike(first)) && isPunct(item[1], '=') && item.length > 2) return first.value;
    if (isPunct(last, '*')) return '*';
    if (item.length >= 2 && (last.kind === 'string' || isIdentLike(last)) && isAliasable(last, item[item.length - 2])) return last.value;
    const plain = item.every((n, idx) => (idx % 2 === 0 ? isIdentLike(n) : isPunct(n, '.')));
    return plain && isIdentLike(last) ? last.value : '';
  });
}

/** Whether a FOR clause is the string-concatenation idiom: `FOR XML PATH('')` over one column. */
function isConcat(clause: ForClause, list: readonly string[]): boolean {
  return clause.kind === 'xml' && clause.mode === 'PATH' && clause.element === '' && list.length === 1;
}

/**
 * The string-concatenation idiom `(SELECT ',' + x FROM … FOR XML PATH(''))` inside a larger query:
 * one unnamed column, concatenated in the subquery's ORDER BY order.
 */
function concatSubquery(e: Emitter, list: readonly string[], rest: readonly Node[], depth: number): string {
  const item = (list[0] as string).replace(/ AS "[^"]*"$/, '');
  const orderAt = findWord(rest, ['ORDER']);
  const body = orderAt >= 0 ? rest.slice(0, orderAt) : rest;
  const order = orderAt >= 0 ? ` ${e.nodes(rest.slice(orderAt), depth)}` : '';
  return `SELECT COALESCE(string_agg((${item})::text, ''${order}), '') ${e.nodes(body, depth)}`;
}
