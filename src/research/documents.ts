import type { Catalog, CatalogTable, ResultColumn } from '../db/types.ts';
import { isTableNamed, qualifiedName } from './identifiers.ts';

/** `20000` → `20 000` (a space groups thousands: unambiguous in every locale). */
export function formatCount(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

/** The `list tables` title: `sales.Orders — 20 000 rows — One row per order.` */
export function tableTitle(table: CatalogTable): string {
  const parts = [qualifiedName(table)];
  if (table.kind === 'view') parts.push('view');
  else if (table.rowCount !== undefined) parts.push(`${formatCount(table.rowCount)} row${table.rowCount === 1 ? '' : 's'}`);
  if (table.description) parts.push(table.description);
  return parts.join(' — ');
}

/**
 * The table document `describe` and `fetch(table:…)` return: everything a model needs to write a
 * correct query — columns with types, nullability and descriptions, keys, relationships both ways,
 * indexes and the row count.
 */
export function tableDocument(table: CatalogTable, catalog: Catalog): string {
  const lines: string[] = [
    `${qualifiedName(table)} (${table.kind}${table.rowCount === undefined ? '' : `, ${formatCount(table.rowCount)} rows`})`,
  ];
  if (table.description) lines.push(table.description);
  lines.push('', 'Columns:');
  const pk = new Set(table.primaryKey.map((c) => c.toLowerCase()));
  for (const c of table.columns) {
    const fk = table.foreignKeys.find((f) => f.columns.length === 1 && f.columns[0]?.toLowerCase() === c.name.toLowerCase());
    const notes = [
      pk.has(c.name.toLowerCase()) ? 'primary key' : '',
      fk ? `references ${fk.refSchema}.${fk.refTable}(${fk.refColumns.join(', ')})` : '',
    ]
      .filter(Boolean)
      .join(', ');
    lines.push(
      `- ${c.name} ${c.type} ${c.nullable ? 'NULL' : 'NOT NULL'}${notes ? ` (${notes})` : ''}${c.description ? ` — ${c.description}` : ''}`,
    );
  }
  if (table.primaryKey.length > 0) lines.push('', `Primary key: ${table.primaryKey.join(', ')}`);
  if (table.foreignKeys.length > 0) {
    lines.push('', 'Foreign keys:');
    for (const f of table.foreignKeys)
      lines.push(`- ${f.name}: (${f.columns.join(', ')}) → ${f.refSchema}.${f.refTable} (${f.refColumns.join(', ')})`);
  }
  const referencedBy = catalog.tables.flatMap((t) =>
    t.foreignKeys
      .filter((f) => isTableNamed(table, f.refSchema, f.refTable))
      .map((f) => `- ${qualifiedName(t)} (${f.columns.join(', ')}) via ${f.name}`),
  );
  if (referencedBy.length > 0) lines.push('', 'Referenced by:', ...referencedBy);
  if (table.indexes.length > 0) {
    lines.push('', 'Indexes:');
    for (const i of table.indexes) {
      const flags = [i.primaryKey ? 'primary key' : '', i.unique ? 'unique' : ''].filter(Boolean).join(', ');
      lines.push(`- ${i.name}${flags ? ` (${flags})` : ''}: ${i.columns.join(', ')}`);
    }
  }
  return lines.join('\n');
}

/** A value as text for documents and tables: NULL spelled out, objects as JSON. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/** One row as `column: value` lines, each value cut at `maxValueChars`. */
export function rowDocument(columns: readonly Pick<ResultColumn, 'name'>[], values: readonly unknown[], maxValueChars = 4_000): string {
  return columns.map((c, i) => `${c.name}: ${clip(valueText(values[i]), maxValueChars)}`).join('\n');
}

/** A one-line summary of a row for search snippets. */
export function rowSummary(columns: readonly Pick<ResultColumn, 'name'>[], values: readonly unknown[], maxChars = 200): string {
  return clip(columns.map((c, i) => `${c.name}: ${valueText(values[i]).replace(/\s+/g, ' ')}`).join(' | '), maxChars);
}

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

const cell = (value: unknown, max: number): string =>
  clip(
    valueText(value)
      .replace(/\r?\n|\r/g, ' ')
      .replace(/\|/g, '\\|'),
    max,
  );

/** A result set as a Markdown table (pipes escaped, line breaks flattened, long cells cut). */
export function resultTable(
  columns: readonly Pick<ResultColumn, 'name'>[],
  rows: readonly (readonly unknown[])[],
  maxCellChars = 500,
): string {
  const header = `| ${columns.map((c) => cell(c.name, maxCellChars)).join(' | ')} |`;
  const rule = `| ${columns.map(() => '---').join(' | ')} |`;
  return [header, rule, ...rows.map((r) => `| ${columns.map((_, i) => cell(r[i], maxCellChars)).join(' | ')} |`)].join('\n');
}
