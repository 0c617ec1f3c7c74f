/**
 * The shape of the sample database's schema as data, so the same description produces the DDL,
 * the `MS_Description` comments, the INSERT literals and the tests' checks.
 */

/** One column. `type` is written exactly as in T-SQL (`nvarchar(100)`, `decimal(12,2)`). */
export interface ColumnDef {
  name: string;
  type: string;
  nullable?: boolean;
  /** Becomes an `MS_Description` extended property on the column. */
  description?: string;
}

export interface ForeignKeyDef {
  name: string;
  columns: string[];
  references: { schema: string; table: string; columns: string[] };
}

export interface IndexDef {
  name: string;
  columns: string[];
  unique?: boolean;
  include?: string[];
}

export interface TableDef {
  schema: string;
  name: string;
  /** Becomes the table's `MS_Description`. */
  description: string;
  columns: ColumnDef[];
  primaryKey: { name: string; columns: string[] };
  foreignKeys?: ForeignKeyDef[];
  indexes?: IndexDef[];
  /**
   * A full-text index on these text columns, keyed by the primary key (which must then be one
   * non-null column, as SQL Server requires of a KEY INDEX), in the sample's full-text catalog.
   */
  fullText?: { columns: string[] };
}

export interface ViewDef {
  schema: string;
  name: string;
  description: string;
  /** The SELECT after `CREATE VIEW schema.name AS`. */
  select: string;
}

/**
 * A value handed to the INSERT writer; the column's type decides the literal:
 * strings for text, dates ('YYYY-MM-DD'), date-times ('YYYY-MM-DDTHH:MM:SS'), times and GUIDs;
 * numbers for integers, decimals and floats; booleans for bit; bytes for varbinary.
 */
export type RowValue = string | number | boolean | null | Uint8Array;

/** Shorthand for a column definition; `null` description leaves the column undocumented. */
export function col(name: string, type: string, description: string | null, nullable = false): ColumnDef {
  return { name, type, ...(nullable ? { nullable } : {}), ...(description === null ? {} : { description }) };
}
