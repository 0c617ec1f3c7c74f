import type { Token } from './lexer.ts';
import { syntaxError, TsqlError } from '../errors.ts';
import { quoteIdent, type TranslateContext } from './context.ts';
import { readChain, type Emitter } from './emit.ts';
import type { Translated } from './statement.ts';
import { findWord, isGroup, isIdentLike, isPunct, splitCommas, word, type Node } from './tree.ts';

const JOIN_WORDS = ['JOIN', 'INNER', 'LEFT', 'RIGHT', 'FULL', 'CROSS', 'OUTER'];

/** INSERT, UPDATE, DELETE and MERGE, including UPDATE/DELETE … FROM joins, TOP (n) and OUTPUT. */
export function translateDml(nodes: readonly Node[], _ctx: TranslateContext, e: Emitter): Translated {
  const verb = word(nodes[0]);
  let i = 1;
  let top: string | undefined;
  if (word(nodes[i]) === 'TOP') {
    const g = nodes[i + 1];
    if (!isGroup(g)) throw syntaxError('TOP');
    top = e.group(g, 0);
    i += 2;
    if (word(nodes[i]) === 'PERCENT') throw new TsqlError(40006, 'TOP … PERCENT in data modification is not supported by the sandbox.');
  }
  if ((verb === 'INSERT' || verb === 'MERGE') && word(nodes[i]) === 'INTO') i++;
  if (verb === 'DELETE' && word(nodes[i]) === 'FROM') i++;
  if (!isIdentLike(nodes[i])) throw syntaxError(nodes[i] && nodes[i]?.kind !== 'group' ? (nodes[i] as Token).text : verb);
  const chain = readChain(nodes, i);
  const table = e.nodes(nodes.slice(i, chain.end), 0);
  const target = targetOf(chain.parts);
  let rest = nodes.slice(chain.end);
  if (word(rest[0]) === 'WITH' && isGroup(rest[1])) rest = rest.slice(2);
  const { output, without } = takeOutput(rest, e);
  rest = without;
  const returning = output ? ` RETURNING ${output}` : '';
  const base = { kind: 'exec' as const, verb, target, returnsRows: output !== undefined };
  switch (verb) {
    case 'INSERT': {
      e.ctx.insertSource = true;
      try {
        return { ...base, sql: `INSERT INTO ${table} ${e.nodes(rest, 0)}${returning}` };
      } finally {
        e.ctx.insertSource = false;
      }
    }
    case 'MERGE':
      return { ...base, sql: `MERGE INTO ${table} ${mergeBody(rest, e)}${returning}` };
    case 'UPDATE': {
      if (word(rest[0]) !== 'SET') throw syntaxError(rest[0] && rest[0].kind !== 'group' ? rest[0].text : 'UPDATE');
      let end = 1;
      while (end < rest.length && !['FROM', 'WHERE', 'OPTION'].includes(word(rest[end]))) end++;
      const sets = setList(rest.slice(1, end), e);
      return { ...base, sql: withFrom('UPDATE', table, chain.parts, `SET ${sets}`, rest.slice(end), top, e) + returning };
    }
    default: {
      const from = rest;
      if (word(rest[0]) !== 'FROM' && word(rest[0]) !== 'WHERE' && word(rest[0]) !== 'OPTION' && rest.length > 0)
        throw syntaxError((rest[0] as Token).text ?? '');
      return { ...base, sql: withFrom('DELETE', table, chain.parts, '', from, top, e) + returning };
    }
  }
}

function targetOf(parts: readonly Token[]): [string, string] {
  const names = parts.map((p) => p.value);
  const obj = names[names.length - 1] ?? '';
  return [names.length >= 2 && names[names.length - 2] ? (names[names.length - 2] as string) : 'dbo', obj];
}

