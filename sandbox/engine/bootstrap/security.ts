/**
 * Logins as PostgreSQL roles: the owner login runs as the bootstrap superuser; the reader login
 * runs as `tsql_reader`, a member of `db_datareader`, which holds SELECT on every user table
 * (default privileges cover tables created later). IS_ROLEMEMBER, IS_SRVROLEMEMBER and
 * HAS_PERMS_BY_NAME ask PostgreSQL about the current role, so they answer truthfully.
 */
export const SECURITY_SQL = String.raw`
CREATE ROLE db_owner NOLOGIN;
CREATE ROLE db_datareader NOLOGIN;
CREATE ROLE db_datawriter NOLOGIN;
CREATE ROLE db_ddladmin NOLOGIN;
CREATE ROLE tsql_reader NOLOGIN IN ROLE db_datareader;
GRANT USAGE ON SCHEMA tsql, tsql_meta, sys, information_schema, dbo TO PUBLIC;
GRANT SELECT ON ALL TABLES IN SCHEMA tsql_meta, sys, information_schema TO PUBLIC;
GRANT USAGE ON SCHEMA dbo TO db_datareader;
ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO db_datareader;
ALTER DEFAULT PRIVILEGES GRANT USAGE ON SCHEMAS TO db_datareader;
ALTER DEFAULT PRIVILEGES GRANT INSERT, UPDATE, DELETE ON TABLES TO db_datawriter;

CREATE FUNCTION tsql.is_superuser() RETURNS boolean LANGUAGE sql STABLE AS $$SELECT rolsuper FROM pg_roles WHERE rolname = current_user$$;
CREATE FUNCTION tsql.is_rolemember(role text, member text DEFAULT NULL) RETURNS integer LANGUAGE sql STABLE AS $$
SELECT CASE WHEN lower(role) IN ('db_owner', 'db_datareader', 'db_datawriter', 'db_ddladmin') THEN pg_has_role(current_user, lower(role), 'MEMBER')::int
  WHEN lower(role) = 'public' THEN 1
  WHEN lower(role) IN ('db_securityadmin', 'db_accessadmin', 'db_backupoperator', 'db_denydatareader', 'db_denydatawriter') THEN tsql.is_superuser()::int
  ELSE NULL END$$;
CREATE FUNCTION tsql.is_srvrolemember(role text, login text DEFAULT NULL) RETURNS integer LANGUAGE sql STABLE AS $$
SELECT CASE WHEN lower(role) IN ('sysadmin', 'serveradmin', 'securityadmin', 'processadmin', 'setupadmin', 'bulkadmin', 'diskadmin', 'dbcreator') THEN tsql.is_superuser()::int
  WHEN lower(role) = 'public' THEN 1 ELSE NULL END$$;
CREATE FUNCTION tsql.object_oid(name text) RETURNS oid LANGUAGE plpgsql STABLE AS $$
DECLARE parts text[]; s text; o text; r oid;
BEGIN
  IF name IS NULL THEN RETURN NULL; END IF;
  parts := string_to_array(lower(regexp_replace(name COLLATE "C", '[\[\]"]', '', 'g')), '.');
  o := parts[array_length(parts, 1)];
  s := CASE WHEN array_length(parts, 1) >= 2 THEN parts[array_length(parts, 1) - 1] ELSE 'dbo' END;
  IF s = '' THEN s := 'dbo'; END IF;
  SELECT c.oid INTO r FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = s COLLATE "C" AND c.relname = o COLLATE "C" AND c.relkind IN ('r', 'v', 'p');
  IF r IS NULL THEN
    SELECT c.oid INTO r FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = s COLLATE "C" AND c.conname = o COLLATE "C" LIMIT 1;
  END IF;
  RETURN r;
END$$;
-- The sys.objects row of one object id, found through the catalogs' oid indexes (the view itself
-- is a UNION that computes every row's name and dates: filtering it by id scanned them all, several
-- milliseconds per call, and the connector's name check calls these functions on every query).
-- Same rows as sys.objects: relations and their constraints in user schemas.
CREATE FUNCTION tsql.object_row(id integer) RETURNS TABLE(name text, schema_id integer, type text) LANGUAGE sql STABLE AS $$
SELECT tsql.display(c.relname), c.relnamespace::int, CASE c.relkind WHEN 'v' THEN 'V ' ELSE 'U ' END
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.oid = id::oid AND c.relkind IN ('r', 'v', 'p') AND tsql.is_user_schema(n.nspname)
UNION ALL
SELECT tsql.display(con.conname), c.relnamespace::int, CASE con.contype WHEN 'p' THEN 'PK' WHEN 'f' THEN 'F ' WHEN 'u' THEN 'UQ' ELSE 'C ' END
FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE con.oid = id::oid AND con.contype IN ('p', 'f', 'u', 'c') AND c.relkind IN ('r', 'v', 'p') AND tsql.is_user_schema(n.nspname)$$;
CREATE FUNCTION tsql.object_id(name text, type text DEFAULT NULL) RETURNS integer LANGUAGE sql STABLE AS $$
SELECT k.id FROM (SELECT tsql.object_oid($1)::int AS id) k CROSS JOIN LATERAL tsql.object_row(k.id) o
WHERE $2 IS NULL OR rtrim(o.type) = upper(rtrim($2))$$;
CREATE FUNCTION tsql.object_name(id integer, db integer DEFAULT NULL) RETURNS text LANGUAGE sql STABLE AS $$SELECT name FROM tsql.object_row(id)$$;
CREATE FUNCTION tsql.object_schema_name(id integer, db integer DEFAULT NULL) RETURNS text LANGUAGE sql STABLE AS $$
SELECT tsql.display(n.nspname) FROM tsql.object_row(id) o JOIN pg_namespace n ON n.oid = o.schema_id::oid$$;
CREATE FUNCTION tsql.schema_name(id integer) RETURNS text LANGUAGE sql STABLE AS $$SELECT name FROM sys.schemas WHERE schema_id = id$$;
CREATE FUNCTION tsql.schema_id(name text DEFAULT 'dbo') RETURNS integer LANGUAGE sql STABLE AS $$SELECT schema_id FROM sys.schemas WHERE lower(name COLLATE "C") = lower(schema_id.name COLLATE "C")$$;
CREATE FUNCTION tsql.type_name(id integer) RETURNS text LANGUAGE sql STABLE AS $$SELECT name FROM sys.types WHERE user_type_id = id$$;
CREATE FUNCTION tsql.col_length(t text, c text) RETURNS integer LANGUAGE sql STABLE AS $$
SELECT max_length::int FROM sys.columns WHERE object_id = tsql.object_oid(t)::int AND lower(name COLLATE "C") = lower(c COLLATE "C")$$;
CREATE FUNCTION tsql.col_name(t integer, c integer) RETURNS text LANGUAGE sql STABLE AS $$SELECT name FROM sys.columns WHERE object_id = t AND column_id = c$$;
CREATE FUNCTION tsql.objectproperty(id integer, prop text) RETURNS integer LANGUAGE sql STABLE AS $$
SELECT CASE lower(prop) WHEN 'isusertable' THEN (o.type = 'U ')::int WHEN 'istable' THEN (o.type = 'U ')::int WHEN 'isview' THEN (o.type = 'V ')::int
  WHEN 'ismsshipped' THEN 0 WHEN 'isprimarykey' THEN (o.type = 'PK')::int WHEN 'isforeignkey' THEN (o.type = 'F ')::int
  WHEN 'tablehasprimarykey' THEN (EXISTS (SELECT 1 FROM sys.objects k WHERE k.parent_object_id = o.object_id AND k.type = 'PK'))::int END
FROM sys.objects o WHERE o.object_id = id$$;
CREATE FUNCTION tsql.has_perms_by_name(securable text, class text, perm text, sub text DEFAULT NULL, subclass text DEFAULT NULL) RETURNS integer LANGUAGE plpgsql STABLE AS $$
DECLARE p text := upper(btrim(perm)); c text := upper(btrim(class)); rel oid;
BEGIN
  IF tsql.is_superuser() THEN
    IF c = 'OBJECT' AND tsql.object_oid(securable) IS NULL THEN RETURN NULL; END IF;
    RETURN 1;
  END IF;
  IF c = 'SERVER' THEN RETURN (p IN ('CONNECT SQL', 'VIEW ANY DATABASE'))::int; END IF;
  IF c = 'DATABASE' THEN
    RETURN CASE WHEN p = 'CONNECT' THEN 1
      WHEN p = 'SELECT' THEN pg_has_role(current_user, 'db_datareader', 'MEMBER')::int
      WHEN p IN ('INSERT', 'UPDATE', 'DELETE') THEN pg_has_role(current_user, 'db_datawriter', 'MEMBER')::int
      WHEN p LIKE 'CREATE %' OR p LIKE 'ALTER%' THEN pg_has_role(current_user, 'db_ddladmin', 'MEMBER')::int
      ELSE pg_has_role(current_user, 'db_owner', 'MEMBER')::int END;
  END IF;
  IF c = 'SCHEMA' THEN
    RETURN CASE WHEN p = 'SELECT' THEN pg_has_role(current_user, 'db_datareader', 'MEMBER')::int
      WHEN p IN ('INSERT', 'UPDATE', 'DELETE') THEN pg_has_role(current_user, 'db_datawriter', 'MEMBER')::int
      ELSE pg_has_role(current_user, 'db_owner', 'MEMBER')::int END;
  END IF;
  IF c = 'OBJECT' THEN
    rel := tsql.object_oid(securable);
    IF rel IS NULL THEN RETURN NULL; END IF;
    IF p IN ('SELECT', 'INSERT', 'UPDATE', 'DELETE', 'REFERENCES') THEN RETURN has_table_privilege(current_user, rel, p)::int; END IF;
    IF p = 'VIEW DEFINITION' THEN RETURN has_table_privilege(current_user, rel, 'SELECT')::int; END IF;
    RETURN pg_has_role(current_user, 'db_owner', 'MEMBER')::int;
  END IF;
  RETURN 0;
END$$;
CREATE FUNCTION tsql.serverproperty(prop text) RETURNS text LANGUAGE sql STABLE AS $$
SELECT CASE lower(prop) WHEN 'productversion' THEN '16.0.1000.6' WHEN 'productmajorversion' THEN '16' WHEN 'productminorversion' THEN '0'
  WHEN 'productlevel' THEN 'RTM' WHEN 'edition' THEN 'T-SQL Sandbox Edition (PGlite, not SQL Server)' WHEN 'engineedition' THEN '3'
  WHEN 'editionid' THEN '0' WHEN 'machinename' THEN 'sandbox' WHEN 'servername' THEN 'SANDBOX' WHEN 'instancename' THEN NULL
  WHEN 'collation' THEN 'SQL_Latin1_General_CP1_CI_AS' WHEN 'isintegratedsecurityonly' THEN '0' WHEN 'isclustered' THEN '0'
  WHEN 'ishadrenabled' THEN '0' WHEN 'isfulltextinstalled' THEN '1' WHEN 'productbuild' THEN '1000' ELSE NULL END$$;
CREATE FUNCTION tsql.databasepropertyex(db text, prop text) RETURNS text LANGUAGE sql STABLE AS $$
SELECT CASE lower(prop) WHEN 'collation' THEN 'SQL_Latin1_General_CP1_CI_AS' WHEN 'status' THEN 'ONLINE' WHEN 'updateability' THEN 'READ_WRITE'
  WHEN 'recovery' THEN 'SIMPLE' WHEN 'useraccess' THEN 'MULTI_USER' WHEN 'version' THEN '957' ELSE NULL END$$;
GRANT SELECT ON ALL TABLES IN SCHEMA tsql_meta, sys, information_schema TO PUBLIC;
`;
