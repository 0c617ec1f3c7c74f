import type { ColumnMeta, SqlType, SqlTypeName, SqlValue } from '../backend.ts';
import type { PgField } from './pg.ts';

/** What the side catalog says about a table column (declared spelling and SQL Server type). */
export interface DeclaredColumn {
  name: string;
  type?: SqlType | undefined;
  notNull: boolean;
}

/** Converts one PostgreSQL text value to the wire value for its column. */
export type Converter = (text: string) => SqlValue;

export interface ResultShape {
  columns: ColumnMeta[];
  converters: Converter[];
}

/** SQL Server type for a declared type name and sys.columns-style max_length/precision/scale. */
export function declaredType(
  typeName: string,
  maxLength: number | null,
  precision: number | null,
  scale: number | null,
): SqlType | undefined {
  const name = typeName as SqlTypeName;
  switch (typeName) {
    case 'nvarchar':
    case 'nchar':
      return { name, length: maxLength === -1 ? 'max' : Math.max(1, (maxLength ?? 2) / 2) };
    case 'varchar':
    case 'char':
    case 'varbinary':
    case 'binary':
      return { name, length: maxLength === -1 ? 'max' : Math.max(1, maxLength ?? 1) };
    case 'decimal':
    case 'numeric':
      return { name, precision: precision ?? 18, scale: scale ?? 0 };
    case 'money':
    case 'smallmoney':
      return { name, precision: typeName === 'money' ? 19 : 10, scale: 4 };
    case 'time':
    case 'datetime2':
    case 'datetimeoffset':
      return { name, scale: scale ?? 7 };
    case 'bit':
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint':
    case 'real':
    case 'float':
    case 'date':
    case 'datetime':
    case 'smalldatetime':
    case 'uniqueidentifier':
    case 'text':
    case 'ntext':
    case 'xml':
      return { name };
    default:
      return undefined;
  }
}

/** The SQL Server type that stands for a PostgreSQL type when nothing was declared. */
export function typeForOid(oid: number, typmod: number): SqlType {
  switch (oid) {
    case 16:
      return { name: 'bit' };
    case 21:
      return { name: 'smallint' };
    case 23:
    case 26:
      return { name: 'int' };
    case 20:
      return { name: 'bigint' };
    case 700:
      return { name: 'real' };
    case 701:
      return { name: 'float' };
    case 1700:
      return typmod > 4
        ? { name: 'decimal', precision: ((typmod - 4) >> 16) & 0xffff, scale: (typmod - 4) & 0xffff }
        : { name: 'decimal', precision: 38, scale: -1 };
    case 790:
      return { name: 'money' };
    case 1043:
      return typmod > 4 ? { name: 'nvarchar', length: typmod - 4 } : { name: 'nvarchar', length: 'max' };
    case 1042:
      return { name: 'nchar', length: typmod > 4 ? typmod - 4 : 1 };
    case 18:
      return { name: 'nchar', length: 1 };
    case 19:
      return { name: 'nvarchar', length: 128 };
    case 1082:
      return { name: 'date' };
    case 1083:
      return { name: 'time', scale: typmod >= 0 ? typmod : 7 };
    case 1114:
      return { name: 'datetime2', scale: typmod >= 0 ? typmod : 7 };
    case 1184:
      return { name: 'datetimeoffset', scale: typmod >= 0 ? typmod : 7 };
    case 2950:
      return { name: 'uniqueidentifier' };
    case 17:
      return { name: 'varbinary', length: 'max' };
    case 142:
      return { name: 'xml' };
    default:
      return { name: 'nvarchar', length: 'max' };
  }
}

/** Result column names that also carry the SQL Server types the translator knows, by position. */
export type TypedNames = string[] & { types?: readonly (SqlType | undefined)[] };

/**
 * Attaches the translator's CAST/CONVERT column types to the result column names, which the
 * executor hands to {@link shapeResult} unchanged when they match the result's columns.
 */
export function withTypes(names: string[] | undefined, types: readonly (SqlType | undefined)[] | undefined): TypedNames | undefined {
  if (names === undefined || types === undefined || !types.some(Boolean)) return names;
  return Object.assign([...names], { types });
}

/**
 * Whether PostgreSQL's column type is the one a CAST to `t` produces (same OID and typmod), so a
 * set operation, a lost typmod or a mistaken guess never declares a type the values do not fit.
 */
function castFits(t: SqlType, oid: number, typmod: number): boolean {
  const len = typeof t.length === 'number' ? t.length : undefined;
  switch (t.name) {
    case 'bit':
      return oid === 16;
    case 'tinyint':
    case 'smallint':
      return oid === 21;
    case 'int':
      return oid === 23;
    case 'bigint':
      return oid === 20;
    case 'real':
      return oid === 700;
    case 'float':
      return oid === 701;
    case 'decimal':
    case 'numeric':
    case 'money':
    case 'smallmoney':
      return oid === 1700 && typmod === (((t.precision ?? 18) << 16) | (t.scale ?? 0)) + 4;
    case 'char':
    case 'nchar':
      return oid === 1042 && len !== undefined && typmod === len + 4;
    case 'varchar':
    case 'nvarchar':
      return len === undefined ? oid === 25 : oid === 1043 && typmod === len + 4;
    case 'date':
      return oid === 1082;
    case 'time':
      return oid === 1083;
    case 'datetime':
      return oid === 1114 && typmod === 3;
    case 'smalldatetime':
      return oid === 1114 && typmod === 0;
    case 'datetime2':
      return oid === 1114;
    case 'datetimeoffset':
      return oid === 1184;
    case 'uniqueidentifier':
      return oid === 2950;
    case 'binary':
    case 'varbinary':
      return oid === 17;
    case 'xml':
      // The translator stores xml as text.
      return oid === 25;
    default:
      return false;
  }
}

