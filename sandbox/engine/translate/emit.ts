import { collatesAsLiteralComparison, LITERAL_COLLATION } from './literal-comparison.ts';
import { collated, collatedOperandEnd, emitValuesRow } from './expression-collation.ts';
import type { Token } from './lexer.ts';
import { syntaxError, TsqlError, undeclaredVariable } from '../errors.ts';
import { quoteIdent, quoteLiteral, userName, type TranslateContext } from './context.ts';
import { emitFunction } from './functions.ts';
import { RESERVED, RESERVED_NON_FUNC, TABLE_HINTS } from './keywords.ts';
import { like, orderBy } from './predicates.ts';
import { emitSelect } from './select.ts';
import { pivotAt } from './pivot.ts';
import { globalVariable } from './globals.ts';
import { isGroup, isIdentLike, isPunct, word, type Group, type Node } from './tree.ts';

/** Turns nodes into PostgreSQL text; one per statement translation. */
export interface Emitter {
  readonly ctx: TranslateContext;
  /** Emits a node list; `depth` 0 is the statement's top level. */
  nodes(nodes: readonly Node[], depth: number): string;
  group(group: Group, depth: number): string;
}

const KNOWN_DBS = ['master', 'tempdb', 'msdb', 'model'];

export function createEmitter(ctx: TranslateContext): Emitter {
  const emitter: Emitter = {
    ctx,
    nodes: (nodes, depth) => emitNodes(emitter, nodes, depth),
    group: (group, depth) => {
      if (!group.close) throw syntaxError(group.items.length > 0 ? lastText(group.items) : '(');
      return `(${emitNodes(emitter, group.items, depth + 1)})`;
    },
  };
  return emitter;
}

function lastText(nodes: readonly Node[]): string {
  const last = nodes[nodes.length - 1];
  if (last === undefined) return '';
  return last.kind === 'group' ? lastText(last.items) || '(' : last.text;
}

function emitNodes(e: Emitter, nodes: readonly Node[], depth: number): string {
  const out: string[] = [];
  let i = 0;
  while (i < nodes.length) {
    const node = nodes[i] as Node;
    const next = nodes[i + 1];
    const up = word(node);
    const collatedEnd = collatedOperandEnd(e.ctx, nodes, i);
    if (collatedEnd !== undefined) {
      out.push(collated(emitNodes(e, nodes.slice(i, collatedEnd), depth), collatedEnd === i + 1 && node.kind === 'string'));
      i = collatedEnd;
      continue;
    }
    if (up === 'SELECT') {
      let end = i + 1;
      while (end < nodes.length && !['UNION', 'EXCEPT', 'INTERSECT'].includes(word(nodes[end]))) end++;
      const prevSetOp = i > 0 && ['UNION', 'EXCEPT', 'INTERSECT', 'ALL'].includes(word(nodes[i - 1]));
      const sel = emitSelect(e, nodes.slice(i, end), depth);
      // A set operation's column types come from every branch: no single CAST decides them.
      if (depth === 0 && (prevSetOp || end < nodes.length)) e.ctx.outputTypes = undefined;
      const wrap = sel.limited && (prevSetOp || end < nodes.length);
      out.push(wrap ? `(${sel.sql})` : sel.sql);
      i = end;
      continue;
    }
    if (node.kind === 'group') {
      const pivot = pivotAt(e, nodes, i, depth);
      if (pivot) {
        out.push(pivot.sql);
        i = pivot.end;
        continue;
      }
      // Bare table hints: `FROM t (NOLOCK)`.
      if (i > 0 && isIdentLike(nodes[i - 1]) && !RESERVED.has(word(nodes[i - 1])) && isHintList(node)) {
        i++;
        continue;
      }
      // A table value constructor in FROM: its string values carry the database's collation.
      const valuesRow = depth > 0 && word(nodes[0]) === 'VALUES' && (word(nodes[i - 1]) === 'VALUES' || isPunct(nodes[i - 1], ','));
      out.push(valuesRow ? emitValuesRow(e, node, depth) : e.group(node, depth));
      i++;
      continue;
    }
    switch (node.kind) {
      case 'string': {
        const literal = isPunct(nodes[i - 1], '+') || isPunct(next, '+') ? `${quoteLiteral(node.value)}::text` : quoteLiteral(node.value);
        out.push(collatesAsLiteralComparison(e.ctx, nodes, i) ? literal + LITERAL_COLLATION : literal);
        i++;
        continue;
      }
      case 'number':
        out.push(node.text);
        i++;
        continue;
      case 'binary':
        out.push(`'\\x${node.text.slice(2)}'::bytea`);
        i++;
        continue;
      case 'variable':
        out.push(collatesAsLiteralComparison(e.ctx, nodes, i) ? variable(e.ctx, node) + LITERAL_COLLATION : variable(e.ctx, node));
        i++;
        continue;
      case 'operator':
        out.push(node.text === '!<' ? '>=' : node.text === '!>' ? '<=' : node.text === '^' ? '#' : node.text);
        i++;
        continue;
      case 'punctuation':
        if (node.text === ')' || node.text === ':') throw syntaxError(node.text);
        out.push(node.text);
        i++;
        continue;
      case 'error':
        if (node.text.startsWith("'") || /^n'/i.test(node.text)) {
          throw new TsqlError(105, `Unclosed quotation mark after the character string '${node.text.slice(node.text.indexOf("'") + 1)}'.`, {
            severity: 15,
          });
        }
        throw syntaxError(node.text);
      default:
        break;
    }
    // Words and identifiers.
    if (node.kind === 'word' && isGroup(next) && !RESERVED_NON_FUNC.has(up)) {
      const fn = emitFunction(e, node, next, nodes.slice(i + 2), depth);
      if (fn) {
        out.push(fn.sql);
        i += 2 + fn.consumedAfter;
        continue;
      }
    }
    if (node.kind === 'word' && (RESERVED.has(up) || isSoftKeyword(nodes, i))) {
      const handled = keyword(e, nodes, i, depth, out);
      i = handled;
      continue;
    }
    if (isIdentLike(node)) {
      const chain = readChain(nodes, i);
      out.push(emitChain(e.ctx, chain.parts));
      i = chain.end;
      continue;
    }
    throw syntaxError((node as Token).text);
  }
  return out.join(' ');
}