/** Pulls `OUTPUT inserted.x, deleted.y` out of a statement, as PostgreSQL 18's RETURNING new./old. list. */
function takeOutput(rest: readonly Node[], e: Emitter): { output?: string; without: Node[] } {
  const at = findWord(rest, ['OUTPUT']);
  if (at < 0) return { without: [...rest] };
  let end = at + 1;
  while (
    end < rest.length &&
    !['VALUES', 'SELECT', 'DEFAULT', 'FROM', 'WHERE', 'EXEC', 'EXECUTE', 'INTO', 'WHEN', 'OPTION'].includes(word(rest[end]))
  )
    end++;
  if (word(rest[end]) === 'INTO') throw new TsqlError(40007, 'OUTPUT … INTO is not supported by the sandbox.');
  const items = e
    .nodes(rest.slice(at + 1, end), 0)
    .replaceAll('"inserted".', 'new.')
    .replaceAll('"deleted".', 'old.');
  return { output: items, without: [...rest.slice(0, at), ...rest.slice(end)] };
}

/** `a = 1, t.b += 2` → `"a" = 1, "b" = "b" + (2)`: PostgreSQL's SET takes bare column names. */
function setList(nodes: readonly Node[], e: Emitter): string {
  return splitCommas(nodes)
    .map((item) => {
      const opAt = item.findIndex((n) => n.kind === 'operator' && /^[-+*/%&|^]?=$/.test(n.text));
      if (opAt < 1) throw syntaxError(item[0] && item[0].kind !== 'group' ? item[0].text : 'SET');
      const lhs = item[opAt - 1] as Token;
      if (lhs.kind === 'variable') throw new TsqlError(40008, 'Assigning variables in UPDATE … SET is not supported by the sandbox.');
      const col = quoteIdent(lhs.value);
      e.ctx.spellings.set(lhs.value.toLowerCase(), lhs.value);
      const op = (item[opAt] as Token).text;
      const rhs = e.nodes(item.slice(opAt + 1), 0);
      return op === '=' ? `${col} = ${rhs}` : `${col} = ${col} ${op.slice(0, -1)} (${rhs})`;
    })
    .join(', ');
}

/**
 * UPDATE/DELETE with T-SQL's FROM clause. When the target is the first table of the FROM list (by
 * name or alias), it becomes PostgreSQL's target and the first join's ON condition moves to WHERE;
 * otherwise the target is matched to its FROM occurrence by ctid.
 */
function withFrom(
  verb: 'UPDATE' | 'DELETE',
  table: string,
  parts: readonly Token[],
  sets: string,
  rest: readonly Node[],
  top: string | undefined,
  e: Emitter,
): string {
  const fromAt = word(rest[0]) === 'FROM' ? 0 : -1;
  let whereAt = findWord(rest, ['WHERE']);
  const optionAt = findWord(rest, ['OPTION']);
  const end = optionAt >= 0 ? optionAt : rest.length;
  if (whereAt < 0) whereAt = end;
  const where = whereAt < end ? e.nodes(rest.slice(whereAt + 1, end), 0) : '';
  const head = verb === 'UPDATE' ? (t: string) => `UPDATE ${t} ${sets}` : (t: string) => `DELETE FROM ${t}`;
  const fromWord = verb === 'UPDATE' ? 'FROM' : 'USING';
  if (fromAt < 0) {
    if (top) return `${head(table)} WHERE ctid IN (SELECT ctid FROM ${table}${where ? ` WHERE ${where}` : ''} LIMIT ${top})`;
    return `${head(table)}${where ? ` WHERE ${where}` : ''}`;
  }
  if (top) throw new TsqlError(40009, `${verb} TOP (…) with a FROM clause is not supported by the sandbox.`);
  const from = rest.slice(1, whereAt);
  const name = (parts[parts.length - 1] as Token).value.toLowerCase();
  const ref = findTargetRef(from, name, parts.length);
  if (!ref) return `${head(table)} ${fromWord} ${e.nodes(from, 0)}${where ? ` WHERE ${where}` : ''}`;
  const realTable = e.nodes(from.slice(0, ref.chainEnd), 0);
  const alias = ref.alias ? quoteIdent(ref.alias) : undefined;
  const after = from.slice(ref.end);
  if (ref.start === 0 && (after.length === 0 || isPunct(after[0], ','))) {
    const others = after.length > 0 ? ` ${fromWord} ${e.nodes(after.slice(1), 0)}` : '';
    return `${head(`${realTable}${alias ? ` AS ${alias}` : ''}`)}${others}${where ? ` WHERE ${where}` : ''}`;
  }
  if (ref.start === 0 && (word(after[0]) === 'JOIN' || (word(after[0]) === 'INNER' && word(after[1]) === 'JOIN'))) {
    const j = word(after[0]) === 'JOIN' ? 1 : 2;
    const onAt = findWord(after, ['ON'], j);
    if (onAt > 0) {
      let condEnd = onAt + 1;
      while (condEnd < after.length && !JOIN_WORDS.includes(word(after[condEnd]))) condEnd++;
      const joined = e.nodes(after.slice(j, onAt), 0);
      const cond = e.nodes(after.slice(onAt + 1, condEnd), 0);
      const more = e.nodes(after.slice(condEnd), 0);
      const conds = [`(${cond})`, where ? `(${where})` : ''].filter(Boolean).join(' AND ');
      return `${head(`${realTable}${alias ? ` AS ${alias}` : ''}`)} ${fromWord} ${joined} ${more} WHERE ${conds}`;
    }
  }
  const handle = alias ?? e.nodes(from.slice(0, ref.chainEnd), 0);
  const conds = [`tsql_target.ctid = ${handle}.ctid`, where ? `(${where})` : ''].filter(Boolean).join(' AND ');
  return `${head(`${realTable} AS tsql_target`)} ${fromWord} ${e.nodes(from, 0)} WHERE ${conds}`;
}

