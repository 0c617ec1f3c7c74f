import type { SqlType, SqlTypeName } from '../../backend.ts';
import { isGroup, splitCommas, type Node } from './tree.ts';

/** A T-SQL data type as declared, with the PostgreSQL type that stores it. */
export interface MappedType {
  sql: SqlType;
  /** PostgreSQL type text, e.g. `varchar(50) COLLATE tsql_ci`. */
  pg: string;
  /** The PostgreSQL type without collation, usable in casts. */
  pgCast: string;
  /** Number of nodes consumed from the input. */
  consumed: number;
}

/** The case-insensitive collation every character column uses (SQL Server's default is CI_AS). */
export const CI = 'tsql_ci';

const STRING_TYPES = new Set(['char', 'varchar', 'nchar', 'nvarchar', 'text', 'ntext', 'sysname', 'xml']);

/**
 * Reads a type at `nodes[0]` (`int`, `nvarchar(50)`, `decimal(18, 2)`, `varchar(max)`, `sysname`),
 * or returns undefined when it is not a type SQL Server knows.
 */
export function mapType(nodes: readonly Node[], castContext = false): MappedType | undefined {
  const head = nodes[0];
  if (head === undefined || head.kind === 'group' || (head.kind !== 'word' && head.kind !== 'bracket_identifier')) return undefined;
  let name = head.value.toLowerCase();
  let consumed = 1;
  if (name === 'double' && nodes[1]?.kind === 'word' && nodes[1].text.toLowerCase() === 'precision') {
    name = 'float';
    consumed = 2;
  }
  const argNode = nodes[consumed];
  const args: string[] = [];
  if (isGroup(argNode)) {
    for (const part of splitCommas(argNode.items))
      args.push(
        part
          .map((n) => (n.kind === 'group' ? '' : n.text))
          .join('')
          .toLowerCase(),
      );
    consumed++;
  }
  const num = (i: number, dflt: number): number => {
    const v = args[i];
    return v === undefined || v === '' ? dflt : Number(v);
  };
  const isMax = args[0] === 'max';
  const built = (sqlName: SqlTypeName, pgCast: string, extra: Partial<SqlType> = {}): MappedType => {
    const sql: SqlType = { name: sqlName, ...extra };
    const pg = STRING_TYPES.has(sqlName) && sqlName !== 'xml' ? `${pgCast} COLLATE ${CI}` : pgCast;
    return { sql, pg, pgCast, consumed };
  };
  switch (name) {
    case 'bit':
      return built('bit', 'boolean');
    case 'tinyint':
      return built('tinyint', 'smallint');
    case 'smallint':
      return built('smallint', 'smallint');
    case 'int':
    case 'integer':
      return built('int', 'integer');
    case 'bigint':
      return built('bigint', 'bigint');
    case 'decimal':
    case 'numeric':
    case 'dec': {
      const p = num(0, 18);
      const s = num(1, 0);
      return built(name === 'numeric' ? 'numeric' : 'decimal', `numeric(${p},${s})`, { precision: p, scale: s });
    }
    case 'money':
      return built('money', 'numeric(19,4)', { precision: 19, scale: 4 });
    case 'smallmoney':
      return built('smallmoney', 'numeric(10,4)', { precision: 10, scale: 4 });
    case 'float':
      return num(0, 53) <= 24 ? built('real', 'real') : built('float', 'double precision');
    case 'real':
      return built('real', 'real');
    case 'char':
    case 'nchar':
    case 'character': {
      const n = num(0, castContext ? 30 : 1);
      return built(name === 'nchar' ? 'nchar' : 'char', `char(${n})`, { length: n });
    }
    case 'varchar':
    case 'nvarchar': {
      const sqlName = name as SqlTypeName;
      if (isMax) return built(sqlName, 'text', { length: 'max' });
      const n = num(0, castContext ? 30 : 1);
      return built(sqlName, `varchar(${n})`, { length: n });
    }
    case 'sysname':
      return { ...built('nvarchar', 'varchar(128)', { length: 128 }), pg: `varchar(128) COLLATE ${CI}` };
    case 'text':
    case 'ntext':
      return built(name, 'text');
    case 'xml':
      return built('xml', 'text');
    case 'date':
      return built('date', 'date');
    case 'time':
      return built('time', `time(${Math.min(num(0, 7), 6)})`, { scale: num(0, 7) });
    case 'datetime':
      return built('datetime', 'timestamp(3)');
    case 'smalldatetime':
      return built('smalldatetime', 'timestamp(0)');
    case 'datetime2':
      return built('datetime2', `timestamp(${Math.min(num(0, 7), 6)})`, { scale: num(0, 7) });
    case 'datetimeoffset':
      return built('datetimeoffset', `timestamptz(${Math.min(num(0, 7), 6)})`, { scale: num(0, 7) });
    case 'uniqueidentifier':
      return built('uniqueidentifier', 'uuid');
    case 'binary':
      return built('binary', 'bytea', { length: num(0, castContext ? 30 : 1) });
    case 'varbinary':
      return built('varbinary', 'bytea', { length: isMax ? 'max' : num(0, castContext ? 30 : 1) });
    case 'image':
      return built('varbinary', 'bytea', { length: 'max' });
    case 'rowversion':
    case 'timestamp':
      return built('binary', 'bytea', { length: 8 });
    case 'sql_variant':
      return built('nvarchar', 'text', { length: 'max' });
    default:
      return undefined;
  }
}

