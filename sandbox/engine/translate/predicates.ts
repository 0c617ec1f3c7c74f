import type { Token } from './lexer.ts';
import { syntaxError } from '../errors.ts';
import { quoteLiteral } from './context.ts';
import type { Emitter } from './emit.ts';
import { likeToRegex } from './like.ts';
import { isPunct, splitCommas, word, type Node } from './tree.ts';

/** `x LIKE pattern [ESCAPE c]`: case-insensitive like SQL Server, `[…]` classes via regular expressions. */
export function like(e: Emitter, nodes: readonly Node[], i: number, depth: number, out: string[], negated: boolean): number {
  const pat = nodes[i + 1];
  let esc: string | undefined;
  let end = i + 2;
  if (word(nodes[end]) === 'ESCAPE' && nodes[end + 1]?.kind === 'string') {
    esc = (nodes[end + 1] as Token).value;
    end += 2;
  }
  let literal: string | undefined;
  if (pat?.kind === 'string') literal = pat.value;
  else if (pat?.kind === 'variable' && !pat.text.startsWith('@@'))
    literal = e.ctx.variables.get(pat.text.toLowerCase())?.value ?? undefined;
  if (literal !== undefined && pat !== undefined && !isPunct(nodes[i + 2], '+')) {
    if (literal.includes('[')) {
      out.push(`COLLATE "default" ${negated ? '!~*' : '~*'} ${quoteLiteral(likeToRegex(literal, esc))}`);
    } else {
      out.push(`${negated ? 'NOT ILIKE' : 'ILIKE'} ${quoteLiteral(literal)} COLLATE ${LIKE_COLLATION} ESCAPE ${quoteLiteral(esc ?? '')}`);
    }
    return end;
  }
  // A computed pattern: case-insensitive through ILIKE under a deterministic ICU collation.
  let stop = i + 1;
  while (stop < nodes.length && !isPunct(nodes[stop], ',') && !isPunct(nodes[stop], ';') && !PATTERN_STOP.has(word(nodes[stop]))) stop++;
  if (stop === i + 1) throw syntaxError('LIKE');
  let escapeLiteral = "''";
  let next = stop;
  if (word(nodes[stop]) === 'ESCAPE' && nodes[stop + 1]?.kind === 'string') {
    escapeLiteral = quoteLiteral((nodes[stop + 1] as Token).value);
    next = stop + 2;
  }
  out.push(
    `${negated ? 'NOT ILIKE' : 'ILIKE'} (${e.nodes(nodes.slice(i + 1, stop), depth)}) COLLATE ${LIKE_COLLATION} ESCAPE ${escapeLiteral}`,
  );
  return next;
}

/** ICU's deterministic root collation: ILIKE under it folds case for every script, quickly. */
const LIKE_COLLATION = '"und-x-icu"';
const PATTERN_STOP = new Set([
  'AND',
  'OR',
  'ESCAPE',
  'THEN',
  'WHEN',
  'ELSE',
  'END',
  'ORDER',
  'GROUP',
  'HAVING',
  'WHERE',
  'UNION',
  'EXCEPT',
  'INTERSECT',
  'FROM',
  'ON',
  'JOIN',
  'INNER',
  'LEFT',
  'RIGHT',
  'FULL',
  'CROSS',
  'OUTER',
  'IS',
  'NOT',
  'COLLATE',
  'ASC',
  'DESC',
  'OPTION',
  'FOR',
  'AS',
  'BETWEEN',
  'IN',
  'LIKE',
]);

/**
 * ORDER BY with SQL Server's NULL placement: NULLs sort as the lowest values (first ascending,
 * last descending), where PostgreSQL treats them as the highest.
 */
export function orderBy(e: Emitter, nodes: readonly Node[], i: number, depth: number, out: string[]): number {
  let end = i + 2;
  while (end < nodes.length && !ORDER_END.has(word(nodes[end])) && !isPunct(nodes[end], ';')) end++;
  const items = splitCommas(nodes.slice(i + 2, end)).map((item) => {
    const dir = word(item[item.length - 1]);
    const sql = e.nodes(item, depth);
    return `${sql} ${dir === 'DESC' ? 'NULLS LAST' : 'NULLS FIRST'}`;
  });
  out.push(`ORDER BY ${items.join(', ')}`);
  return end;
}

const ORDER_END = new Set(['OFFSET', 'FOR', 'OPTION', 'ROWS', 'RANGE', 'UNION', 'EXCEPT', 'INTERSECT', 'LIMIT', 'FETCH']);
