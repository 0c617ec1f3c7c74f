import type { Token } from './lexer.ts';
import { syntaxError, TsqlError } from '../errors.ts';
import { quoteIdent, type TranslateContext } from './context.ts';
import { columnSql, dropObjectSql, nameSql, objectSql } from './ddl-meta.ts';
import { readChain, type Emitter } from './emit.ts';
import { translateCreateTable, columnDef } from './ddl-table.ts';
import { translateFullTextDdl } from './fulltext-ddl.ts';
import { translateInlineFunction, translateSecurityPolicy } from './security-policy.ts';
import type { Translated } from './statement.ts';
import { endOf, findWord, isGroup, isIdentLike, splitCommas, startOf, word, type Node } from './tree.ts';
import { mapType } from './types.ts';

/** A qualified object name as written: schema (dbo by default), name, and its PostgreSQL text. */
export interface ObjectName {
  schema: string;
  name: string;
  sql: string;
  temp: boolean;
  end: number;
}

/** Reads an object name at `nodes[i]`, defaulting the schema to dbo as SQL Server does for users. */
export function objectName(nodes: readonly Node[], i: number, e: Emitter): ObjectName {
  if (!isIdentLike(nodes[i])) throw syntaxError(nodes[i] && nodes[i]?.kind !== 'group' ? (nodes[i] as Token).text : '(');
  const chain = readChain(nodes, i);
  const parts = chain.parts.map((p) => p.value);
  const name = parts[parts.length - 1] ?? '';
  const temp = name.startsWith('#');
  const schema = parts.length >= 2 && parts[parts.length - 2] ? (parts[parts.length - 2] as string) : 'dbo';
  const sql = temp ? e.nodes(nodes.slice(i, i + 1), 0) : `${quoteIdent(schema)}.${quoteIdent(name)}`;
  return { schema, name, sql, temp, end: chain.end };
}

/** CREATE/ALTER/DROP of schemas, tables, views and indexes, and TRUNCATE TABLE. */
export function translateDdl(nodes: readonly Node[], ctx: TranslateContext, e: Emitter, source: string): Translated {
  const verb = word(nodes[0]);
  let i = 1;
  let orAlter = false;
  if (verb === 'CREATE' && word(nodes[1]) === 'OR' && word(nodes[2]) === 'ALTER') {
    orAlter = true;
    i = 3;
  }
  const kind = word(nodes[i]);
  const done = (sql: string, target?: [string, string]): Translated => ({ kind: 'exec', sql, verb, target, ddl: true });
  if (kind === 'FULLTEXT' && verb !== 'TRUNCATE') return translateFullTextDdl(nodes, verb, i + 1, e);
  if (verb === 'TRUNCATE') {
    const t = objectName(nodes, 2, e);
    return done(`TRUNCATE TABLE ${t.sql}`, [t.schema, t.name]);
  }
  if (kind === 'SCHEMA' && verb === 'CREATE') {
    const name = (nodes[i + 1] as Token).value;
    return done(`CREATE SCHEMA ${quoteIdent(name)}; ${nameSql(name)}`);
  }
  if (kind === 'TABLE' && verb === 'CREATE') return translateCreateTable(nodes, i + 1, e);
  if (kind === 'VIEW' && (verb === 'CREATE' || verb === 'ALTER')) {
    const v = objectName(nodes, i + 1, e);
    const asAt = findWord(nodes, ['AS'], v.end);
    if (asAt < 0) throw syntaxError(v.name);
    let body = nodes.slice(asAt + 1);
    const last3 = body.slice(-3).map(word).join(' ');
    if (last3 === 'WITH CHECK OPTION') body = body.slice(0, -3);
    const cols = isGroup(nodes[v.end]) ? ` ${e.group(nodes[v.end] as never, 0)}` : '';
    const select = e.nodes(body, 0);
    const names = [...ctx.spellings.values(), v.schema, v.name].map(nameSql).join('; ');
    const text = source.slice(startOf(nodes[0] as Node), endOf(nodes[nodes.length - 1] as Node));
    const replace = verb === 'ALTER' || orAlter ? `DROP VIEW IF EXISTS ${v.sql}; ` : '';
    return done(`${replace}CREATE VIEW ${v.sql}${cols} AS ${select}; ${names}; ${objectSql(v.schema, v.name, text)}`, [v.schema, v.name]);
  }
  if (verb === 'CREATE' && (kind === 'INDEX' || kind === 'UNIQUE' || kind === 'CLUSTERED' || kind === 'NONCLUSTERED')) {
    let k = i;
    const unique = word(nodes[k]) === 'UNIQUE';
    while (['UNIQUE', 'CLUSTERED', 'NONCLUSTERED'].includes(word(nodes[k]))) k++;
    if (word(nodes[k]) !== 'INDEX') throw new TsqlError(40010, `CREATE ${word(nodes[k])} INDEX is not supported by the sandbox.`);
    const ixName = (nodes[k + 1] as Token).value;
    if (word(nodes[k + 2]) !== 'ON') throw syntaxError(ixName);
    const t = objectName(nodes, k + 3, e);
    let rest = nodes.slice(t.end);
    const withAt = findWord(rest, ['WITH']);
    if (withAt >= 0) rest = rest.slice(0, withAt);
    const onAt = findWord(rest, ['ON'], 1);
    if (onAt >= 0) rest = rest.slice(0, onAt);
    return done(`CREATE ${unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(ixName)} ON ${t.sql} ${e.nodes(rest, 0)}; ${nameSql(ixName)}`, [
      t.schema,
      t.name,
    ]);
  }
  if (verb === 'ALTER' && kind === 'TABLE') return alterTable(nodes, i + 1, e);
  if (kind === 'FUNCTION' && (verb === 'CREATE' || verb === 'ALTER'))
    return translateInlineFunction(nodes, i + 1, e, objectName, verb === 'ALTER' || orAlter);
  if (verb === 'CREATE' && kind === 'SECURITY' && word(nodes[i + 1]) === 'POLICY')
    return translateSecurityPolicy(nodes, i + 2, e, objectName);
  if (verb === 'DROP' && ['TABLE', 'VIEW'].includes(kind)) {
    let k = i + 1;
    const ifExists = word(nodes[k]) === 'IF' && word(nodes[k + 1]) === 'EXISTS';
    if (ifExists) k += 2;
    const targets = splitCommas(nodes.slice(k)).map((part) => objectName(part, 0, e));
    const meta = targets
      .filter((t) => !t.temp)
      .map((t) => dropObjectSql(t.schema, t.name))
      .join('; ');
    return done(
      `DROP ${kind} ${ifExists ? 'IF EXISTS ' : ''}${targets.map((t) => t.sql).join(', ')}${meta ? `; ${meta}` : ''}`,
      targets[0] ? [targets[0].schema, targets[0].name] : undefined,
    );
  }
  if (verb === 'DROP' && kind === 'SCHEMA') {
    const ifExists = word(nodes[i + 1]) === 'IF';
    const name = (nodes[ifExists ? i + 3 : i + 1] as Token).value;
    return done(`DROP SCHEMA ${ifExists ? 'IF EXISTS ' : ''}${quoteIdent(name)}`);
  }
  if (verb === 'DROP' && kind === 'INDEX') {
    let k = i + 1;
    const ifExists = word(nodes[k]) === 'IF' && word(nodes[k + 1]) === 'EXISTS';
    if (ifExists) k += 2;
    const drops = splitCommas(nodes.slice(k)).map((part) => {
      if (word(part[1]) === 'ON') return `${quoteIdent(objectName(part, 2, e).schema)}.${quoteIdent((part[0] as Token).value)}`;
      const chain = readChain(part, 0).parts.map((p) => p.value);
      return `${quoteIdent(chain.length >= 3 ? (chain[chain.length - 3] as string) : 'dbo')}.${quoteIdent(chain[chain.length - 1] ?? '')}`;
    });
    return done(`DROP INDEX ${ifExists ? 'IF EXISTS ' : ''}${drops.join(', ')}`);
  }
  throw new TsqlError(40010, `${verb} ${kind} is not supported by the sandbox.`, { severity: 16 });
}

