import type { Catalog, CatalogColumn, CatalogTable } from './types.ts';

/** Rows of the catalog statements in `catalog-queries.ts`, as the driver returns them (objects keyed by column). */
export interface CatalogRows {
  database: string;
  objects: Record<string, unknown>[];
  columns: Record<string, unknown>[];
  indexes: Record<string, unknown>[];
  foreignKeys: Record<string, unknown>[];
  descriptions: Record<string, unknown>[];
  rowCounts: Record<string, unknown>[];
}

const TEXT_TYPES = new Set(['char', 'varchar', 'nchar', 'nvarchar', 'text', 'ntext', 'sysname']);
const WIDE_TYPES = new Set(['nchar', 'nvarchar']);
const SIZED_TYPES = new Set(['char', 'varchar', 'nchar', 'nvarchar', 'binary', 'varbinary']);

const str = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));
const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : Number(str(v)));
const bool = (v: unknown): boolean => v === true || v === 1 || v === '1';
const key = (objectId: unknown, columnId?: unknown): string => `${num(objectId)}:${columnId === undefined ? 0 : num(columnId)}`;

/** `nvarchar(200)`, `decimal(10,2)`, `varchar(max)` from `sys.columns` + `sys.types` (max_length is in bytes). */
export function displayType(typeName: string, maxLength: number, precision: number, scale: number): { type: string; chars?: number } {
  const t = typeName.toLowerCase();
  if (t === 'sysname') return { type: t, chars: 128 };
  if (SIZED_TYPES.has(t)) {
    if (maxLength === -1) return { type: `${t}(max)`, chars: -1 };
    const chars = WIDE_TYPES.has(t) ? Math.floor(maxLength / 2) : maxLength;
    return { type: `${t}(${chars})`, chars };
  }
  if (t === 'decimal' || t === 'numeric') return { type: `${t}(${precision},${scale})` };
  if (t === 'datetime2' || t === 'time' || t === 'datetimeoffset') return { type: scale === 7 ? t : `${t}(${scale})` };
  return { type: t };
}

/** Builds the catalog from the statements' rows. Pure, so it is tested without a database. */
export function assembleCatalog(rows: CatalogRows, loadedAt: number): Catalog {
  const descriptions = new Map<string, string>();
  for (const r of rows.descriptions) {
    const text = str(r.description).trim();
    if (text) descriptions.set(key(r.object_id, r.column_id), text);
  }
  const rowCounts = new Map<number, number>();
  for (const r of rows.rowCounts) rowCounts.set(num(r.object_id), num(r.row_count));

  const byId = new Map<number, CatalogTable>();
  const tables: CatalogTable[] = [];
  for (const r of rows.objects) {
    const id = num(r.object_id);
    const kind = str(r.object_type).trim().toUpperCase() === 'V' ? 'view' : 'table';
    const table: CatalogTable = {
      schema: str(r.schema_name),
      name: str(r.object_name),
      kind,
      description: descriptions.get(key(id)),
      rowCount: kind === 'table' ? rowCounts.get(id) : undefined,
      columns: [],
      primaryKey: [],
      foreignKeys: [],
      indexes: [],
    };
    byId.set(id, table);
    tables.push(table);
  }
  for (const r of rows.columns) {
    const table = byId.get(num(r.object_id));
    if (!table) continue;
    const typeName = str(r.type_name).toLowerCase();
    const shown = displayType(typeName, num(r.max_length), num(r.precision), num(r.scale));
    const column: CatalogColumn = {
      name: str(r.column_name),
      type: shown.type,
      nullable: bool(r.is_nullable),
      description: descriptions.get(key(r.object_id, r.column_id)),
      isText: TEXT_TYPES.has(typeName),
      maxLength: TEXT_TYPES.has(typeName) ? (shown.chars ?? -1) : undefined,
    };
    table.columns.push(column);
  }
  const indexes = new Map<string, { table: CatalogTable; index: CatalogTable['indexes'][number] }>();
  for (const r of rows.indexes) {
    const table = byId.get(num(r.object_id));
    if (!table) continue;
    const k = key(r.object_id, r.index_id);
    let entry = indexes.get(k);
    if (!entry) {
      entry = { table, index: { name: str(r.index_name), unique: bool(r.is_unique), primaryKey: bool(r.is_primary_key), columns: [] } };
      indexes.set(k, entry);
      table.indexes.push(entry.index);
    }
    entry.index.columns.push(str(r.column_name));
  }
  for (const { table, index } of indexes.values()) if (index.primaryKey) table.primaryKey = [...index.columns];
  const fks = new Map<string, CatalogTable['foreignKeys'][number]>();
  for (const r of rows.foreignKeys) {
    const table = byId.get(num(r.parent_object_id));
    if (!table) continue;
    const k = `${num(r.parent_object_id)}:${str(r.fk_name)}`;
    let fk = fks.get(k);
    if (!fk) {
      fk = { name: str(r.fk_name), columns: [], refSchema: str(r.ref_schema), refTable: str(r.ref_table), refColumns: [] };
      fks.set(k, fk);
      table.foreignKeys.push(fk);
    }
    fk.columns.push(str(r.column_name));
    fk.refColumns.push(str(r.ref_column));
  }
  return { database: rows.database, tables, loadedAt };
}
