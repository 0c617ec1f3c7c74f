/**
 * Turns what the `mssql` driver hands back into JSON-friendly values and SQL Server type names,
 * so results can be cached, serialised and shown to a model without surprises: dates as ISO text,
 * exact numerics and bigint as strings, binary as `0x…` hex.
 */

/** The parts of an `mssql` result column that matter here (see mssql's `createColumns`). */
export interface DriverColumn {
  name: string;
  length?: number | undefined;
  precision?: number | undefined;
  scale?: number | undefined;
  nullable?: boolean | undefined;
  type?: { declaration?: string } | undefined;
}

const MAX_LENGTH = 0xffff;
const EXACT_NUMERIC = new Set(['decimal', 'numeric', 'money', 'smallmoney']);

/** The SQL Server type name with size, e.g. `nvarchar(200)`, `decimal(10,2)`, `varbinary(max)`. */
export function columnTypeName(column: DriverColumn): string {
  const name = column.type?.declaration ?? 'sql_variant';
  const length = column.length;
  switch (name) {
    case 'nvarchar':
    case 'nchar':
      if (length === undefined) return name;
      return `${name}(${length >= MAX_LENGTH || length < 0 ? 'max' : Math.floor(length / 2)})`;
    case 'varchar':
    case 'char':
    case 'varbinary':
    case 'binary':
      if (length === undefined) return name;
      return `${name}(${length >= MAX_LENGTH || length < 0 ? 'max' : length})`;
    case 'decimal':
    case 'numeric':
      return `${name}(${column.precision ?? 18},${column.scale ?? 0})`;
    case 'datetime2':
    case 'time':
    case 'datetimeoffset':
      return column.scale === undefined ? name : `${name}(${column.scale})`;
    default:
      return name;
  }
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Converts one driver value for a column of SQL Server type `typeName` (without size). */
export function toJsonValue(value: unknown, typeName: string, scale?: number): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    if (typeName === 'date') return value.toISOString().slice(0, 10);
    if (typeName === 'time') {
      const ms = value.getUTCMilliseconds();
      const base = `${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}:${pad(value.getUTCSeconds())}`;
      return ms === 0 ? base : `${base}.${pad(ms, 3)}`;
    }
    return value.toISOString();
  }
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `0x${Buffer.from(value).toString('hex').toUpperCase()}`;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return String(value);
    if (EXACT_NUMERIC.has(typeName)) {
      const digits = typeName.endsWith('money') ? 4 : scale;
      return digits !== undefined && digits >= 0 && digits <= 20 ? value.toFixed(digits) : String(value);
    }
    if (typeName === 'bigint') return String(value);
    return value;
  }
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  try {
    return JSON.parse(JSON.stringify(value)) as unknown;
  } catch {
    return String(value);
  }
}

/** The base type name of a display type: `nvarchar(200)` → `nvarchar`. */
export function baseTypeName(displayType: string): string {
  const i = displayType.indexOf('(');
  return (i < 0 ? displayType : displayType.slice(0, i)).toLowerCase();
}