function isHintList(group: Group): boolean {
  const words = group.items.filter((n) => !isPunct(n, ','));
  return (
    words.some((n) => TABLE_HINTS.has(word(n))) &&
    words.every((n) => TABLE_HINTS.has(word(n)) || isGroup(n) || n.kind === 'number' || isPunct(n, '='))
  );
}

/** Context-dependent keywords: treated as keywords only where their syntax appears. */
function isSoftKeyword(nodes: readonly Node[], i: number): boolean {
  const up = word(nodes[i]);
  const prev = word(nodes[i - 1]);
  const next = word(nodes[i + 1]);
  const prevNode = nodes[i - 1];
  if (isPunct(prevNode, '.') || isPunct(nodes[i + 1], '.')) return false;
  switch (up) {
    case 'ROWS':
    case 'ROW':
      return (
        prevNode?.kind === 'number' ||
        prevNode?.kind === 'variable' ||
        isGroup(prevNode) ||
        ['CURRENT', 'NEXT', 'FIRST'].includes(prev) ||
        ['BETWEEN', 'UNBOUNDED', 'ONLY', 'CURRENT'].includes(next) ||
        nodes[i + 1]?.kind === 'number'
      );
    case 'RANGE':
      return ['BETWEEN', 'UNBOUNDED', 'CURRENT'].includes(next);
    case 'UNBOUNDED':
      return next === 'PRECEDING' || next === 'FOLLOWING';
    case 'PRECEDING':
    case 'FOLLOWING':
      return prev === 'UNBOUNDED' || prevNode?.kind === 'number' || prev === 'ROW';
    case 'NEXT':
    case 'FIRST':
      return prev === 'FETCH';
    case 'ONLY':
      return prev === 'ROWS' || prev === 'ROW';
    case 'TIES':
      return prev === 'WITH';
    case 'PARTITION':
      return next === 'BY';
    case 'OFFSET':
      return nodes[i + 1]?.kind === 'number' || nodes[i + 1]?.kind === 'variable' || isGroup(nodes[i + 1]);
    case 'APPLY':
      return prev === 'CROSS' || prev === 'OUTER';
    case 'ROLLUP':
    case 'CUBE':
      return isGroup(nodes[i + 1]) || prev === 'WITH';
    case 'GROUPING':
      return next === 'SETS';
    case 'SETS':
      return prev === 'GROUPING';
    case 'MATCHED':
      return prev === 'NOT' || prev === 'WHEN';
    case 'TARGET':
    case 'SOURCE':
      return prev === 'BY';
    case 'INCLUDE':
      return isGroup(nodes[i + 1]);
    case 'NULLS':
      return next === 'FIRST' || next === 'LAST';
    case 'LAST':
      return prev === 'NULLS';
    case 'AT':
      return next === 'TIME';
    case 'TIME':
      return prev === 'AT';
    case 'ZONE':
      return prev === 'TIME';
    case 'USING':
      return true;
    default:
      return false;
  }
}

