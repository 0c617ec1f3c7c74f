import type { Token } from './lexer.ts';
import { syntaxError, TsqlError } from '../errors.ts';
import { quoteIdent, quoteLiteral, userName } from './context.ts';
import { likeToRegex } from './like.ts';
import type { Emitter } from './emit.ts';
import { datePart } from './date-parts.ts';
import { formatCall } from './format.ts';
import { emitValue } from './expression-collation.ts';
import { FULLTEXT_HANDLERS } from './fulltext.ts';
import { isGroup, nodeText, splitCommas, word, type Group, type Node } from './tree.ts';
import { mapType } from './types.ts';

type Handler = (e: Emitter, args: Node[][], after: readonly Node[], depth: number, name: string) => { sql: string; consumedAfter?: number };

/** Functions PostgreSQL (or the engine's `tsql` schema) provides under the same name and meaning. */
const PASS = new Set(
  `abs acos asin atan ceiling floor exp power sqrt sign sin cos tan cot degrees radians pi round
  upper lower ltrim rtrim trim replace reverse left right substring translate ascii concat concat_ws
  coalesce nullif greatest least sum avg min max row_number rank dense_rank ntile lag lead
  first_value last_value cume_dist percent_rank grouping len charindex datalength patindex quotename
  getdate getutcdate sysdatetime sysutcdatetime sysdatetimeoffset year month day eomonth isnumeric
  isdate string_split object_id object_name object_schema_name schema_name schema_id is_rolemember is_srvrolemember
  has_perms_by_name serverproperty databasepropertyex objectproperty columnproperty col_length
  col_name type_name type_id json_value json_query isjson openjson str scope_identity
  difference soundex percentile_cont percentile_disc objectpropertyex fulltextserviceproperty fulltextcatalogproperty fn_my_permissions`.split(
    /\s+/,
  ),
);

const RENAME: Record<string, string> = {
  isnull: 'COALESCE',
  count_big: 'count',
  newid: 'gen_random_uuid',
  newsequentialid: 'gen_random_uuid',
  rand: 'random',
  log10: 'log',
  atn2: 'atan2',
  replicate: 'repeat',
  char: 'chr',
  nchar: 'chr',
  stdev: 'stddev_samp',
  stdevp: 'stddev_pop',
  var: 'var_samp',
  varp: 'var_pop',
  grouping_id: 'grouping',
  datediff_big: 'tsql.datediff',
  unicode: 'ascii',
};

