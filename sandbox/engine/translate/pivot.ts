import type { Token } from './lexer.ts';
import { syntaxError, TsqlError } from '../errors.ts';
import { quoteIdent, quoteLiteral } from './context.ts';
import type { Emitter } from './emit.ts';
import { itemNames } from './select.ts';
import { findWord, isGroup, isIdentLike, nodeText, splitCommas, word, type Group, type Node } from './tree.ts';

/**
 * `(SELECT …) s PIVOT (AGG(v) FOR k IN ([a], [b])) AS p` and `… UNPIVOT (v FOR k IN (c1, c2)) AS u`
 * at `nodes[i]`, rewritten as a grouped subquery with FILTERed aggregates, or a LATERAL VALUES
 * list. The source must be a derived table whose select list names its columns. Returns the SQL
 * and the index after the construct, or undefined when no PIVOT/UNPIVOT follows.
 */
export function pivotAt(e: Emitter, nodes: readonly Node[], i: number, depth: number): { sql: string; end: number } | undefined {
  const src = nodes[i];
  if (!isGroup(src)) return undefined;
  let j = i + 1;
  if (word(nodes[j]) === 'AS') j++;
  const alias = nodes[j];
  if (!isIdentLike(alias)) return undefined;
  const op = word(nodes[j + 1]);
  const spec = nodes[j + 2];
  if ((op !== 'PIVOT' && op !== 'UNPIVOT') || !isGroup(spec)) return undefined;
  let end = j + 3;
  if (word(nodes[end]) === 'AS') end++;
  const outAlias = nodes[end];
  if (!isIdentLike(outAlias)) throw syntaxError(nodeText(outAlias) || op);
  end++;
  const names = sourceNames(src);
  const source = `${e.group(src, depth)} AS ${quoteIdent(alias.value)}`;
  const forAt = findWord(spec.items, ['FOR']);
  const inAt = findWord(spec.items, ['IN'], forAt);
  const list = spec.items[inAt + 1];
  if (forAt < 1 || inAt < 0 || !isGroup(list)) throw syntaxError(op);
  const keyCol = spec.items[forAt + 1] as Token;
  const values = splitCommas(list.items).map((v) => (v[0] as Token).value);
  if (op === 'PIVOT') {
    const agg = spec.items.slice(0, forAt);
    const fn = (agg[0] as Token).text.toLowerCase();
    const argGroup = agg[1] as Group;
    const valueCol = itemNames([argGroup.items])[0] ?? '';
    const groupCols = names.filter((n) => n.toLowerCase() !== valueCol.toLowerCase() && n.toLowerCase() !== keyCol.value.toLowerCase());
    const cols = values.map((v) => {
      e.ctx.spellings.set(v.toLowerCase(), v);
      const call = `${fn}${e.group(argGroup, depth + 1)} FILTER (WHERE ${quoteIdent(keyCol.value)} = ${quoteLiteral(v)})`;
      return `${fn === 'count' ? `CAST(${call} AS integer)` : call} AS ${quoteIdent(v)}`;
    });
    const g = groupCols.map(quoteIdent);
    const sql = `(SELECT ${[...g, ...cols].join(', ')} FROM ${source}${g.length > 0 ? ` GROUP BY ${g.join(', ')}` : ''}) AS ${quoteIdent(outAlias.value)}`;
    return { sql, end };
  }
  const valueCol = (spec.items[0] as Token).value;
  const keep = names.filter((n) => !values.some((v) => v.toLowerCase() === n.toLowerCase()));
  e.ctx.spellings.set(valueCol.toLowerCase(), valueCol);
  e.ctx.spellings.set(keyCol.value.toLowerCase(), keyCol.value);
  const rows = values.map((v) => `(${quoteLiteral(v)}, ${quoteIdent(alias.value)}.${quoteIdent(v)})`).join(', ');
  const sql = `(SELECT ${[...keep.map((k) => `${quoteIdent(alias.value)}.${quoteIdent(k)}`), `tsql_u.${quoteIdent(keyCol.value)}`, `tsql_u.${quoteIdent(valueCol)}`].join(', ')}
    FROM ${source} CROSS JOIN LATERAL (VALUES ${rows}) AS tsql_u(${quoteIdent(keyCol.value)}, ${quoteIdent(valueCol)})
    WHERE tsql_u.${quoteIdent(valueCol)} IS NOT NULL) AS ${quoteIdent(outAlias.value)}`;
  return { sql, end };
}

function sourceNames(src: Group): string[] {
  const items = src.items;
  if (word(items[0]) !== 'SELECT')
    throw new TsqlError(40017, 'PIVOT/UNPIVOT in the sandbox needs a derived table (SELECT …) as its source.');
  let k = 1;
  if (word(items[k]) === 'DISTINCT' || word(items[k]) === 'ALL') k++;
  if (word(items[k]) === 'TOP') k += 2;
  const fromAt = findWord(items, ['FROM', 'WHERE', 'GROUP', 'ORDER', 'UNION'], k);
  const names = itemNames(splitCommas(items.slice(k, fromAt < 0 ? items.length : fromAt)));
  if (names.some((n) => n === '' || n === '*'))
    throw new TsqlError(40017, 'PIVOT/UNPIVOT in the sandbox needs every source column named (no * or unnamed expressions).');
  return names;
}
