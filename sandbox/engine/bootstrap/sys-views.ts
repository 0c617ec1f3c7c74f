/**
 * SQL Server's `sys` catalog views over PostgreSQL's catalogs, with SQL Server's column names and
 * type names. object_id is the PostgreSQL OID (tables, views, constraints share one OID counter).
 */
export const SYS_VIEWS_SQL = String.raw`
CREATE VIEW sys.types AS SELECT * FROM (VALUES
  ('image'::varchar(128) COLLATE tsql.tsql_ci, 34, 34, 16, 0, 0), ('text', 35, 35, 16, 0, 0), ('uniqueidentifier', 36, 36, 16, 0, 0), ('date', 40, 40, 3, 10, 0),
  ('time', 41, 41, 5, 16, 7), ('datetime2', 42, 42, 8, 27, 7), ('datetimeoffset', 43, 43, 10, 34, 7), ('tinyint', 48, 48, 1, 3, 0),
  ('smallint', 52, 52, 2, 5, 0), ('int', 56, 56, 4, 10, 0), ('smalldatetime', 58, 58, 4, 16, 0), ('real', 59, 59, 4, 24, 0),
  ('money', 60, 60, 8, 19, 4), ('datetime', 61, 61, 8, 23, 3), ('float', 62, 62, 8, 53, 0), ('sql_variant', 98, 98, 8016, 0, 0),
  ('ntext', 99, 99, 16, 0, 0), ('bit', 104, 104, 1, 1, 0), ('decimal', 106, 106, 17, 38, 38), ('numeric', 108, 108, 17, 38, 38),
  ('smallmoney', 122, 122, 4, 10, 4), ('bigint', 127, 127, 8, 19, 0), ('varbinary', 165, 165, 8000, 0, 0), ('varchar', 167, 167, 8000, 0, 0),
  ('binary', 173, 173, 8000, 0, 0), ('char', 175, 175, 8000, 0, 0), ('timestamp', 189, 189, 8, 0, 0), ('nvarchar', 231, 231, 8000, 0, 0),
  ('nchar', 239, 239, 8000, 0, 0), ('xml', 241, 241, -1, 0, 0), ('sysname', 231, 256, 256, 0, 0)
) AS t(name, system_type_id, user_type_id, max_length, "precision", scale)
CROSS JOIN LATERAL (SELECT 4 AS schema_id, 1 AS principal_id, true AS is_nullable, false AS is_user_defined, false AS is_assembly_type, 0 AS default_object_id, 0 AS rule_object_id, false AS is_table_type,
  CASE WHEN t.name IN ('char', 'varchar', 'nchar', 'nvarchar', 'text', 'ntext', 'sysname') THEN 'SQL_Latin1_General_CP1_CI_AS' END AS collation_name) x;

CREATE VIEW sys.schemas AS
SELECT tsql.display(n.nspname)::varchar(128) COLLATE tsql.tsql_ci AS name, n.oid::int AS schema_id, 1 AS principal_id
FROM pg_namespace n WHERE tsql.is_user_schema(n.nspname) OR n.nspname IN ('sys', 'information_schema');

CREATE VIEW tsql_meta.relations AS
SELECT c.oid, c.relname, c.relkind, n.nspname, n.oid AS nspoid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'v', 'p') AND tsql.is_user_schema(n.nspname);

CREATE VIEW sys.objects AS
SELECT tsql.display(r.relname)::varchar(128) COLLATE tsql.tsql_ci AS name, r.oid::int AS object_id, NULL::int AS principal_id, r.nspoid::int AS schema_id,
  0 AS parent_object_id, (CASE r.relkind WHEN 'v' THEN 'V ' ELSE 'U ' END)::char(2) COLLATE tsql.tsql_ci AS type,
  (CASE r.relkind WHEN 'v' THEN 'VIEW' ELSE 'USER_TABLE' END)::varchar(60) COLLATE tsql.tsql_ci AS type_desc,
  tsql.created(r.nspname, r.relname) AS create_date, tsql.created(r.nspname, r.relname) AS modify_date,
  false AS is_ms_shipped, false AS is_published, false AS is_schema_published
FROM tsql_meta.relations r
UNION ALL
SELECT tsql.display(con.conname)::varchar(128) COLLATE tsql.tsql_ci, con.oid::int, NULL::int, r.nspoid::int, r.oid::int,
  (CASE con.contype WHEN 'p' THEN 'PK' WHEN 'f' THEN 'F ' WHEN 'u' THEN 'UQ' ELSE 'C ' END)::char(2) COLLATE tsql.tsql_ci,
  (CASE con.contype WHEN 'p' THEN 'PRIMARY_KEY_CONSTRAINT' WHEN 'f' THEN 'FOREIGN_KEY_CONSTRAINT' WHEN 'u' THEN 'UNIQUE_CONSTRAINT' ELSE 'CHECK_CONSTRAINT' END)::varchar(60) COLLATE tsql.tsql_ci,
  tsql.created(r.nspname, r.relname), tsql.created(r.nspname, r.relname), false, false, false
FROM pg_constraint con JOIN tsql_meta.relations r ON r.oid = con.conrelid WHERE con.contype IN ('p', 'f', 'u', 'c');
CREATE VIEW sys.all_objects AS SELECT * FROM sys.objects;

CREATE VIEW sys.tables AS
SELECT o.name, o.object_id, o.principal_id, o.schema_id, o.parent_object_id, o.type, o.type_desc, o.create_date, o.modify_date,
  o.is_ms_shipped, o.is_published, o.is_schema_published, 0 AS lob_data_space_id, NULL::int AS filestream_data_space_id,
  (SELECT max(attnum)::int FROM pg_attribute WHERE attrelid = o.object_id) AS max_column_id_used, false AS lock_on_bulk_load,
  true AS uses_ansi_nulls, false AS is_replicated, false AS has_replication_filter, false AS is_merge_published,
  false AS is_sync_tran_subscribed, false AS has_unchecked_assembly_data, 0 AS text_in_row_limit, false AS large_value_types_out_of_row,
  false AS is_tracked_by_cdc, 0::smallint AS lock_escalation, 'TABLE'::varchar(60) COLLATE tsql.tsql_ci AS lock_escalation_desc, false AS is_filetable,
  false AS is_memory_optimized, 0::smallint AS durability, 'SCHEMA_AND_DATA'::varchar(60) COLLATE tsql.tsql_ci AS durability_desc, 0::smallint AS temporal_type,
  'NON_TEMPORAL_TABLE'::varchar(60) COLLATE tsql.tsql_ci AS temporal_type_desc, NULL::int AS history_table_id, false AS is_remote_data_archive_enabled,
  false AS is_external, false AS is_node, false AS is_edge
FROM sys.objects o WHERE o.type = 'U ';

CREATE VIEW sys.views AS
SELECT o.name, o.object_id, o.principal_id, o.schema_id, o.parent_object_id, o.type, o.type_desc, o.create_date, o.modify_date,
  o.is_ms_shipped, o.is_published, o.is_schema_published, false AS is_replicated, false AS has_replication_filter,
  false AS has_opaque_metadata, false AS has_unchecked_assembly_data, false AS with_check_option, false AS is_date_correlation_view
FROM sys.objects o WHERE o.type = 'V ';

CREATE VIEW sys.columns AS
SELECT r.oid::int AS object_id, COALESCE(m.declared_name, tsql.display(a.attname))::varchar(128) COLLATE tsql.tsql_ci AS name, a.attnum::int AS column_id,
  t.system_type_id::smallint AS system_type_id, t.user_type_id AS user_type_id,
  COALESCE(m.max_length, p.max_length)::smallint AS max_length, COALESCE(m.precision, p.precision)::smallint AS precision,
  COALESCE(m.scale, p.scale)::smallint AS scale,
  CASE WHEN a.atttypid IN (25, 1043, 1042) THEN 'SQL_Latin1_General_CP1_CI_AS' END::varchar(128) COLLATE tsql.tsql_ci AS collation_name,
  NOT a.attnotnull AS is_nullable, false AS is_ansi_padded, false AS is_rowguidcol, a.attidentity <> '' AS is_identity,
  a.attgenerated <> '' AS is_computed, false AS is_filestream, false AS is_replicated, false AS is_non_sql_subscribed,
  false AS is_merge_published, false AS is_dts_replicated, false AS is_xml_document, 0 AS xml_collection_id,
  0 AS default_object_id, 0 AS rule_object_id, false AS is_sparse, false AS is_column_set, 0::smallint AS generated_always_type,
  'NOT_APPLICABLE'::varchar(60) COLLATE tsql.tsql_ci AS generated_always_type_desc, false AS is_hidden, false AS is_masked
FROM tsql_meta.relations r
JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN tsql_meta.columns m ON m.schema_name = r.nspname AND m.table_name = r.relname AND m.column_name = a.attname
CROSS JOIN LATERAL tsql.pg_col_type(a.atttypid, a.atttypmod) p
JOIN sys.types t ON t.name = COALESCE(m.type_name, p.type_name) AND t.name <> 'sysname';
CREATE VIEW sys.all_columns AS SELECT * FROM sys.columns;

CREATE VIEW sys.indexes AS
SELECT ids.indrelid::int AS object_id, tsql.display(ic.relname)::varchar(128) COLLATE tsql.tsql_ci AS name, ids.index_id,
  (CASE WHEN ids.indisprimary THEN 1 ELSE 2 END)::smallint AS type,
  (CASE WHEN ids.indisprimary THEN 'CLUSTERED' ELSE 'NONCLUSTERED' END)::varchar(60) COLLATE tsql.tsql_ci AS type_desc,
  i.indisunique AS is_unique, 1 AS data_space_id, false AS ignore_dup_key, i.indisprimary AS is_primary_key,
  EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype = 'u') AS is_unique_constraint,
  0::smallint AS fill_factor, false AS is_padded, false AS is_disabled, false AS is_hypothetical, false AS is_ignored_in_optimization,
  true AS allow_row_locks, true AS allow_page_locks, i.indpred IS NOT NULL AS has_filter,
  pg_get_expr(i.indpred, i.indrelid)::varchar(4000) COLLATE tsql.tsql_ci AS filter_definition, false AS auto_created
FROM tsql_meta.index_ids ids JOIN pg_index i ON i.indexrelid = ids.indexrelid JOIN pg_class ic ON ic.oid = i.indexrelid
UNION ALL
SELECT r.oid::int, NULL, 0, 0::smallint, 'HEAP', false, 1, false, false, false, 0::smallint, false, false, false, false, true, true, false, NULL, false
FROM tsql_meta.relations r WHERE r.relkind IN ('r', 'p') AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = r.oid AND i.indisprimary);

CREATE VIEW sys.index_columns AS
SELECT ids.indrelid::int AS object_id, ids.index_id, k.ord::int AS index_column_id, k.attnum::int AS column_id,
  (CASE WHEN k.ord <= i.indnkeyatts THEN k.ord ELSE 0 END)::smallint AS key_ordinal, 0::smallint AS partition_ordinal,
  (k.ord <= i.indnkeyatts AND (i.indoption[k.ord - 1] & 1) = 1) AS is_descending_key, k.ord > i.indnkeyatts AS is_included_column,
  0::smallint AS column_store_order_ordinal
FROM tsql_meta.index_ids ids JOIN pg_index i ON i.indexrelid = ids.indexrelid
CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord);

CREATE VIEW sys.key_constraints AS
SELECT o.name, o.object_id, o.principal_id, o.schema_id, o.parent_object_id, o.type, o.type_desc, o.create_date, o.modify_date,
  o.is_ms_shipped, o.is_published, o.is_schema_published,
  (SELECT ids.index_id FROM pg_constraint c JOIN tsql_meta.index_ids ids ON ids.indexrelid = c.conindid WHERE c.oid = o.object_id) AS unique_index_id,
  false AS is_system_named, false AS is_enforced
FROM sys.objects o WHERE o.type IN ('PK', 'UQ');

CREATE VIEW sys.foreign_keys AS
SELECT tsql.display(c.conname)::varchar(128) COLLATE tsql.tsql_ci AS name, c.oid::int AS object_id, NULL::int AS principal_id, r.nspoid::int AS schema_id,
  c.conrelid::int AS parent_object_id, 'F '::char(2) COLLATE tsql.tsql_ci AS type, 'FOREIGN_KEY_CONSTRAINT'::varchar(60) COLLATE tsql.tsql_ci AS type_desc,
  tsql.created(r.nspname, r.relname) AS create_date, tsql.created(r.nspname, r.relname) AS modify_date,
  false AS is_ms_shipped, false AS is_published, false AS is_schema_published, c.confrelid::int AS referenced_object_id,
  (SELECT ids.index_id FROM tsql_meta.index_ids ids WHERE ids.indexrelid = c.conindid) AS key_index_id,
  false AS is_disabled, false AS is_not_for_replication, false AS is_not_trusted,
  (CASE c.confdeltype WHEN 'c' THEN 1 WHEN 'n' THEN 2 WHEN 'd' THEN 3 ELSE 0 END)::smallint AS delete_referential_action,
  (CASE c.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET_NULL' WHEN 'd' THEN 'SET_DEFAULT' ELSE 'NO_ACTION' END)::varchar(60) COLLATE tsql.tsql_ci AS delete_referential_action_desc,
  (CASE c.confupdtype WHEN 'c' THEN 1 WHEN 'n' THEN 2 WHEN 'd' THEN 3 ELSE 0 END)::smallint AS update_referential_action,
  (CASE c.confupdtype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET_NULL' WHEN 'd' THEN 'SET_DEFAULT' ELSE 'NO_ACTION' END)::varchar(60) COLLATE tsql.tsql_ci AS update_referential_action_desc,
  false AS is_system_named
FROM pg_constraint c JOIN tsql_meta.relations r ON r.oid = c.conrelid WHERE c.contype = 'f';

CREATE VIEW sys.foreign_key_columns AS
SELECT c.oid::int AS constraint_object_id, k.ord::int AS constraint_column_id, c.conrelid::int AS parent_object_id,
  k.attnum::int AS parent_column_id, c.confrelid::int AS referenced_object_id, c.confkey[k.ord]::int AS referenced_column_id
FROM pg_constraint c JOIN tsql_meta.relations r ON r.oid = c.conrelid
CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord) WHERE c.contype = 'f';

CREATE VIEW sys.extended_properties AS
SELECT (CASE WHEN e.level0type IS NULL THEN 0 WHEN e.level1type IS NULL THEN 3 ELSE 1 END)::smallint AS class,
  (CASE WHEN e.level0type IS NULL THEN 'DATABASE' WHEN e.level1type IS NULL THEN 'SCHEMA' ELSE 'OBJECT_OR_COLUMN' END)::varchar(60) COLLATE tsql.tsql_ci AS class_desc,
  COALESCE(CASE WHEN e.level0type IS NULL THEN 0 WHEN e.level1type IS NULL THEN (SELECT n.oid::int FROM pg_namespace n WHERE n.nspname = e.level0name)
    ELSE (SELECT r.oid::int FROM tsql_meta.relations r WHERE r.nspname = e.level0name AND r.relname = e.level1name) END, 0) AS major_id,
  COALESCE(CASE WHEN e.level2type = 'column' THEN (SELECT a.attnum::int FROM tsql_meta.relations r JOIN pg_attribute a ON a.attrelid = r.oid
    WHERE r.nspname = e.level0name AND r.relname = e.level1name AND a.attname = e.level2name) END, 0) AS minor_id,
  e.name::varchar(128) COLLATE tsql.tsql_ci AS name, e.value::text AS value
FROM tsql_meta.extended_properties e;

CREATE VIEW sys.partitions AS
SELECT ((i.object_id::bigint << 16) + i.index_id) AS partition_id, i.object_id, i.index_id, 1 AS partition_number,
  ((i.object_id::bigint << 16) + i.index_id) AS hobt_id, tsql.row_count(i.object_id::oid) AS rows, 0::smallint AS filestream_filegroup_id,
  0::smallint AS data_compression, 'NONE'::varchar(60) COLLATE tsql.tsql_ci AS data_compression_desc
FROM sys.indexes i JOIN tsql_meta.relations r ON r.oid = i.object_id::oid WHERE r.relkind IN ('r', 'p');

CREATE VIEW sys.dm_db_partition_stats AS
SELECT p.partition_id, p.object_id, p.index_id, p.partition_number, (pg_relation_size(p.object_id::oid) / 8192)::bigint AS in_row_data_page_count,
  0::bigint AS lob_used_page_count, (pg_relation_size(p.object_id::oid) / 8192)::bigint AS used_page_count,
  (pg_relation_size(p.object_id::oid) / 8192)::bigint AS reserved_page_count, p.rows AS row_count
FROM sys.partitions p;

CREATE VIEW sys.sql_modules AS
SELECT r.oid::int AS object_id, o.definition::text AS definition, true AS uses_ansi_nulls, true AS uses_quoted_identifier,
  false AS is_schema_bound, false AS uses_database_collation, false AS is_recompiled, false AS null_on_null_input
FROM tsql_meta.objects o JOIN tsql_meta.relations r ON r.nspname = o.schema_name AND r.relname = o.object_name WHERE o.definition IS NOT NULL;
CREATE VIEW sys.all_sql_modules AS SELECT * FROM sys.sql_modules;

CREATE VIEW sys.databases AS
SELECT d.name::varchar(128) COLLATE tsql.tsql_ci AS name, d.database_id, NULL::int AS source_database_id, timestamp '2024-01-01' AS create_date,
  160::smallint AS compatibility_level, 'SQL_Latin1_General_CP1_CI_AS'::varchar(128) COLLATE tsql.tsql_ci AS collation_name, 0::smallint AS user_access,
  'MULTI_USER'::varchar(60) COLLATE tsql.tsql_ci AS user_access_desc, false AS is_read_only, 0::smallint AS state, 'ONLINE'::varchar(60) COLLATE tsql.tsql_ci AS state_desc,
  3::smallint AS recovery_model, 'SIMPLE'::varchar(60) COLLATE tsql.tsql_ci AS recovery_model_desc
FROM (SELECT 'master', 1 UNION ALL SELECT 'tempdb', 2 UNION ALL SELECT 'model', 3 UNION ALL SELECT 'msdb', 4 UNION ALL SELECT tsql.current_db(), 5) AS d(name, database_id);
`;