const HANDLERS: Record<string, Handler> = {
  // NULLIF compares its arguments: a column-free string first argument compares as CI_AS.
  nullif: (e, a, _x, d) => {
    need(a, 2, 'nullif');
    return { sql: `NULLIF(${emitValue(e, a[0] as Node[], d)}, ${e.nodes(a[1] as Node[], d)})` };
  },
  iif: (e, a, _x, d) => {
    need(a, 3, 'iif');
    return { sql: `(CASE WHEN ${e.nodes(a[0] as Node[], d)} THEN ${e.nodes(a[1] as Node[], d)} ELSE ${e.nodes(a[2] as Node[], d)} END)` };
  },
  cast: (e, a, _x, d) => ({ sql: castSql(e, a, d, false) }),
  try_cast: (e, a, _x, d) => ({ sql: castSql(e, a, d, true) }),
  convert: (e, a, _x, d) => ({ sql: convertSql(e, a, d, false) }),
  try_convert: (e, a, _x, d) => ({ sql: convertSql(e, a, d, true) }),
  dateadd: (e, a, _x, d) => {
    need(a, 3, 'dateadd');
    return { sql: `tsql.dateadd(${partArg(a[0] as Node[])}, ${e.nodes(a[1] as Node[], d)}, ${e.nodes(a[2] as Node[], d)})` };
  },
  datediff: (e, a, _x, d) => {
    need(a, 3, 'datediff');
    return { sql: `tsql.datediff(${partArg(a[0] as Node[])}, ${e.nodes(a[1] as Node[], d)}, ${e.nodes(a[2] as Node[], d)})` };
  },
  datepart: (e, a, _x, d) => ({ sql: `tsql.datepart(${partArg(a[0] as Node[])}, ${e.nodes(a[1] ?? [], d)})` }),
  datename: (e, a, _x, d) => ({ sql: `tsql.datename(${partArg(a[0] as Node[])}, ${e.nodes(a[1] ?? [], d)})` }),
  datetrunc: (e, a, _x, d) => ({ sql: `tsql.datetrunc(${partArg(a[0] as Node[])}, ${e.nodes(a[1] ?? [], d)})` }),
  datefromparts: (e, a, _x, d) => ({ sql: `make_date(${args(e, a, d)})` }),
  datetimefromparts: (e, a, _x, d) => {
    need(a, 7, 'datetimefromparts');
    const p = a.map((x) => e.nodes(x, d));
    return { sql: `make_timestamp(${p[0]}, ${p[1]}, ${p[2]}, ${p[3]}, ${p[4]}, ${p[5]} + ${p[6]} / 1000.0)` };
  },
  timefromparts: (e, a, _x, d) => {
    const p = a.map((x) => e.nodes(x, d));
    return { sql: `make_time(${p[0]}, ${p[1]}, ${p[2]})` };
  },
  log: (e, a, _x, d) =>
    a.length === 2 ? { sql: `log(${e.nodes(a[1] as Node[], d)}, ${e.nodes(a[0] as Node[], d)})` } : { sql: `ln(${args(e, a, d)})` },
  square: (e, a, _x, d) => ({ sql: `power(${args(e, a, d)}, 2)` }),
  space: (e, a, _x, d) => ({ sql: `repeat(' ', ${args(e, a, d)})` }),
  stuff: (e, a, _x, d) => {
    need(a, 4, 'stuff');
    const [s, st, len, ins] = a.map((x) => e.nodes(x, d));
    return { sql: `overlay(${s} placing ${ins} from ${st} for ${len})` };
  },
  choose: (e, a, _x, d) => ({
    sql: `(ARRAY[${a
      .slice(1)
      .map((x) => e.nodes(x, d))
      .join(', ')}])[${e.nodes(a[0] as Node[], d)}]`,
  }),
  format: (e, a, _x, d) => ({ sql: formatCall(e, a, d) }),
  string_agg: (e, a, after, d) => {
    need(a, 2, 'string_agg');
    const value = `(${e.nodes(a[0] as Node[], d)})::text`;
    const sep = e.nodes(a[1] as Node[], d);
    const g = after[2];
    if (word(after[0]) === 'WITHIN' && word(after[1]) === 'GROUP' && isGroup(g)) {
      return { sql: `string_agg(${value}, ${sep} ${e.nodes(g.items, d + 1)})`, consumedAfter: 3 };
    }
    return { sql: `string_agg(${value}, ${sep})` };
  },
  count: (e, a, after, d) => {
    const call = `count${e.group(groupOf(a), d)}`;
    if (word(after[0]) === 'OVER' && isGroup(after[1]))
      return { sql: `CAST(${call} OVER ${e.group(after[1], d)} AS integer)`, consumedAfter: 2 };
    return { sql: `CAST(${call} AS integer)` };
  },
  patindex: (e, a, _x, d) => {
    need(a, 2, 'patindex');
    const pat = (a[0] as Node[])[0];
    if (pat?.kind !== 'string' || (a[0] as Node[]).length !== 1)
      throw new TsqlError(40016, 'PATINDEX in the sandbox needs a literal pattern.');
    const anchored = likeToRegex(pat.value);
    const regex = anchored.replace(/^\^(\.\*)?/, '').replace(/(\.\*)?\$$/, '');
    const lead = pat.value.startsWith('%') ? '' : '^';
    const trail = pat.value.endsWith('%') ? '' : '$';
    return { sql: `regexp_instr((${e.nodes(a[1] as Node[], d)}) COLLATE "default", ${quoteLiteral(lead + regex + trail)}, 1, 1, 0, 'i')` };
  },
  openjson: (e, a, after, d) => {
    const source = `tsql.openjson(${args(e, a, d)})`;
    const defs = after[1];
    if (word(after[0]) !== 'WITH' || !isGroup(defs)) return { sql: source };
    const cols = splitCommas(defs.items).map((def) => {
      const name = def[0] as Token;
      const t = mapType(def.slice(1), true);
      if (!t) throw syntaxError(nodeText(def[1]));
      const rest = def.slice(1 + t.consumed);
      const path = rest[0]?.kind === 'string' ? rest[0].value : `$.${name.value}`;
      const asJson = rest.some((n) => word(n) === 'JSON');
      const value = asJson
        ? `tsql.json_query(tsql_j.value, ${quoteLiteral(path)})`
        : `CAST(tsql.json_value(tsql_j.value, ${quoteLiteral(path)}) AS ${t.pgCast})`;
      e.ctx.spellings.set(name.value.toLowerCase(), name.value);
      return `${value} AS ${quoteIdent(name.value)}`;
    });
    return { sql: `(SELECT ${cols.join(', ')} FROM ${source} AS tsql_j)`, consumedAfter: 2 };
  },
  openrowset: () => external('OPENROWSET'),
  opendatasource: () => external('OPENDATASOURCE'),
  openquery: () => external('OPENQUERY'),
  openxml: () => external('OPENXML'),
  db_name: (e) => ({ sql: quoteLiteral(e.ctx.database) }),
  db_id: () => ({ sql: '5' }),
  // sql_variant in SQL Server; the sandbox returns the value as nvarchar (text).
  session_context: (e, a, _x, d) => {
    need(a, 1, 'session_context');
    return { sql: `tsql.session_context((${e.nodes(a[0] as Node[], d)})::text)` };
  },
  suser_sname: (e) => ({ sql: quoteLiteral(e.ctx.login.user) }),
  suser_name: (e) => ({ sql: quoteLiteral(e.ctx.login.user) }),
  original_login: (e) => ({ sql: quoteLiteral(e.ctx.login.user) }),
  user_name: (e) => ({ sql: quoteLiteral(userName(e.ctx.login)) }),
  current_user: (e) => ({ sql: quoteLiteral(userName(e.ctx.login)) }),
  user_id: () => ({ sql: '1' }),
  host_name: () => ({ sql: quoteLiteral('sandbox') }),
  app_name: () => ({ sql: quoteLiteral('') }),
  error_message: () => ({ sql: 'CAST(NULL AS text)' }),
  error_number: () => ({ sql: 'CAST(NULL AS integer)' }),
  parse: (e, a, _x, d) => ({ sql: castSql(e, a, d, false) }),
  try_parse: (e, a, _x, d) => ({ sql: castSql(e, a, d, true) }),
  ...FULLTEXT_HANDLERS,
};