function alterTable(nodes: readonly Node[], at: number, e: Emitter): Translated {
  const t = objectName(nodes, at, e);
  let k = t.end;
  if (word(nodes[k]) === 'WITH' && (word(nodes[k + 1]) === 'CHECK' || word(nodes[k + 1]) === 'NOCHECK')) k += 2;
  const action = word(nodes[k]);
  const rest = nodes.slice(k + 1);
  const target: [string, string] = [t.schema, t.name];
  const out = (sql: string): Translated => ({ kind: 'exec', sql, verb: 'ALTER', target, ddl: true });
  if (action === 'ADD') {
    const meta: string[] = [];
    const items = splitCommas(rest).map((item) => {
      if (['CONSTRAINT', 'PRIMARY', 'FOREIGN', 'UNIQUE', 'CHECK'].includes(word(item[0]))) return `ADD ${columnDef(item, e, [], t).sql}`;
      const def = columnDef(item, e, meta, t);
      return `ADD COLUMN ${def.sql}`;
    });
    return out(`ALTER TABLE ${t.sql} ${items.join(', ')}${meta.length ? `; ${meta.join('; ')}` : ''}`);
  }
  if (action === 'DROP') {
    let kind = word(rest[0]);
    let j = kind === 'COLUMN' || kind === 'CONSTRAINT' ? 1 : 0;
    if (j === 0) kind = 'CONSTRAINT';
    const ifExists = word(rest[j]) === 'IF' && word(rest[j + 1]) === 'EXISTS';
    if (ifExists) j += 2;
    const names = splitCommas(rest.slice(j)).map((p) => (p[0] as Token).value);
    return out(`ALTER TABLE ${t.sql} ${names.map((n) => `DROP ${kind} ${ifExists ? 'IF EXISTS ' : ''}${quoteIdent(n)}`).join(', ')}`);
  }
  if (action === 'ALTER' && word(rest[0]) === 'COLUMN') {
    const col = (rest[1] as Token).value;
    const type = mapType(rest.slice(2));
    if (!type) throw syntaxError(col);
    const tail = rest
      .slice(2 + type.consumed)
      .map(word)
      .join(' ');
    const nullSql = tail.includes('NOT NULL')
      ? `, ALTER COLUMN ${quoteIdent(col)} SET NOT NULL`
      : tail.includes('NULL')
        ? `, ALTER COLUMN ${quoteIdent(col)} DROP NOT NULL`
        : '';
    return out(
      `ALTER TABLE ${t.sql} ALTER COLUMN ${quoteIdent(col)} TYPE ${type.pg} USING ${quoteIdent(col)}::${type.pgCast}${nullSql}; ${columnSql(t.schema, t.name, col, type.sql)}`,
    );
  }
  if (action === 'CHECK' || action === 'NOCHECK' || action === 'ENABLE' || action === 'DISABLE') return out('SELECT 1');
  throw new TsqlError(40010, `ALTER TABLE … ${action} is not supported by the sandbox.`);
}
