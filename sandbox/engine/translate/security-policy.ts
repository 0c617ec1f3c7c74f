import { syntaxError, TsqlError } from '../errors.ts';
import { quoteIdent, quoteLiteral } from './context.ts';
import { nameSql } from './ddl-meta.ts';
import type { ObjectName } from './ddl.ts';
import type { Emitter } from './emit.ts';
import type { Translated } from './statement.ts';
import { findWord, isGroup, isPunct, splitCommas, word, type Node } from './tree.ts';
import { mapType } from './types.ts';

type NameReader = (nodes: readonly Node[], i: number, e: Emitter) => ObjectName;

const PARAM_PREFIX = 'tsql_p_';

/**
 * `CREATE FUNCTION s.f(@p type, …) RETURNS TABLE [WITH SCHEMABINDING] AS RETURN [(] SELECT … [)]`,
 * an inline table-valued function, as a PostgreSQL SQL function returning a row per row of the
 * SELECT (`SETOF integer`): what a security predicate needs (does any row qualify?). Parameters
 * are referenced by name inside the body (`tsql_p_<name>`), so PostgreSQL can inline the function
 * into the query a row-level security policy filters.
 */
export function translateInlineFunction(nodes: readonly Node[], i: number, e: Emitter, readName: NameReader, replace: boolean): Translated {
  const fn = readName(nodes, i, e);
  const paramsGroup = nodes[fn.end];
  if (!isGroup(paramsGroup)) throw syntaxError(fn.name);
  if (word(nodes[fn.end + 1]) !== 'RETURNS' || word(nodes[fn.end + 2]) !== 'TABLE') {
    throw new TsqlError(40010, 'Only inline table-valued functions (RETURNS TABLE … AS RETURN SELECT) are supported by the sandbox.');
  }
  const asAt = findWord(nodes, ['AS'], fn.end + 3);
  if (asAt < 0 || word(nodes[asAt + 1]) !== 'RETURN') throw syntaxError(fn.name);
  let body = nodes.slice(asAt + 2);
  if (body.length === 1 && isGroup(body[0])) body = body[0].items;
  const params: string[] = [];
  const saved = new Map(e.ctx.variables);
  for (const item of paramsGroup.items.length === 0 ? [] : splitCommas(paramsGroup.items)) {
    const v = item[0];
    if (v?.kind !== 'variable') throw syntaxError(v && !isGroup(v) ? v.text : '(');
    const type = mapType(item.slice(1), true);
    if (!type) throw new TsqlError(2715, `Column, parameter, or variable #${params.length + 1}: Cannot find data type.`);
    const pgName = `${PARAM_PREFIX}${v.text.slice(1).toLowerCase()}`;
    params.push(`${quoteIdent(pgName)} ${type.pgCast}`);
    // The emitter writes a variable as CAST('<value>' AS type): a marker value becomes the parameter.
    e.ctx.variables.set(v.text.toLowerCase(), { pgCast: type.pgCast, value: marker(pgName) });
  }
  let select = e.nodes(body, 0);
  e.ctx.variables.clear();
  for (const [k, v] of saved) e.ctx.variables.set(k, v);
  for (const p of params) {
    const name = p.slice(1, p.indexOf('"', 1));
    select = select.replaceAll(quoteLiteral(marker(name)), quoteIdent(name));
  }
  const drop = replace ? `DROP FUNCTION IF EXISTS ${fn.sql} CASCADE; ` : '';
  const sql = `${drop}CREATE FUNCTION ${fn.sql}(${params.join(', ')}) RETURNS SETOF integer LANGUAGE sql STABLE AS ${dollar(`SELECT 1 FROM (${select}) AS tsql_inline_body`)}; ${nameSql(fn.name)}`;
  return { kind: 'exec', sql, verb: 'CREATE', target: [fn.schema, fn.name], ddl: true };
}

/**
 * `CREATE SECURITY POLICY name ADD FILTER PREDICATE s.f(col, …) ON s.t [, …] WITH (STATE = ON)`
 * as PostgreSQL row-level security: the table gets ENABLE and FORCE ROW LEVEL SECURITY and a
 * policy whose USING runs the predicate function for the row. Every role but a superuser (the
 * sandbox's owner login, like sysadmin) is subject to it; as on SQL Server, the filter applies to
 * SELECT, UPDATE and DELETE, and inserts are not checked (no BLOCK predicates).
 */
export function translateSecurityPolicy(nodes: readonly Node[], i: number, e: Emitter, readName: NameReader): Translated {
  const policy = readName(nodes, i, e);
  const withAt = findWord(nodes, ['WITH'], policy.end);
  const clauses = splitCommas(nodes.slice(policy.end, withAt < 0 ? nodes.length : withAt));
  const options = withAt >= 0 && isGroup(nodes[withAt + 1]) ? (nodes[withAt + 1] as { items: Node[] }).items : [];
  const stateAt = findWord(options, ['STATE']);
  const enabled = stateAt < 0 || word(options[stateAt + 2]) !== 'OFF';
  const statements: string[] = [];
  let target: [string, string] | undefined;
  clauses.forEach((clause, n) => {
    if (word(clause[0]) !== 'ADD') throw syntaxError(word(clause[0]) || policy.name);
    if (word(clause[1]) === 'BLOCK')
      throw new TsqlError(40010, 'BLOCK predicates are not supported by the sandbox (it is read-only for the connector).');
    if (word(clause[1]) !== 'FILTER' || word(clause[2]) !== 'PREDICATE') throw syntaxError(word(clause[1]));
    const fn = readName(clause, 3, e);
    const args = clause[fn.end];
    if (!isGroup(args) || word(clause[fn.end + 1]) !== 'ON') throw syntaxError(fn.name);
    const table = readName(clause, fn.end + 2, e);
    target ??= [table.schema, table.name];
    const columns = args.items.filter((x) => !isPunct(x, ',')).map((x) => e.nodes([x], 1));
    const name = quoteIdent(`${policy.name}${clauses.length > 1 ? `_${n + 1}` : ''}`);
    statements.push(
      `ALTER TABLE ${table.sql} ${enabled ? 'ENABLE' : 'DISABLE'} ROW LEVEL SECURITY`,
      `ALTER TABLE ${table.sql} FORCE ROW LEVEL SECURITY`,
      `CREATE POLICY ${name} ON ${table.sql} FOR ALL USING (EXISTS (SELECT 1 FROM ${fn.sql}(${columns.join(', ')}))) WITH CHECK (true)`,
    );
  });
  if (statements.length === 0) throw syntaxError(policy.name);
  return { kind: 'exec', sql: `${statements.join('; ')}; ${nameSql(policy.name)}`, verb: 'CREATE', target, ddl: true };
}

function marker(name: string): string {
  return `\u0001tsql-param:${name}\u0001`;
}

function dollar(body: string): string {
  let tag = '$tsqlfn$';
  while (body.includes(tag)) tag = `$tsqlfn${Math.random().toString(36).slice(2, 8)}$`;
  return `${tag}${body}${tag}`;
}