/** Emits a call `name(args)`, or returns undefined when the name is not a known function. */
export function emitFunction(
  e: Emitter,
  nameTok: Token,
  group: Group,
  after: readonly Node[],
  depth: number,
): { sql: string; consumedAfter: number } | undefined {
  const name = nameTok.text.toLowerCase();
  if (!group.close) throw syntaxError(nameTok.text);
  const argList = group.items.length === 0 ? [] : splitCommas(group.items);
  const handler = HANDLERS[name];
  if (handler) {
    const r = handler(e, argList, after, depth, name);
    return { sql: r.sql, consumedAfter: r.consumedAfter ?? 0 };
  }
  const renamed = RENAME[name];
  if (renamed) return { sql: `${renamed}${e.group(group, depth)}`, consumedAfter: 0 };
  if (PASS.has(name)) return { sql: `${name}${e.group(group, depth)}`, consumedAfter: 0 };
  return undefined;
}

/** Rebuilds a call's argument group from split arguments (for handlers that re-emit it whole). */
function groupOf(a: Node[][]): Group {
  const items: Node[] = [];
  a.forEach((arg, i) => {
    if (i > 0) items.push({ kind: 'punctuation', text: ',', value: ',', start: 0, end: 0 });
    items.push(...arg);
  });
  const paren = { kind: 'punctuation' as const, text: '(', value: '(', start: 0, end: 0 };
  return { kind: 'group', open: paren, close: { ...paren, text: ')', value: ')' }, items };
}

