/**
 * SQL Server's INFORMATION_SCHEMA views. PostgreSQL's own information_schema is dropped and
 * replaced, so `INFORMATION_SCHEMA.TABLES` resolves here; column names are stored lower-case and
 * shown upper-case through the side catalog.
 */
export const INFORMATION_SCHEMA_SQL = String.raw`
DROP SCHEMA information_schema CASCADE;
CREATE SCHEMA information_schema;
CREATE VIEW information_schema.schemata AS
SELECT tsql.current_db()::varchar(128) COLLATE tsql.tsql_ci AS catalog_name, s.name AS schema_name, 'dbo'::varchar(128) COLLATE tsql.tsql_ci AS schema_owner,
  NULL::varchar(128) COLLATE tsql.tsql_ci AS default_character_set_catalog, NULL::varchar(128) COLLATE tsql.tsql_ci AS default_character_set_schema, 'iso_1'::varchar(128) COLLATE tsql.tsql_ci AS default_character_set_name
FROM sys.schemas s;
CREATE VIEW information_schema.tables AS
SELECT tsql.current_db()::varchar(128) COLLATE tsql.tsql_ci AS table_catalog, s.name AS table_schema, o.name AS table_name,
  (CASE o.type WHEN 'V ' THEN 'VIEW' ELSE 'BASE TABLE' END)::varchar(10) COLLATE tsql.tsql_ci AS table_type
FROM sys.objects o JOIN sys.schemas s ON s.schema_id = o.schema_id WHERE o.type IN ('U ', 'V ');
CREATE VIEW information_schema.columns AS
SELECT tsql.current_db()::varchar(128) COLLATE tsql.tsql_ci AS table_catalog, s.name AS table_schema, o.name AS table_name, c.name AS column_name,
  c.column_id AS ordinal_position, pg_get_expr(d.adbin, d.adrelid)::varchar(4000) COLLATE tsql.tsql_ci AS column_default,
  (CASE WHEN c.is_nullable THEN 'YES' ELSE 'NO' END)::varchar(3) COLLATE tsql.tsql_ci AS is_nullable, t.name::varchar(128) COLLATE tsql.tsql_ci AS data_type,
  (CASE WHEN t.name IN ('char', 'varchar', 'binary', 'varbinary') THEN c.max_length WHEN t.name IN ('nchar', 'nvarchar') THEN CASE WHEN c.max_length = -1 THEN -1 ELSE c.max_length / 2 END
    WHEN t.name IN ('text', 'ntext', 'xml') THEN -1 END)::int AS character_maximum_length,
  (CASE WHEN t.name IN ('char', 'varchar', 'binary', 'varbinary', 'nchar', 'nvarchar') THEN c.max_length WHEN t.name IN ('text', 'ntext', 'xml') THEN -1 END)::int AS character_octet_length,
  (CASE WHEN t.name IN ('tinyint', 'smallint', 'int', 'bigint', 'decimal', 'numeric', 'money', 'smallmoney', 'real', 'float') THEN c.precision END)::smallint AS numeric_precision,
  (CASE WHEN t.name IN ('real', 'float') THEN 2 WHEN t.name IN ('tinyint', 'smallint', 'int', 'bigint', 'decimal', 'numeric', 'money', 'smallmoney') THEN 10 END)::smallint AS numeric_precision_radix,
  (CASE WHEN t.name IN ('tinyint', 'smallint', 'int', 'bigint', 'decimal', 'numeric', 'money', 'smallmoney') THEN c.scale END)::int AS numeric_scale,
  (CASE WHEN t.name IN ('datetime', 'smalldatetime', 'date') THEN CASE t.name WHEN 'datetime' THEN 3 ELSE 0 END WHEN t.name IN ('datetime2', 'time', 'datetimeoffset') THEN c.scale END)::smallint AS datetime_precision,
  NULL::varchar(128) COLLATE tsql.tsql_ci AS character_set_catalog, NULL::varchar(128) COLLATE tsql.tsql_ci AS character_set_schema,
  (CASE WHEN t.name IN ('char', 'varchar', 'text') THEN 'iso_1' WHEN t.name IN ('nchar', 'nvarchar', 'ntext') THEN 'UNICODE' END)::varchar(128) COLLATE tsql.tsql_ci AS character_set_name,
  NULL::varchar(128) COLLATE tsql.tsql_ci AS collation_catalog, NULL::varchar(128) COLLATE tsql.tsql_ci AS collation_schema, c.collation_name, NULL::varchar(128) COLLATE tsql.tsql_ci AS domain_catalog,
  NULL::varchar(128) COLLATE tsql.tsql_ci AS domain_schema, NULL::varchar(128) COLLATE tsql.tsql_ci AS domain_name
FROM sys.columns c JOIN sys.objects o ON o.object_id = c.object_id JOIN sys.schemas s ON s.schema_id = o.schema_id
JOIN sys.types t ON t.user_type_id = c.user_type_id
LEFT JOIN pg_attrdef d ON d.adrelid = c.object_id::oid AND d.adnum = c.column_id;
CREATE VIEW information_schema.views AS
SELECT tsql.current_db()::varchar(128) COLLATE tsql.tsql_ci AS table_catalog, s.name AS table_schema, v.name AS table_name,
  m.definition::varchar(4000) COLLATE tsql.tsql_ci AS view_definition, 'NONE'::varchar(7) COLLATE tsql.tsql_ci AS check_option, 'NO'::varchar(2) COLLATE tsql.tsql_ci AS is_updatable
FROM sys.views v JOIN sys.schemas s ON s.schema_id = v.schema_id LEFT JOIN sys.sql_modules m ON m.object_id = v.object_id;
CREATE VIEW information_schema.table_constraints AS
SELECT tsql.current_db()::varchar(128) COLLATE tsql.tsql_ci AS constraint_catalog, s.name AS constraint_schema, o.name AS constraint_name,
  tsql.current_db()::varchar(128) COLLATE tsql.tsql_ci AS table_catalog, s.name AS table_schema, p.name AS table_name,
  (CASE o.type WHEN 'PK' THEN 'PRIMARY KEY' WHEN 'F ' THEN 'FOREIGN KEY' WHEN 'UQ' THEN 'UNIQUE' ELSE 'CHECK' END)::varchar(11) COLLATE tsql.tsql_ci AS constraint_type,
  'NO'::varchar(2) COLLATE tsql.tsql_ci AS is_deferrable, 'NO'::varchar(2) COLLATE tsql.tsql_ci AS initially_deferred
FROM sys.objects o JOIN sys.objects p ON p.object_id = o.parent_object_id JOIN sys.schemas s ON s.schema_id = o.schema_id
WHERE o.type IN ('PK', 'F ', 'UQ', 'C ');
CREATE VIEW information_schema.key_column_usage AS
SELECT tsql.current_db()::varchar(128) COLLATE tsql.tsql_ci AS constraint_catalog, tsql.display(n.nspname)::varchar(128) COLLATE tsql.tsql_ci AS constraint_schema,
  tsql.display(c.conname)::varchar(128) COLLATE tsql.tsql_ci AS constraint_name, tsql.current_db()::varchar(128) COLLATE tsql.tsql_ci AS table_catalog,
  tsql.display(n.nspname)::varchar(128) COLLATE tsql.tsql_ci AS table_schema, tsql.display(r.relname)::varchar(128) COLLATE tsql.tsql_ci AS table_name,
  col.name AS column_name, k.ord::int AS ordinal_position
FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid JOIN pg_namespace n ON n.oid = r.relnamespace
CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
JOIN sys.columns col ON col.object_id = r.oid::int AND col.column_id = k.attnum
WHERE c.contype IN ('p', 'u', 'f') AND tsql.is_user_schema(n.nspname);
CREATE VIEW information_schema.constraint_column_usage AS
SELECT k.table_catalog, k.table_schema, k.table_name, k.column_name, k.constraint_catalog, k.constraint_schema, k.constraint_name
FROM information_schema.key_column_usage k;
CREATE VIEW information_schema.referential_constraints AS
SELECT tsql.current_db()::varchar(128) COLLATE tsql.tsql_ci AS constraint_catalog, s.name AS constraint_schema, fk.name AS constraint_name,
  tsql.current_db()::varchar(128) COLLATE tsql.tsql_ci AS unique_constraint_catalog, us.name AS unique_constraint_schema, uo.name AS unique_constraint_name,
  'SIMPLE'::varchar(7) COLLATE tsql.tsql_ci AS match_option, pg_catalog.replace(fk.update_referential_action_desc, '_', ' ')::varchar(11) COLLATE tsql.tsql_ci AS update_rule,
  pg_catalog.replace(fk.delete_referential_action_desc, '_', ' ')::varchar(11) COLLATE tsql.tsql_ci AS delete_rule
FROM sys.foreign_keys fk JOIN sys.schemas s ON s.schema_id = fk.schema_id
LEFT JOIN pg_constraint c ON c.oid = fk.object_id::oid
LEFT JOIN pg_constraint uc ON uc.conindid = c.conindid AND uc.contype IN ('p', 'u') AND uc.conrelid = c.confrelid
LEFT JOIN sys.objects uo ON uo.object_id = uc.oid::int LEFT JOIN sys.schemas us ON us.schema_id = uo.schema_id;
CREATE VIEW information_schema.routines AS
SELECT NULL::varchar(128) COLLATE tsql.tsql_ci AS specific_catalog, NULL::varchar(128) COLLATE tsql.tsql_ci AS specific_schema, NULL::varchar(128) COLLATE tsql.tsql_ci AS specific_name,
  NULL::varchar(128) COLLATE tsql.tsql_ci AS routine_catalog, NULL::varchar(128) COLLATE tsql.tsql_ci AS routine_schema, NULL::varchar(128) COLLATE tsql.tsql_ci AS routine_name,
  NULL::varchar(20) COLLATE tsql.tsql_ci AS routine_type, NULL::varchar(128) COLLATE tsql.tsql_ci AS data_type, NULL::varchar(4000) COLLATE tsql.tsql_ci AS routine_definition,
  NULL::timestamp AS created, NULL::timestamp AS last_altered WHERE false;
INSERT INTO tsql_meta.columns (schema_name, table_name, column_name, declared_name)
SELECT 'information_schema', c.relname, a.attname, upper(a.attname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 WHERE n.nspname = 'information_schema';
`;