/**
 * Builds column metadata and converters for a result, preferring the type of a top-level
 * CAST/CONVERT (when `names` carries it and PostgreSQL's type agrees), then declared table columns:
 * PostgreSQL drops a cast to the type a column already has and still names the column as the
 * field's source, where SQL Server types `CAST(xml_column AS nvarchar(max))` nvarchar(max).
 */
export function shapeResult(
  fields: readonly PgField[],
  names: readonly string[],
  declared: (f: PgField) => DeclaredColumn | undefined,
  firstRows: readonly (string | null)[][],
): ResultShape {
  const columns: ColumnMeta[] = [];
  const converters: Converter[] = [];
  const castTypes = (names as TypedNames).types;
  fields.forEach((f, idx) => {
    const d = declared(f);
    const cast = castTypes?.[idx];
    const fromCast = cast && castFits(cast, f.dataTypeID, f.dataTypeModifier) ? cast : undefined;
    let type = fromCast ?? d?.type ?? typeForOid(f.dataTypeID, f.dataTypeModifier);
    if (type.name === 'bit' && f.dataTypeID !== 16) type = typeForOid(f.dataTypeID, f.dataTypeModifier);
    if ((type.name === 'decimal' || type.name === 'numeric') && type.scale === -1) type = inferDecimal(firstRows, idx);
    columns.push({ name: names[idx] ?? f.name, type, nullable: !(d?.notNull ?? false) });
    converters.push(converterFor(f.dataTypeID, type));
  });
  return { columns, converters };
}

/** decimal(38, s) for numerics without a declared scale, s taken from the first rows (at most 12). */
function inferDecimal(rows: readonly (string | null)[][], idx: number): SqlType {
  let scale = 0;
  let intDigits = 1;
  for (const row of rows) {
    const v = row[idx];
    if (!v) continue;
    const [i = '', f = ''] = v.replace('-', '').split('.');
    scale = Math.max(scale, f.length);
    intDigits = Math.max(intDigits, i.length);
  }
  scale = Math.min(scale, 12, 38 - intDigits);
  return { name: 'decimal', precision: 38, scale: Math.max(0, scale) };
}

function converterFor(oid: number, type: SqlType): Converter {
  switch (oid) {
    case 16:
      return (t) => t === 't';
    case 21:
    case 23:
    case 26:
      return (t) => Number(t);
    case 20:
      return type.name === 'bigint' ? (t) => BigInt(t) : (t) => Number(t);
    case 700:
    case 701:
      return (t) => (t === 'Infinity' ? Infinity : t === '-Infinity' ? -Infinity : Number(t));
    case 1700:
      return (t) => fixScale(t, type.scale ?? 0);
    case 17:
      return type.name === 'binary' && typeof type.length === 'number' ? fixedBinary(type.length) : (t) => Buffer.from(t.slice(2), 'hex');
    case 1184:
      return (t) => offsetText(t);
    case 2950:
      return (t) => t.toUpperCase();
    default:
      return (t) => t;
  }
}

/** binary(n) holds exactly n bytes: SQL Server pads shorter values with zeros and truncates longer ones. */
function fixedBinary(length: number): Converter {
  return (t) => {
    const out = Buffer.alloc(length);
    Buffer.from(t.slice(2), 'hex').copy(out, 0, 0, length);
    return out;
  };
}

/** Rounds or pads a decimal string to exactly `scale` fractional digits. */
export function fixScale(text: string, scale: number): string {
  const neg = text.startsWith('-');
  const abs = neg ? text.slice(1) : text;
  const [i = '0', f = ''] = abs.split('.');
  if (f.length === scale) return text;
  if (f.length < scale) return `${neg ? '-' : ''}${i}.${f.padEnd(scale, '0')}`;
  const digits = BigInt(i + f.slice(0, scale));
  const roundUp = Number(f[scale]) >= 5;
  const rounded = (roundUp ? digits + 1n : digits).toString().padStart(scale + 1, '0');
  const out = scale === 0 ? rounded : `${rounded.slice(0, -scale)}.${rounded.slice(-scale)}`;
  return `${neg && /[1-9]/.test(out) ? '-' : ''}${out}`;
}

/** PostgreSQL prints `+00` or `+05:30`; the wire layer wants `+HH:MM`. */
function offsetText(t: string): string {
  const m = /([+-]\d{2})(:?(\d{2}))?(:\d{2})?$/.exec(t);
  if (!m) return t;
  return `${t.slice(0, m.index)}${m[1]}:${m[3] ?? '00'}`;
}
