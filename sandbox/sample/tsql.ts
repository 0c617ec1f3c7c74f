import type { ColumnDef, RowValue, TableDef } from './model.ts';

/**
 * SQL Server caps a table value constructor at 1000 row value expressions (error 10738), so no
 * generated `INSERT … VALUES` carries more.
 */
export const MAX_ROWS_PER_INSERT = 1000;

const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED = new Set([
  'DROP',
  'UPDATE',
  'DELETE',
  'EXEC',
  'EXECUTE',
  'INSERT',
  'SELECT',
  'ORDER',
  'KEY',
  'USER',
  'GROUP',
  'TABLE',
  'INDEX',
  'VIEW',
  'DATE',
  'TIME',
]);

/** Brackets a name only when T-SQL needs it (spaces, reserved words), as a person would write it. */
export function quoteName(name: string): string {
  if (PLAIN_NAME.test(name) && !RESERVED.has(name.toUpperCase())) return name;
  return `[${name.replaceAll(']', ']]')}]`;
}

/** `schema.table` with quoting where needed. */
export function qualifiedName(schema: string, name: string): string {
  return `${quoteName(schema)}.${quoteName(name)}`;
}

/** A Unicode string literal, `N'…'`, with embedded quotes doubled. */
export function nstring(value: string): string {
  return `N'${value.replaceAll("'", "''")}'`;
}

/** A non-Unicode string literal for varchar/char columns. */
export function vstring(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function baseType(type: string): { name: string; length: number; scale: number } {
  const match = /^(\w+)\s*(?:\(\s*(\w+)\s*(?:,\s*(\d+)\s*)?\))?/.exec(type.toLowerCase());
  const name = match?.[1] ?? type.toLowerCase();
  const size = match?.[2];
  const length = size === undefined || size === 'max' ? Infinity : Number(size);
  const scale = name === 'money' || name === 'smallmoney' ? 2 : Number(match?.[3] ?? 0);
  return { name, length, scale };
}

/** SQL Server refuses over-long strings (error 2628) and silently mangles non-ASCII in varchar. */
function checkText(column: ColumnDef, value: string, length: number, unicode: boolean): string {
  if (value.length > length) throw new RangeError(`${column.name}: longer than ${length}`);
  if (!unicode && /[^\x00-\x7f]/.test(value)) throw new RangeError(`${column.name}: non-ASCII text in ${column.type}`);
  return value;
}

/** Formats one value as the literal a careful T-SQL author would write for the column's type. */
export function literal(column: ColumnDef, value: RowValue): string {
  if (value === null) {
    if (column.nullable !== true) throw new TypeError(`NULL for NOT NULL column ${column.name}`);
    return 'NULL';
  }
  const { name, length, scale } = baseType(column.type);
  switch (name) {
    case 'bit':
      return value === true || value === 1 ? '1' : '0';
    case 'tinyint':
    case 'smallint':
    case 'int':
    case 'bigint':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw new TypeError(`${column.name}: integer expected`);
      return String(value);
    case 'decimal':
    case 'numeric':
    case 'money':
    case 'smallmoney':
      if (typeof value !== 'number') throw new TypeError(`${column.name}: number expected`);
      return value.toFixed(scale);
    case 'float':
    case 'real':
      if (typeof value !== 'number') throw new TypeError(`${column.name}: number expected`);
      return String(value);
    case 'nvarchar':
    case 'nchar':
    case 'ntext':
      return nstring(checkText(column, String(value), length, true));
    case 'varbinary':
    case 'binary':
      if (!(value instanceof Uint8Array)) throw new TypeError(`${column.name}: bytes expected`);
      return `0x${Buffer.from(value).toString('hex').toUpperCase()}`;
    case 'varchar':
    case 'char':
      return vstring(checkText(column, String(value), length, false));
    default:
      return vstring(String(value));
  }
}

/** A row keyed by column name; every column of the table must be present. */
export type Row = Record<string, RowValue>;

/**
 * Yields one `INSERT INTO … (cols) VALUES (…), (…);` batch per `rowsPerInsert` rows
 * (at most {@link MAX_ROWS_PER_INSERT}). Each batch is a single statement.
 */
export function* insertBatches(table: TableDef, rows: Iterable<Row>, rowsPerInsert = MAX_ROWS_PER_INSERT): Generator<string> {
  const size = Math.max(1, Math.min(rowsPerInsert, MAX_ROWS_PER_INSERT));
  const head = `INSERT INTO ${qualifiedName(table.schema, table.name)} (${table.columns.map((c) => quoteName(c.name)).join(', ')}) VALUES\n`;
  let pending: string[] = [];
  for (const row of rows) {
    const values = table.columns.map((column) => {
      const value = row[column.name];
      if (value === undefined) throw new TypeError(`${table.schema}.${table.name}: no value for ${column.name}`);
      return literal(column, value);
    });
    pending.push(`(${values.join(', ')})`);
    if (pending.length === size) {
      yield `${head}${pending.join(',\n')};`;
      pending = [];
    }
  }
  if (pending.length > 0) yield `${head}${pending.join(',\n')};`;
}