/** Finds the FROM item that the UPDATE/DELETE target names (as alias or table name). */
function findTargetRef(
  from: readonly Node[],
  name: string,
  parts: number,
): { start: number; chainEnd: number; end: number; alias?: string } | undefined {
  for (let k = 0; k < from.length; k++) {
    const prev = from[k - 1];
    const atItemStart = k === 0 || isPunct(prev, ',') || word(prev) === 'JOIN' || word(prev) === 'APPLY';
    if (!atItemStart || !isIdentLike(from[k])) continue;
    const chain = readChain(from, k);
    let j = chain.end;
    if (word(from[j]) === 'AS') j++;
    let alias: string | undefined;
    const cand = from[j];
    if (isIdentLike(cand) && !['ON', 'JOIN', 'INNER', 'LEFT', 'RIGHT', 'FULL', 'CROSS', 'OUTER', 'WHERE', 'WITH'].includes(word(cand))) {
      alias = cand.value;
      j++;
    }
    if (word(from[j]) === 'WITH' && isGroup(from[j + 1])) j += 2;
    const last = (chain.parts[chain.parts.length - 1] as Token).value.toLowerCase();
    if ((alias && alias.toLowerCase() === name && parts === 1) || (!alias && last === name) || (alias && last === name && parts > 1)) {
      return alias ? { start: k, chainEnd: chain.end, end: j, alias } : { start: k, chainEnd: chain.end, end: j };
    }
  }
  return undefined;
}

/** MERGE's WHEN clauses: UPDATE SET takes bare column names in PostgreSQL. */
function mergeBody(rest: readonly Node[], e: Emitter): string {
  const out: string[] = [];
  let k = 0;
  while (k < rest.length) {
    if (word(rest[k]) === 'UPDATE' && word(rest[k + 1]) === 'SET') {
      let end = k + 2;
      while (end < rest.length && word(rest[end]) !== 'WHEN') end++;
      out.push(`UPDATE SET ${setList(rest.slice(k + 2, end), e)}`);
      k = end;
      continue;
    }
    let end = k + 1;
    while (end < rest.length && !(word(rest[end]) === 'UPDATE' && word(rest[end + 1]) === 'SET')) end++;
    out.push(e.nodes(rest.slice(k, end), 0));
    k = end;
  }
  return out.join(' ');
}