/** `sys.columns.max_length` for a declared type: bytes, -1 for the max types. */
export function maxLength(t: SqlType): number {
  switch (t.name) {
    case 'bit':
    case 'tinyint':
      return 1;
    case 'smallint':
      return 2;
    case 'int':
    case 'real':
    case 'smallmoney':
    case 'smalldatetime':
      return 4;
    case 'bigint':
    case 'float':
    case 'money':
    case 'datetime':
      return 8;
    case 'decimal':
    case 'numeric': {
      const p = t.precision ?? 18;
      return p <= 9 ? 5 : p <= 19 ? 9 : p <= 28 ? 13 : 17;
    }
    case 'date':
      return 3;
    case 'time':
      return (t.scale ?? 7) <= 2 ? 3 : (t.scale ?? 7) <= 4 ? 4 : 5;
    case 'datetime2':
      return (t.scale ?? 7) <= 2 ? 6 : (t.scale ?? 7) <= 4 ? 7 : 8;
    case 'datetimeoffset':
      return (t.scale ?? 7) <= 2 ? 8 : (t.scale ?? 7) <= 4 ? 9 : 10;
    case 'uniqueidentifier':
      return 16;
    case 'text':
    case 'ntext':
      return 16;
    case 'xml':
      return -1;
    case 'nchar':
    case 'nvarchar':
      return t.length === 'max' ? -1 : (t.length ?? 1) * 2;
    default:
      return t.length === 'max' ? -1 : (t.length ?? 1);
  }
}

const CAST_CALLS = new Set(['CAST', 'TRY_CAST', 'CONVERT', 'TRY_CONVERT']);

/**
 * The SQL Server type of an expression that is exactly one CAST/CONVERT/TRY_CAST/TRY_CONVERT call,
 * else undefined. PostgreSQL has no tinyint, money, char-vs-nchar, datetime or binary(n), so the
 * result column's PostgreSQL type alone cannot tell SQL Server's declared type back.
 */
export function castTarget(nodes: readonly Node[]): SqlType | undefined {
  const [head, args] = nodes;
  if (nodes.length !== 2 || head?.kind !== 'word' || !CAST_CALLS.has(head.text.toUpperCase()) || !isGroup(args)) return undefined;
  let typeNodes: Node[] | undefined;
  if (head.text.toUpperCase().endsWith('CAST')) {
    const items = args.items;
    let asAt = -1;
    for (let k = items.length - 1; k >= 0; k--) {
      const n = items[k];
      if (n?.kind === 'word' && n.text.toUpperCase() === 'AS') {
        asAt = k;
        break;
      }
    }
    if (asAt > 0) typeNodes = items.slice(asAt + 1);
  } else {
    typeNodes = splitCommas(args.items)[0];
  }
  const t = typeNodes ? mapType(typeNodes, true) : undefined;
  return t && t.consumed === typeNodes?.length ? t.sql : undefined;
}
