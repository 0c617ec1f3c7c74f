import { syntaxError } from '../errors.ts';
import type { TranslateContext } from './context.ts';
import { translateDdl } from './ddl.ts';
import { translateDml } from './dml.ts';
import { createEmitter } from './emit.ts';
import { isPunct, word, type Node } from './tree.ts';

/** A statement translated to PostgreSQL, with what the executor needs to run and report it. */
export interface Translated {
  /** query: streamed through a cursor; exec: run once (DML, DDL, SELECT INTO). */
  kind: 'query' | 'exec';
  sql: string;
  /** The T-SQL verb (SELECT, INSERT, CREATE…), for error wording. */
  verb: string;
  /** The target object as written: [schema, object]. */
  target?: [string, string] | undefined;
  /** DDL changes the catalog: cached column metadata must be dropped. */
  ddl?: boolean;
  /** Exec statements whose first result has rows to send (OUTPUT … / RETURNING). */
  returnsRows?: boolean;
}

/**
 * Translates one statement of the data language (SELECT, WITH, INSERT, UPDATE, DELETE, MERGE) or
 * DDL (CREATE, ALTER, DROP, TRUNCATE). Session statements (SET, USE, DECLARE, transactions, EXEC)
 * are the session's business and never reach here.
 */
export function translateStatement(nodes: readonly Node[], ctx: TranslateContext, source: string): Translated {
  const first = word(nodes[0]);
  const e = createEmitter(ctx);
  if (first === 'SELECT' || (first === '' && nodes[0]?.kind === 'group')) {
    const sql = e.nodes(nodes, 0);
    return ctx.selectInto ? { kind: 'exec', sql, verb: 'SELECT', ddl: true } : { kind: 'query', sql, verb: 'SELECT' };
  }
  if (first === 'WITH') {
    let k = 1;
    while (k < nodes.length && !['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'MERGE'].includes(word(nodes[k]))) k++;
    const verb = word(nodes[k]);
    if (verb === '') throw syntaxError(nodes.length > 0 ? 'WITH' : '');
    if (verb === 'SELECT' && nestedFor(nodes.slice(k))) {
      // FOR JSON/XML subqueries run first, and may read the CTEs: keep the WITH clause apart for them.
      const prefix = recursive(nodes.slice(0, k)) + e.nodes(nodes.slice(0, k), 0).replace(/^WITH /, '');
      ctx.forPrefix = prefix;
      const sql = `${prefix} ${e.nodes(nodes.slice(k), 0)}`;
      return ctx.selectInto ? { kind: 'exec', sql, verb, ddl: true } : { kind: 'query', sql, verb };
    }
    if (verb === 'SELECT') {
      const sql = recursive(nodes.slice(0, k)) + e.nodes(nodes, 0).replace(/^WITH /, '');
      return ctx.selectInto ? { kind: 'exec', sql, verb, ddl: true } : { kind: 'query', sql, verb };
    }
    const prefix = recursive(nodes.slice(0, k)) + e.nodes(nodes.slice(0, k), 0).replace(/^WITH /, '');
    const dml = translateDml(nodes.slice(k), ctx, e);
    return { ...dml, sql: `${prefix} ${dml.sql}` };
  }
  if (['INSERT', 'UPDATE', 'DELETE', 'MERGE'].includes(first)) return translateDml(nodes, ctx, e);
  if (['CREATE', 'ALTER', 'DROP', 'TRUNCATE'].includes(first)) return translateDdl(nodes, ctx, e, source);
  throw syntaxError(nodes[0] && nodes[0].kind !== 'group' ? nodes[0].text : '(');
}

/** `WITH RECURSIVE` when any CTE refers to itself (T-SQL has no keyword for it). */
function recursive(ctes: readonly Node[]): string {
  let k = 1;
  while (k < ctes.length) {
    const name = ctes[k];
    if (!name || name.kind === 'group') return 'WITH ';
    let j = k + 1;
    if (ctes[j]?.kind === 'group' && word(ctes[j + 1]) === 'AS') j++;
    const body = ctes[j + 1];
    if (word(ctes[j]) !== 'AS' || !body || body.kind !== 'group') return 'WITH ';
    if (mentions(body.items, name.value.toLowerCase())) return 'WITH RECURSIVE ';
    k = j + 2;
    if (isPunct(ctes[k], ',')) k++;
  }
  return 'WITH ';
}

/** Whether a parenthesised part of the statement holds `FOR JSON` or `FOR XML` (a subquery used as a value). */
function nestedFor(nodes: readonly Node[]): boolean {
  return nodes.some(
    (n) =>
      n.kind === 'group' && n.items.some((m, i) => (word(m) === 'FOR' && ['JSON', 'XML'].includes(word(n.items[i + 1]))) || nestedFor([m])),
  );
}

function mentions(nodes: readonly Node[], name: string): boolean {
  return nodes.some((n) =>
    n.kind === 'group'
      ? mentions(n.items, name)
      : (n.kind === 'word' || n.kind === 'bracket_identifier' || n.kind === 'quoted_identifier') && n.value.toLowerCase() === name,
  );
}
