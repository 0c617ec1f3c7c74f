/**
 * SQL Server Full-Text Search over PostgreSQL text search: a side catalog of full-text catalogs and
 * indexes, SQL Server's catalog views over it, the property functions, and the procedures the
 * translated DDL calls. A full-text index is, as in SQL Server, a structure apart from the table:
 * `tsql_meta.ft_<table oid>` holds one row per table row — the key (`k`), the English tsvector of
 * all full-text columns (`doc`, GIN-indexed) and one tsvector per column (`cols`) — kept current
 * by statement-level triggers on the table (the sandbox populates synchronously, whatever the
 * change tracking mode). Stored vectors keep ranking cheap: no text is re-parsed at query time.
 * Errors are raised with SQLSTATE TSQLE and the message `number|severity|state|text`, which
 * pg-errors.ts turns into the SQL Server error.
 */
export const FULLTEXT_SQL = String.raw`
CREATE TABLE tsql_meta.fulltext_catalogs (
  fulltext_catalog_id serial PRIMARY KEY, name text NOT NULL, lower_name text NOT NULL UNIQUE, is_default boolean NOT NULL DEFAULT false,
  is_accent_sensitivity_on boolean NOT NULL DEFAULT true);
CREATE TABLE tsql_meta.fulltext_indexes (
  table_oid oid PRIMARY KEY, key_index_oid oid NOT NULL, fulltext_catalog_id integer NOT NULL, change_tracking char(1) NOT NULL,
  crawl_start timestamp NOT NULL DEFAULT (statement_timestamp() AT TIME ZONE 'UTC'));
CREATE TABLE tsql_meta.fulltext_index_columns (
  table_oid oid NOT NULL, attnum integer NOT NULL, ord integer NOT NULL, language_id integer NOT NULL, PRIMARY KEY (table_oid, attnum));

CREATE FUNCTION tsql.ft_fail(num integer, msg text, state integer DEFAULT 1, severity integer DEFAULT 16) RETURNS void LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION USING ERRCODE = 'TSQLE', MESSAGE = num || '|' || severity || '|' || state || '|' || msg; END$$;

-- Keeps a full-text side table current: argv[1] deletes the rows of ft_old (or all), argv[0] inserts those of ft_new.
CREATE FUNCTION tsql.ft_sync() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = tsql, pg_catalog AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE', 'TRUNCATE') THEN EXECUTE TG_ARGV[1]; END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN EXECUTE TG_ARGV[0]; END IF;
  RETURN NULL;
END$$;

-- Creates and fills the side table of a full-text index, and the triggers that keep it current.
CREATE FUNCTION tsql.ft_build(rel oid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE side text := format('tsql_meta.%I', 'ft_' || rel); tab text := rel::regclass::text; keycol text; keytype text; docs text[]; ins text; del text;
BEGIN
  SELECT a.attname, format_type(a.atttypid, a.atttypmod) INTO keycol, keytype FROM tsql_meta.fulltext_indexes f
  JOIN pg_index i ON i.indexrelid = f.key_index_oid JOIN pg_attribute a ON a.attrelid = rel AND a.attnum = i.indkey[0] WHERE f.table_oid = rel;
  docs := ARRAY(SELECT format('to_tsvector(''english''::regconfig, COALESCE(r.%I::text, ''''))', a.attname)
    FROM tsql_meta.fulltext_index_columns c JOIN pg_attribute a ON a.attrelid = rel AND a.attnum = c.attnum WHERE c.table_oid = rel ORDER BY c.ord);
  EXECUTE format('CREATE TABLE %s (k %s PRIMARY KEY, doc tsvector NOT NULL, cols tsvector[] NOT NULL)', side, keytype);
  EXECUTE format('CREATE INDEX %I ON %s USING gin (doc)', 'ft_' || rel || '_doc', side);
  EXECUTE format('GRANT SELECT ON %s TO PUBLIC', side);
  ins := format('INSERT INTO %s SELECT r.%I, %s, ARRAY[%s] FROM %%s r', side, keycol, array_to_string(docs, ' || '), array_to_string(docs, ', '));
  del := format('DELETE FROM %s s USING ft_old o WHERE s.k = o.%I', side, keycol);
  EXECUTE format(ins, tab);
  EXECUTE format('CREATE TRIGGER tsql_ft_ins AFTER INSERT ON %s REFERENCING NEW TABLE AS ft_new FOR EACH STATEMENT EXECUTE FUNCTION tsql.ft_sync(%L, %L)', tab, format(ins, 'ft_new'), '');
  EXECUTE format('CREATE TRIGGER tsql_ft_upd AFTER UPDATE ON %s REFERENCING OLD TABLE AS ft_old NEW TABLE AS ft_new FOR EACH STATEMENT EXECUTE FUNCTION tsql.ft_sync(%L, %L)', tab, format(ins, 'ft_new'), del);
  EXECUTE format('CREATE TRIGGER tsql_ft_del AFTER DELETE ON %s REFERENCING OLD TABLE AS ft_old FOR EACH STATEMENT EXECUTE FUNCTION tsql.ft_sync(%L, %L)', tab, '', del);
  EXECUTE format('CREATE TRIGGER tsql_ft_trunc AFTER TRUNCATE ON %s FOR EACH STATEMENT EXECUTE FUNCTION tsql.ft_sync(%L, %L)', tab, '', format('DELETE FROM %s', side));
END$$;

CREATE FUNCTION tsql.ft_create_catalog(cat text, as_default boolean, accent boolean) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM tsql_meta.fulltext_catalogs WHERE lower_name = lower(cat)) THEN
    PERFORM tsql.ft_fail(7689, format('A full-text catalog named ''%s'' already exists in this database. Use a different name.', cat));
  END IF;
  IF as_default THEN UPDATE tsql_meta.fulltext_catalogs SET is_default = false; END IF;
  INSERT INTO tsql_meta.fulltext_catalogs (name, lower_name, is_default, is_accent_sensitivity_on) VALUES (cat, lower(cat), as_default, accent);
END$$;

CREATE FUNCTION tsql.ft_drop_catalog(cat text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE id integer;
BEGIN
  SELECT fulltext_catalog_id INTO id FROM tsql_meta.fulltext_catalogs WHERE lower_name = lower(cat);
  IF id IS NULL THEN
    PERFORM tsql.ft_fail(7641, format('Full-text catalog ''%s'' does not exist in database ''%s'' or user does not have permission to perform this action.', cat, tsql.current_db()));
  END IF;
  IF EXISTS (SELECT 1 FROM tsql_meta.fulltext_indexes f JOIN pg_class c ON c.oid = f.table_oid WHERE f.fulltext_catalog_id = id) THEN
    PERFORM tsql.ft_fail(7605, format('Full-text catalog ''%s'' is not empty. Drop the full-text indexes in this catalog first.', cat));
  END IF;
  DELETE FROM tsql_meta.fulltext_catalogs WHERE fulltext_catalog_id = id;
END$$;

CREATE FUNCTION tsql.ft_create_index(sch text, tab text, key_index text, cat text, cols text[], langs integer[], tracking text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE rel oid; kidx oid; catid integer; i integer; att record; shown text := sch || '.' || tab;
BEGIN
  SELECT c.oid INTO rel FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = lower(sch) COLLATE "C" AND c.relname = lower(tab) COLLATE "C" AND c.relkind IN ('r', 'p');
  IF rel IS NULL THEN
    PERFORM tsql.ft_fail(1088, format('Cannot find the object "%s" because it does not exist or you do not have permissions.', shown));
  END IF;
  IF EXISTS (SELECT 1 FROM tsql_meta.fulltext_indexes WHERE table_oid = rel) THEN
    PERFORM tsql.ft_fail(7652, format('A full-text index for table or indexed view ''%s'' has already been created.', shown));
  END IF;
  SELECT i.indexrelid INTO kidx FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
  WHERE i.indrelid = rel AND ic.relname = lower(key_index) COLLATE "C" AND i.indisunique AND i.indnatts = 1 AND i.indkey[0] > 0 AND i.indpred IS NULL
    AND (SELECT attnotnull FROM pg_attribute WHERE attrelid = rel AND attnum = i.indkey[0]);
  IF kidx IS NULL THEN
    PERFORM tsql.ft_fail(7653, format('''%s'' is not a valid index to enforce a full-text search key. A full-text search key must be a unique, non-nullable, single-column index which is not offline, is not defined on a non-deterministic or imprecise nonpersisted computed column, does not have a filter, and has maximum size of 900 bytes. Choose another index for the full-text key.', key_index));
  END IF;
  SELECT fulltext_catalog_id INTO catid FROM tsql_meta.fulltext_catalogs WHERE CASE WHEN cat IS NULL THEN is_default ELSE lower_name = lower(cat) END;
  IF catid IS NULL AND cat IS NULL THEN
    PERFORM tsql.ft_fail(9967, format('A default full-text catalog does not exist in database ''%s'' or user does not have permission to perform this action.', tsql.current_db()));
  ELSIF catid IS NULL THEN
    PERFORM tsql.ft_fail(7641, format('Full-text catalog ''%s'' does not exist in database ''%s'' or user does not have permission to perform this action.', cat, tsql.current_db()));
  END IF;
  FOR i IN 1 .. array_length(cols, 1) LOOP
    SELECT a.attnum, a.atttypid INTO att FROM pg_attribute a WHERE a.attrelid = rel AND a.attname = lower(cols[i]) COLLATE "C" AND a.attnum > 0 AND NOT a.attisdropped;
    IF att IS NULL THEN PERFORM tsql.ft_fail(207, format('Invalid column name ''%s''.', cols[i])); END IF;
    IF att.atttypid NOT IN (25, 1042, 1043) THEN
      PERFORM tsql.ft_fail(7657, format('Column ''%s'' cannot be used for full-text search because it is not a character-based, XML, image or varbinary(max) type column.', cols[i]));
    END IF;
    INSERT INTO tsql_meta.fulltext_index_columns VALUES (rel, att.attnum, i, COALESCE(langs[i], 1033));
  END LOOP;
  INSERT INTO tsql_meta.fulltext_indexes (table_oid, key_index_oid, fulltext_catalog_id, change_tracking) VALUES (rel, kidx, catid, tracking);
  PERFORM tsql.ft_build(rel);
END$$;

CREATE FUNCTION tsql.ft_drop_index(sch text, tab text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE rel oid; tg text;
BEGIN
  SELECT f.table_oid INTO rel FROM tsql_meta.fulltext_indexes f JOIN pg_class c ON c.oid = f.table_oid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = lower(sch) COLLATE "C" AND c.relname = lower(tab) COLLATE "C";
  IF rel IS NULL THEN
    PERFORM tsql.ft_fail(7642, format('Table or indexed view ''%s.%s'' does not have a full-text index or user does not have permission to perform this action.', sch, tab));
  END IF;
  FOREACH tg IN ARRAY ARRAY['tsql_ft_ins', 'tsql_ft_upd', 'tsql_ft_del', 'tsql_ft_trunc'] LOOP
    EXECUTE format('DROP TRIGGER IF EXISTS %I ON %s', tg, rel::regclass::text);
  END LOOP;
  EXECUTE format('DROP TABLE IF EXISTS tsql_meta.%I', 'ft_' || rel);
  DELETE FROM tsql_meta.fulltext_index_columns WHERE table_oid = rel;
  DELETE FROM tsql_meta.fulltext_indexes WHERE table_oid = rel;
END$$;

-- Full-text indexes of tables that still exist (a dropped table's rows stay behind, hidden here).
CREATE VIEW tsql_meta.live_fulltext_indexes AS
SELECT f.* FROM tsql_meta.fulltext_indexes f JOIN pg_class c ON c.oid = f.table_oid;

CREATE VIEW sys.fulltext_catalogs AS
SELECT fulltext_catalog_id, name::varchar(128) COLLATE tsql.tsql_ci AS name, NULL::varchar(260) COLLATE tsql.tsql_ci AS path, is_default, is_accent_sensitivity_on,
  NULL::int AS data_space_id, NULL::int AS file_id, 1 AS principal_id, false AS is_importing
FROM tsql_meta.fulltext_catalogs;

CREATE VIEW sys.fulltext_indexes AS
SELECT f.table_oid::int AS object_id, ids.index_id AS unique_index_id, f.fulltext_catalog_id, true AS is_enabled,
  f.change_tracking AS change_tracking_state,
  (CASE f.change_tracking WHEN 'A' THEN 'AUTO' WHEN 'M' THEN 'MANUAL' ELSE 'OFF' END)::varchar(60) COLLATE tsql.tsql_ci AS change_tracking_state_desc,
  true AS has_crawl_completed, 'F'::char(1) COLLATE tsql.tsql_ci AS crawl_type, 'FULL_CRAWL'::varchar(60) COLLATE tsql.tsql_ci AS crawl_type_desc,
  f.crawl_start AS crawl_start_date, f.crawl_start AS crawl_end_date, NULL::bytea AS incremental_timestamp,
  0 AS stoplist_id, NULL::int AS property_list_id, 1 AS data_space_id
FROM tsql_meta.live_fulltext_indexes f LEFT JOIN tsql_meta.index_ids ids ON ids.indexrelid = f.key_index_oid;

CREATE VIEW sys.fulltext_index_columns AS
SELECT c.table_oid::int AS object_id, c.attnum AS column_id, NULL::int AS type_column_id, c.language_id, false AS statistical_semantics
FROM tsql_meta.fulltext_index_columns c JOIN tsql_meta.live_fulltext_indexes f ON f.table_oid = c.table_oid;

CREATE VIEW sys.fulltext_languages AS SELECT 1033 AS lcid, 'English'::varchar(128) COLLATE tsql.tsql_ci AS name;

-- Population is synchronous here (CREATE fills the side table, triggers keep it current), so every status is "idle/complete".
CREATE FUNCTION tsql.fulltextserviceproperty(prop text) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
SELECT CASE lower(prop) WHEN 'isfulltextinstalled' THEN 1 WHEN 'loadospresetting' THEN 1 WHEN 'verifysignature' THEN 1 WHEN 'resourceusage' THEN 3 ELSE NULL END$$;
CREATE FUNCTION tsql.fulltextcatalogproperty(cat text, prop text) RETURNS integer LANGUAGE sql STABLE AS $$
SELECT CASE lower(prop) WHEN 'populatestatus' THEN 0 WHEN 'itemcount' THEN
    (SELECT count(*)::int FROM tsql_meta.live_fulltext_indexes f WHERE f.fulltext_catalog_id = fc.fulltext_catalog_id)
  WHEN 'accentsensitivity' THEN fc.is_accent_sensitivity_on::int WHEN 'importstatus' THEN 0 WHEN 'mergestatus' THEN 0 ELSE NULL END
FROM tsql_meta.fulltext_catalogs fc WHERE fc.lower_name = lower(cat)$$;
-- OBJECTPROPERTY and OBJECTPROPERTYEX learn the full-text properties; the rest stays with the base function.
ALTER FUNCTION tsql.objectproperty(integer, text) RENAME TO objectproperty_base;
CREATE FUNCTION tsql.objectproperty(id integer, prop text) RETURNS integer LANGUAGE sql STABLE AS $$
SELECT CASE lower(prop)
  WHEN 'tablehasactivefulltextindex' THEN CASE WHEN EXISTS (SELECT 1 FROM sys.tables t WHERE t.object_id = id) THEN
    (EXISTS (SELECT 1 FROM tsql_meta.live_fulltext_indexes f WHERE f.table_oid = id))::int END
  WHEN 'tablefulltextpopulatestatus' THEN CASE WHEN EXISTS (SELECT 1 FROM sys.tables t WHERE t.object_id = id) THEN 0 END
  WHEN 'tablefulltextcatalogid' THEN COALESCE((SELECT f.fulltext_catalog_id FROM tsql_meta.live_fulltext_indexes f WHERE f.table_oid = id), 0)
  WHEN 'tablefulltextkeycolumn' THEN (SELECT i.indkey[0]::int FROM tsql_meta.live_fulltext_indexes f JOIN pg_index i ON i.indexrelid = f.key_index_oid WHERE f.table_oid = id)
  WHEN 'tablefulltextchangetrackingon' THEN (EXISTS (SELECT 1 FROM tsql_meta.live_fulltext_indexes f WHERE f.table_oid = id AND f.change_tracking <> 'O'))::int
  ELSE tsql.objectproperty_base(id, prop) END$$;
CREATE FUNCTION tsql.objectpropertyex(id integer, prop text) RETURNS integer LANGUAGE sql STABLE AS $$SELECT tsql.objectproperty(id, prop)$$;

-- What the translator needs to know about full-text indexes: one row per indexed table.
CREATE VIEW tsql_meta.fulltext_info AS
SELECT n.nspname AS schema_name, c.relname AS table_name, 'ft_' || f.table_oid AS side_table, ka.attname AS key_column,
  ARRAY(SELECT a.attname FROM tsql_meta.fulltext_index_columns fc JOIN pg_attribute a ON a.attrelid = fc.table_oid AND a.attnum = fc.attnum
        WHERE fc.table_oid = f.table_oid ORDER BY fc.ord)::text[] AS columns
FROM tsql_meta.live_fulltext_indexes f JOIN pg_class c ON c.oid = f.table_oid JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_index i ON i.indexrelid = f.key_index_oid JOIN pg_attribute ka ON ka.attrelid = f.table_oid AND ka.attnum = i.indkey[0];
`;
