import type { SqlType } from '../../backend.ts';
import { quoteLiteral } from './context.ts';
import { maxLength } from './types.ts';

/** Side-catalog SQL recording a declared name's spelling (first declaration wins). */
export function nameSql(declared: string): string {
  return `INSERT INTO tsql_meta.names VALUES (${quoteLiteral(declared.toLowerCase())}, ${quoteLiteral(declared)}) ON CONFLICT (lower_name) DO NOTHING`;
}

/** Side-catalog SQL recording a column's declared spelling and SQL Server type. */
export function columnSql(schema: string, table: string, column: string, type: SqlType | undefined): string {
  const lit = (v: number | undefined): string => (v === undefined ? 'NULL' : String(v));
  const prec = type && ['decimal', 'numeric', 'money', 'smallmoney'].includes(type.name) ? type.precision : undefined;
  const scale =
    type && ['decimal', 'numeric', 'money', 'smallmoney', 'time', 'datetime2', 'datetimeoffset'].includes(type.name)
      ? type.scale
      : undefined;
  const values = [schema.toLowerCase(), table.toLowerCase(), column.toLowerCase(), column].map(quoteLiteral).join(', ');
  return `INSERT INTO tsql_meta.columns VALUES (${values}, ${type ? quoteLiteral(type.name) : 'NULL'}, ${type ? maxLength(type) : 'NULL'}, ${lit(prec)}, ${lit(scale)})
    ON CONFLICT (schema_name, table_name, column_name) DO UPDATE SET declared_name = EXCLUDED.declared_name, type_name = EXCLUDED.type_name,
    max_length = EXCLUDED.max_length, precision = EXCLUDED.precision, scale = EXCLUDED.scale`;
}

/** Side-catalog SQL recording an object's creation (and a view's T-SQL text). */
export function objectSql(schema: string, name: string, definition?: string): string {
  return `INSERT INTO tsql_meta.objects (schema_name, object_name, definition) VALUES (${quoteLiteral(schema.toLowerCase())}, ${quoteLiteral(name.toLowerCase())}, ${definition === undefined ? 'NULL' : quoteLiteral(definition)})
    ON CONFLICT (schema_name, object_name) DO UPDATE SET definition = EXCLUDED.definition, create_date = EXCLUDED.create_date`;
}

/** Side-catalog SQL forgetting a dropped table or view. */
export function dropObjectSql(schema: string, name: string): string {
  const s = quoteLiteral(schema.toLowerCase());
  const n = quoteLiteral(name.toLowerCase());
  return `DELETE FROM tsql_meta.columns WHERE schema_name = ${s} AND table_name = ${n}; DELETE FROM tsql_meta.objects WHERE schema_name = ${s} AND object_name = ${n};
    DELETE FROM tsql_meta.extended_properties WHERE lower(level0name) = ${s} AND lower(level1name) = ${n}`;
}
