/**
 * The side catalog: what SQL Server knows and PostgreSQL does not (declared name spelling,
 * declared SQL Server types such as tinyint/money/datetime, MS_Description properties, view text),
 * plus helpers the sys and INFORMATION_SCHEMA views share. Keys are lower-case PostgreSQL names.
 */
export const CATALOG_META_SQL = String.raw`
CREATE SCHEMA dbo;
CREATE SCHEMA sys;
CREATE SCHEMA tsql_meta;
CREATE TABLE tsql_meta.settings (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE tsql_meta.names (lower_name text PRIMARY KEY, declared text NOT NULL);
CREATE TABLE tsql_meta.columns (
  schema_name text NOT NULL, table_name text NOT NULL, column_name text NOT NULL, declared_name text NOT NULL,
  type_name text, max_length integer, "precision" integer, scale integer,
  PRIMARY KEY (schema_name, table_name, column_name));
CREATE TABLE tsql_meta.objects (schema_name text NOT NULL, object_name text NOT NULL, create_date timestamp NOT NULL DEFAULT (statement_timestamp() AT TIME ZONE 'UTC'), definition text,
  PRIMARY KEY (schema_name, object_name));
CREATE TABLE tsql_meta.extended_properties (
  id serial PRIMARY KEY, name text NOT NULL, value text, level0type text, level0name text, level1type text, level1name text, level2type text, level2name text);
INSERT INTO tsql_meta.names VALUES ('dbo', 'dbo'), ('sys', 'sys'), ('information_schema', 'INFORMATION_SCHEMA'), ('guest', 'guest');

CREATE FUNCTION tsql.display(n text) RETURNS text LANGUAGE sql STABLE AS $$SELECT COALESCE((SELECT declared FROM tsql_meta.names WHERE lower_name = n), n)$$;
CREATE FUNCTION tsql.current_db() RETURNS text LANGUAGE sql STABLE AS $$SELECT value FROM tsql_meta.settings WHERE key = 'database'$$;
CREATE FUNCTION tsql.is_user_schema(n text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
SELECT n NOT IN ('pg_catalog', 'information_schema', 'tsql', 'tsql_meta', 'sys', 'public', 'pg_toast') AND n NOT LIKE 'pg\_%'$$;
CREATE FUNCTION tsql.created(s text, o text) RETURNS timestamp LANGUAGE sql STABLE AS $$
SELECT COALESCE((SELECT create_date FROM tsql_meta.objects WHERE schema_name = s AND object_name = o), timestamp '2024-01-01')$$;

-- The SQL Server type a PostgreSQL column type stands for, when the side catalog has no declared type.
CREATE FUNCTION tsql.pg_col_type(typid oid, typmod integer) RETURNS TABLE(type_name text, max_length integer, "precision" integer, scale integer) LANGUAGE sql IMMUTABLE AS $$
SELECT * FROM (VALUES (CASE typid
  WHEN 16 THEN 'bit' WHEN 21 THEN 'smallint' WHEN 23 THEN 'int' WHEN 20 THEN 'bigint' WHEN 1700 THEN 'decimal'
  WHEN 700 THEN 'real' WHEN 701 THEN 'float' WHEN 1042 THEN 'nchar' WHEN 1082 THEN 'date' WHEN 1083 THEN 'time'
  WHEN 1114 THEN 'datetime2' WHEN 1184 THEN 'datetimeoffset' WHEN 2950 THEN 'uniqueidentifier' WHEN 17 THEN 'varbinary'
  WHEN 26 THEN 'int' WHEN 19 THEN 'nvarchar' ELSE 'nvarchar' END,
  CASE typid WHEN 16 THEN 1 WHEN 21 THEN 2 WHEN 23 THEN 4 WHEN 26 THEN 4 WHEN 20 THEN 8 WHEN 700 THEN 4 WHEN 701 THEN 8
    WHEN 1700 THEN 17 WHEN 1082 THEN 3 WHEN 1083 THEN 5 WHEN 1114 THEN 8 WHEN 1184 THEN 10 WHEN 2950 THEN 16 WHEN 19 THEN 256
    WHEN 1042 THEN CASE WHEN typmod > 4 THEN (typmod - 4) * 2 ELSE 2 END
    WHEN 1043 THEN CASE WHEN typmod > 4 THEN (typmod - 4) * 2 ELSE -1 END ELSE -1 END,
  CASE typid WHEN 16 THEN 1 WHEN 21 THEN 5 WHEN 23 THEN 10 WHEN 26 THEN 10 WHEN 20 THEN 19 WHEN 700 THEN 24 WHEN 701 THEN 53
    WHEN 1700 THEN CASE WHEN typmod > 4 THEN ((typmod - 4) >> 16) & 65535 ELSE 38 END WHEN 1082 THEN 10 WHEN 1083 THEN 16
    WHEN 1114 THEN 27 WHEN 1184 THEN 34 ELSE 0 END,
  CASE typid WHEN 1700 THEN CASE WHEN typmod > 4 THEN (typmod - 4) & 65535 ELSE 0 END
    WHEN 1083 THEN 7 WHEN 1114 THEN 7 WHEN 1184 THEN 7 ELSE 0 END)) AS v(type_name, max_length, "precision", scale)$$;

CREATE VIEW tsql_meta.index_ids AS
SELECT i.indexrelid, i.indrelid, i.indisprimary,
  CASE WHEN i.indisprimary THEN 1 ELSE 1 + row_number() OVER (PARTITION BY i.indrelid, i.indisprimary ORDER BY i.indexrelid) END::int AS index_id
FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE tsql.is_user_schema(n.nspname);
`;
