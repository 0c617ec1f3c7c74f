import type { Catalog, CatalogColumn, CatalogTable } from '../db/types.ts';

/** T-SQL `QUOTENAME`: bracket-quotes an identifier, doubling `]`. Only ever applied to catalog names. */
export function quoteName(name: string): string {
  return `[${name.replace(/]/g, ']]')}]`;
}

/**
 * A catalog column as a select-list item under its own name. An `xml` column is read as
 * `CAST(… AS nvarchar(max))`: SET TEXTSIZE, and so MAX_CELL_BYTES, bounds that on the server, never
 * an xml value (the executor refuses a result with xml columns before reading a row).
 */
export function selectColumn(column: Pick<CatalogColumn, 'name' | 'type'>): string {
  const name = quoteName(column.name);
  return column.type === 'xml' ? `CAST(${name} AS nvarchar(max)) AS ${name}` : name;
}

export function qualifiedName(table: Pick<CatalogTable, 'schema' | 'name'>): string {
  return `${table.schema}.${table.name}`;
}

/** Whether `table` is the one named `schema.name` (a foreign key's target), compared case-insensitively as SQL Server does. */
export function isTableNamed(table: Pick<CatalogTable, 'schema' | 'name'>, schema: string, name: string): boolean {
  return table.schema.toLowerCase() === schema.toLowerCase() && table.name.toLowerCase() === name.toLowerCase();
}

export function quotedTable(table: Pick<CatalogTable, 'schema' | 'name'>): string {
  return `${quoteName(table.schema)}.${quoteName(table.name)}`;
}

/**
 * Splits a user-written table reference into its parts, honouring `[...]` and `"..."` quoting:
 * `[sales].[Orders]`, `sales.orders`, `"sales"."Order Lines"`, `Orders`. A three-part name drops
 * its database. Returns undefined for text that is not a name.
 */
export function splitTableReference(text: string): string[] | undefined {
  const parts: string[] = [];
  let i = 0;
  const s = text.trim();
  while (i < s.length) {
    const ch = s[i];
    let part = '';
    if (ch === '[' || ch === '"') {
      const close = ch === '[' ? ']' : '"';
      i++;
      for (;;) {
        if (i >= s.length) return undefined;
        if (s[i] === close) {
          if (s[i + 1] === close) {
            part += close;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        part += s[i];
        i++;
      }
    } else {
      const m = /^[^.[\]"]+/.exec(s.slice(i));
      if (!m) return undefined;
      part = m[0].trim();
      i += m[0].length;
    }
    if (!part) return undefined;
    parts.push(part);
    if (i < s.length) {
      if (s[i] !== '.') return undefined;
      i++;
      if (i >= s.length) return undefined;
    }
  }
  if (parts.length === 0 || parts.length > 3) return undefined;
  return parts.slice(-2);
}

export type TableResolution =
  | { ok: true; table: CatalogTable }
  | { ok: false; reason: 'not_found' | 'ambiguous' | 'invalid'; candidates: CatalogTable[] };

/**
 * Finds a catalog table from a user reference, case-insensitively (SQL Server's default
 * collation): an exact `schema.name`, or a bare name when exactly one schema has it.
 */
export function resolveTable(catalog: Catalog, reference: string): TableResolution {
  const parts = splitTableReference(reference);
  if (!parts) return { ok: false, reason: 'invalid', candidates: [] };
  const lower = parts.map((p) => p.toLowerCase());
  const name = lower[lower.length - 1];
  const schema = lower.length === 2 ? lower[0] : undefined;
  const matches = catalog.tables.filter(
    (t) => t.name.toLowerCase() === name && (schema === undefined || t.schema.toLowerCase() === schema),
  );
  const [first] = matches;
  if (matches.length === 1 && first) return { ok: true, table: first };
  if (matches.length > 1) {
    const dbo = matches.find((t) => t.schema.toLowerCase() === 'dbo');
    if (dbo && schema === undefined) return { ok: true, table: dbo };
    return { ok: false, reason: 'ambiguous', candidates: matches };
  }
  return { ok: false, reason: 'not_found', candidates: [] };
}
