/**
 * The fixed SQL the connector itself runs to learn the database's shape and its own privileges.
 *
 * These statements are part of a contract with the sandbox (`sandbox/engine/`), which must answer
 * them from its emulated `sys.*` views exactly as SQL Server does, so they stay deliberately plain:
 * inner joins, simple predicates, no CTEs, no window functions, one statement each, and only the
 * catalog columns named below. Each is run as its own request (no batching), without parameters.
 *
 * `sys.dm_db_partition_stats` is not used: the sandbox has no DMVs and a `db_datareader` login may
 * lack VIEW DATABASE STATE on a real server; `sys.partitions` gives the same row counts.
 */
import { PRIVILEGES_SQL } from './privileges-query.ts';

/** The current database's name. Columns: `database_name`. */
export const DATABASE_NAME_SQL = `SELECT DB_NAME() AS database_name`;

/**
 * User tables and views. Columns: `object_id` (int), `schema_name`, `object_name`,
 * `object_type` (`'U'` or `'V'`, char(2) padded on SQL Server — trim before comparing).
 */
export const OBJECTS_SQL = `SELECT o.object_id, s.name AS schema_name, o.name AS object_name, o.type AS object_type
FROM sys.objects AS o
INNER JOIN sys.schemas AS s ON s.schema_id = o.schema_id
WHERE o.type IN ('U', 'V')
ORDER BY s.name, o.name`;

/**
 * Columns of tables and views, in declaration order. Columns: `object_id`, `column_id`,
 * `column_name`, `type_name` (`nvarchar`, `decimal`, …), `max_length` (bytes; -1 for max),
 * `precision`, `scale`, `is_nullable` (bit).
 */
export const COLUMNS_SQL = `SELECT c.object_id, c.column_id, c.name AS column_name, t.name AS type_name,
  c.max_length, c.precision, c.scale, c.is_nullable
FROM sys.columns AS c
INNER JOIN sys.types AS t ON t.user_type_id = c.user_type_id
INNER JOIN sys.objects AS o ON o.object_id = c.object_id
WHERE o.type IN ('U', 'V')
ORDER BY c.object_id, c.column_id`;

/**
 * Key columns of every index (included columns have `key_ordinal` 0 and are left out). Columns:
 * `object_id`, `index_id`, `index_name`, `is_unique` (bit), `is_primary_key` (bit),
 * `key_ordinal`, `column_name`.
 */
export const INDEXES_SQL = `SELECT i.object_id, i.index_id, i.name AS index_name, i.is_unique, i.is_primary_key,
  ic.key_ordinal, c.name AS column_name
FROM sys.indexes AS i
INNER JOIN sys.index_columns AS ic ON ic.object_id = i.object_id AND ic.index_id = i.index_id
INNER JOIN sys.columns AS c ON c.object_id = ic.object_id AND c.column_id = ic.column_id
INNER JOIN sys.objects AS o ON o.object_id = i.object_id
WHERE o.type IN ('U', 'V') AND ic.key_ordinal > 0
ORDER BY i.object_id, i.index_id, ic.key_ordinal`;

/**
 * Foreign keys, one row per column pair. Columns: `fk_name`, `parent_object_id`,
 * `constraint_column_id`, `column_name`, `ref_schema`, `ref_table`, `ref_column`.
 */
export const FOREIGN_KEYS_SQL = `SELECT fk.name AS fk_name, fk.parent_object_id, fkc.constraint_column_id,
  pc.name AS column_name, rs.name AS ref_schema, ro.name AS ref_table, rc.name AS ref_column
FROM sys.foreign_keys AS fk
INNER JOIN sys.foreign_key_columns AS fkc ON fkc.constraint_object_id = fk.object_id
INNER JOIN sys.columns AS pc ON pc.object_id = fkc.parent_object_id AND pc.column_id = fkc.parent_column_id
INNER JOIN sys.objects AS ro ON ro.object_id = fkc.referenced_object_id
INNER JOIN sys.schemas AS rs ON rs.schema_id = ro.schema_id
INNER JOIN sys.columns AS rc ON rc.object_id = fkc.referenced_object_id AND rc.column_id = fkc.referenced_column_id
ORDER BY fk.parent_object_id, fk.name, fkc.constraint_column_id`;

/**
 * `MS_Description` extended properties on objects (`column_id` 0) and their columns. Columns:
 * `object_id`, `column_id`, `description`. The value is `sql_variant`, hence the CAST.
 */
export const DESCRIPTIONS_SQL = `SELECT ep.major_id AS object_id, ep.minor_id AS column_id,
  CAST(ep.value AS nvarchar(4000)) AS description
FROM sys.extended_properties AS ep
WHERE ep.class = 1 AND ep.name = N'MS_Description'`;

/**
 * Approximate row counts of tables (heap or clustered index partitions). Columns: `object_id`,
 * `row_count` (bigint).
 */
export const ROW_COUNTS_SQL = `SELECT p.object_id, SUM(p.rows) AS row_count
FROM sys.partitions AS p
WHERE p.index_id IN (0, 1)
GROUP BY p.object_id`;

/** The liveness probe. Columns: `ok` (int 1). */
export const PING_SQL = `SELECT 1 AS ok`;

/** What the connector's own login may do: see privileges-query.ts. */
export { PRIVILEGES_SQL };

/** Every catalog statement, for the sandbox's own conformance test. */
export const CATALOG_QUERIES: Readonly<Record<string, string>> = {
  DATABASE_NAME_SQL,
  OBJECTS_SQL,
  COLUMNS_SQL,
  INDEXES_SQL,
  FOREIGN_KEYS_SQL,
  DESCRIPTIONS_SQL,
  ROW_COUNTS_SQL,
  PING_SQL,
  PRIVILEGES_SQL,
};

/**
 * The per-query lock timeout. Every query runs as `SET LOCK_TIMEOUT <n>;\n<query>` in one batch —
 * or as the statement text of `sp_executesql` when it has parameters — inside a transaction that
 * is rolled back; the sandbox must accept both. Whole milliseconds only: the value is SQL text.
 */
export function lockTimeoutSql(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError('lock timeout must be a non-negative integer');
  return `SET LOCK_TIMEOUT ${ms}`;
}