/** Emits a keyword at `nodes[i]`; returns the index after what it consumed. */
function keyword(e: Emitter, nodes: readonly Node[], i: number, depth: number, out: string[]): number {
  const up = word(nodes[i]);
  const next = nodes[i + 1];
  const ctx = e.ctx;
  switch (up) {
    case 'COLLATE':
      return i + 2;
    case 'CURRENT_TIMESTAMP':
      out.push('tsql.getdate()');
      return i + 1;
    case 'CURRENT_USER':
    case 'SESSION_USER':
    case 'USER':
      out.push(quoteLiteral(userName(ctx.login)));
      return i + 1;
    case 'SYSTEM_USER':
      out.push(quoteLiteral(ctx.login.user));
      return i + 1;
    case 'OPTION':
      if (isGroup(next)) return i + 2;
      break;
    case 'WITH':
      if (isGroup(next) && isHintList(next)) return i + 2;
      if (word(next) === 'ROLLUP' || word(next) === 'CUBE')
        throw new TsqlError(40001, 'WITH ROLLUP/CUBE is not supported by the sandbox; use GROUP BY ROLLUP (…).');
      break;
    case 'CROSS':
    case 'OUTER':
      if (word(next) === 'APPLY') {
        const end = appliedSourceEnd(nodes, i + 2);
        const source = emitNodes(e, nodes.slice(i + 2, end), depth);
        out.push(up === 'CROSS' ? `CROSS JOIN LATERAL ${source}` : `LEFT JOIN LATERAL ${source} ON TRUE`);
        return end;
      }
      break;
    case 'NOT':
      if (word(next) === 'LIKE') return like(e, nodes, i + 1, depth, out, true);
      break;
    case 'LIKE':
      return like(e, nodes, i, depth, out, false);
    case 'TOP':
    case 'PERCENT':
      throw syntaxError(up);
    case 'ORDER':
      if (word(next) === 'BY') return orderBy(e, nodes, i, depth, out);
      break;
    default:
      break;
  }
  out.push(up);
  return i + 1;
}

/** End of the source after APPLY: a group or function call, optional AS alias, optional column list. */
function appliedSourceEnd(nodes: readonly Node[], from: number): number {
  let j = from;
  while (j < nodes.length && (isIdentLike(nodes[j]) || isPunct(nodes[j], '.')) && !isGroup(nodes[j])) j++;
  if (isGroup(nodes[j])) j++;
  if (word(nodes[j]) === 'WITH' && isGroup(nodes[j + 1])) j += 2;
  if (word(nodes[j]) === 'AS') j++;
  if (isIdentLike(nodes[j]) && !RESERVED.has(word(nodes[j]))) j++;
  if (isGroup(nodes[j])) j++;
  return j;
}

function variable(ctx: TranslateContext, tok: Token): string {
  const name = tok.text.toLowerCase();
  if (name.startsWith('@@')) return globalVariable(ctx, name);
  const v = ctx.variables.get(name);
  if (!v) throw undeclaredVariable(tok.text);
  return v.value === null ? `CAST(NULL AS ${v.pgCast})` : `CAST(${quoteLiteral(v.value)} AS ${v.pgCast})`;
}

/** Reads `a.b.c` (parts may be empty as in `db..t`, the last may be `*`). */
export function readChain(nodes: readonly Node[], i: number): { parts: Token[]; end: number } {
  const parts: Token[] = [nodes[i] as Token];
  let j = i + 1;
  while (isPunct(nodes[j], '.')) {
    const after = nodes[j + 1];
    if (isIdentLike(after) || isPunct(after, '*')) {
      parts.push(after as Token);
      j += 2;
    } else if (isPunct(after, '.')) {
      const at = (after as unknown as Token).start;
      parts.push({ kind: 'word', text: '', value: '', start: at, end: at });
      j += 1;
    } else break;
  }
  return { parts, end: j };
}

/** Emits a multi-part name: drops a database part, maps `..` to dbo, quotes every part lower-case. */
export function emitChain(ctx: TranslateContext, parts: readonly Token[]): string {
  let list = [...parts];
  if (list.length >= 4)
    throw new TsqlError(
      7202,
      `Could not find server '${list[0]?.value}' in sys.servers. Verify that the correct server name was specified.`,
    );
  const first = list[0]?.value.toLowerCase() ?? '';
  if (list.length === 3 && (first === ctx.database.toLowerCase() || KNOWN_DBS.includes(first))) list = list.slice(1);
  return list
    .map((p, idx) => {
      if (p.text === '*') return '*';
      const v = p.value === '' && idx === 0 && list.length === 2 ? 'dbo' : p.value;
      ctx.spellings.set(v.toLowerCase(), ctx.spellings.get(v.toLowerCase()) ?? v);
      return quoteIdent(v.startsWith('#') ? tempName(ctx, v) : v);
    })
    .join('.');
}

/** `#t` lives in PostgreSQL as a per-connection name so sessions never share temp tables. */
export function tempName(ctx: TranslateContext, name: string): string {
  return `#${ctx.spid}${name}`;
}

export { userName };