function external(name: string): never {
  throw new TsqlError(40018, `${name} is not supported by the sandbox (no linked servers or file access).`);
}

function need(a: Node[][], n: number, name: string): void {
  if (a.length < n) throw new TsqlError(174, `The ${name} function requires ${n} argument(s).`, { severity: 15 });
}

function args(e: Emitter, a: Node[][], d: number): string {
  return a.map((x) => e.nodes(x, d)).join(', ');
}

function partArg(nodes: readonly Node[]): string {
  const tok = nodes[0];
  if (nodes.length !== 1 || tok === undefined || tok.kind === 'group') throw syntaxError(tok && tok.kind !== 'group' ? tok.text : '(');
  const part = datePart(tok.kind === 'string' ? tok.value : tok.text);
  if (!part) throw new TsqlError(155, `'${tok.text}' is not a recognized datepart option.`, { severity: 15 });
  return quoteLiteral(part);
}

/**
 * TRY_CAST/TRY_CONVERT: NULL when the value does not convert. The full type text (with its length,
 * precision or scale) goes to tsql.try_cast, since a polymorphic result drops the typmod; the outer
 * CAST (of a value that already fits) gives the result column that typmod back.
 */
function lenientCast(value: string, pgCast: string): string {
  return `CAST(tsql.try_cast((${value})::text, NULL::${pgCast}, ${quoteLiteral(pgCast)}) AS ${pgCast})`;
}

/** CAST(x AS type) and TRY_CAST, with SQL Server type names. */
function castSql(e: Emitter, a: Node[][], d: number, lenient: boolean): string {
  const inner = a[0] ?? [];
  let asAt = -1;
  for (let k = inner.length - 1; k >= 0; k--)
    if (word(inner[k]) === 'AS') {
      asAt = k;
      break;
    }
  if (asAt < 0) throw syntaxError(')');
  const t = mapType(inner.slice(asAt + 1), true);
  if (!t) throw new TsqlError(243, `Type ${(inner[asAt + 1] as Token | undefined)?.text ?? ''} is not a defined system type.`);
  const value = e.nodes(inner.slice(0, asAt), d);
  return lenient ? lenientCast(value, t.pgCast) : `CAST(${value} AS ${t.pgCast})`;
}

/** CONVERT(type, x [, style]) and TRY_CONVERT; styles format dates and times as SQL Server does. */
function convertSql(e: Emitter, a: Node[][], d: number, lenient: boolean): string {
  need(a, 2, 'convert');
  const t = mapType(a[0] as Node[], true);
  if (!t) throw new TsqlError(243, `Type ${((a[0] as Node[])[0] as Token | undefined)?.text ?? ''} is not a defined system type.`);
  let value = e.nodes(a[1] as Node[], d);
  const style = a[2] ? e.nodes(a[2], d) : undefined;
  const toText = t.pgCast === 'text' || t.pgCast.startsWith('varchar') || t.pgCast.startsWith('char');
  if (style !== undefined && toText) value = `tsql.convert_style(${value}, ${style})`;
  else if (style !== undefined && ['date', 'timestamp', 'time'].some((p) => t.pgCast.startsWith(p)))
    value = `tsql.parse_style((${value})::text, ${style})`;
  return lenient ? lenientCast(value, t.pgCast) : `CAST(${value} AS ${t.pgCast})`;
}
