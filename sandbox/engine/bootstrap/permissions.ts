/**
 * Object-, schema- and database-level permissions the way SQL Server answers about them, so the
 * connector's startup privilege check is proven against real GRANT/DENY rather than two fixed
 * logins. GRANT/DENY/REVOKE (security-statements.ts) record rows here — and apply the PostgreSQL
 * grant where one exists, so object permissions are also enforced — and schema ownership is the
 * PostgreSQL schema owner. HAS_PERMS_BY_NAME and fn_my_permissions read both:
 *
 * - DENY anywhere on the chain object → schema → database wins (except for owners and sysadmin);
 * - a grant on the schema or the database covers the objects in it; CONTROL covers every permission;
 * - the schema owner holds every permission on the schema and its objects;
 * - fixed roles: db_datareader SELECT, db_datawriter INSERT/UPDATE/DELETE, db_ddladmin CREATE and
 *   ALTER, db_accessadmin ALTER ANY USER, db_securityadmin ALTER ANY ROLE, db_owner everything.
 */
export const PERMISSIONS_SQL = String.raw`
CREATE ROLE db_securityadmin NOLOGIN;
CREATE ROLE db_accessadmin NOLOGIN;
CREATE TABLE tsql_meta.permissions (grantee text NOT NULL, class text NOT NULL, securable text NOT NULL, permission text NOT NULL,
  state char(1) NOT NULL, PRIMARY KEY (grantee, class, securable, permission));

CREATE OR REPLACE FUNCTION tsql.is_rolemember(role text, member text DEFAULT NULL) RETURNS integer LANGUAGE sql STABLE AS $$
SELECT CASE WHEN tsql.is_superuser() AND lower(role) LIKE 'db\_%' THEN 1
  WHEN lower(role) IN ('db_owner', 'db_datareader', 'db_datawriter', 'db_ddladmin', 'db_securityadmin', 'db_accessadmin') THEN pg_has_role(current_user, lower(role), 'MEMBER')::int
  WHEN lower(role) = 'public' THEN 1
  WHEN lower(role) IN ('db_backupoperator', 'db_denydatareader', 'db_denydatawriter') THEN tsql.is_superuser()::int
  ELSE NULL END$$;

CREATE FUNCTION tsql.perm_state(cls text, sec text, perm text) RETURNS char LANGUAGE sql STABLE AS $$
SELECT CASE WHEN bool_or(p.state = 'D') THEN 'D' WHEN bool_or(p.state = 'G') THEN 'G' END
FROM tsql_meta.permissions p
WHERE p.class = cls AND p.securable = sec AND (p.permission = perm OR p.permission = 'CONTROL') AND pg_has_role(current_user, p.grantee, 'MEMBER')$$;

CREATE FUNCTION tsql.perm_chain(states char[]) RETURNS char LANGUAGE sql IMMUTABLE AS $$
SELECT CASE WHEN 'D' = ANY(states) THEN 'D' WHEN 'G' = ANY(states) THEN 'G' END$$;

CREATE OR REPLACE FUNCTION tsql.has_perms_by_name(securable text, class text, perm text, sub text DEFAULT NULL, subclass text DEFAULT NULL) RETURNS integer LANGUAGE plpgsql STABLE AS $$
DECLARE p text := upper(btrim(perm)); c text := upper(btrim(class)); rel oid; sch text; obj text; owner oid; st char;
BEGIN
  IF c = 'OBJECT' THEN
    rel := tsql.object_oid(securable);
    IF rel IS NULL THEN RETURN NULL; END IF;
    SELECT n.nspname, cl.relname, n.nspowner INTO sch, obj, owner FROM pg_class cl JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE cl.oid = rel;
    IF sch IS NULL THEN
      SELECT n.nspname, con.conname, n.nspowner INTO sch, obj, owner FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace WHERE con.oid = rel;
    END IF;
  ELSIF c = 'SCHEMA' THEN
    sch := lower(regexp_replace(securable COLLATE "C", '[\[\]"]', '', 'g'));
    SELECT n.nspowner INTO owner FROM pg_namespace n WHERE n.nspname = sch COLLATE "C" AND tsql.is_user_schema(n.nspname);
    IF owner IS NULL THEN RETURN NULL; END IF;
  END IF;
  IF tsql.is_superuser() THEN RETURN 1; END IF;
  IF c = 'SERVER' THEN RETURN (p IN ('CONNECT SQL', 'VIEW ANY DATABASE'))::int; END IF;
  IF c IN ('OBJECT', 'SCHEMA') AND pg_has_role(current_user, owner, 'MEMBER') THEN RETURN 1; END IF;
  st := tsql.perm_chain(ARRAY[
    tsql.perm_state('DATABASE', '', p),
    CASE WHEN c IN ('OBJECT', 'SCHEMA') THEN tsql.perm_state('SCHEMA', sch, p) END,
    CASE WHEN c = 'OBJECT' THEN tsql.perm_state('OBJECT', sch || '.' || lower(obj), p) END]);
  IF st = 'D' THEN RETURN 0; END IF;
  IF st = 'G' THEN RETURN 1; END IF;
  IF pg_has_role(current_user, 'db_owner', 'MEMBER') THEN RETURN 1; END IF;
  IF c = 'DATABASE' THEN
    RETURN CASE WHEN p = 'CONNECT' THEN 1
      WHEN p = 'SELECT' THEN pg_has_role(current_user, 'db_datareader', 'MEMBER')::int
      WHEN p IN ('INSERT', 'UPDATE', 'DELETE') THEN pg_has_role(current_user, 'db_datawriter', 'MEMBER')::int
      WHEN p = 'ALTER ANY USER' THEN pg_has_role(current_user, 'db_accessadmin', 'MEMBER')::int
      WHEN p IN ('ALTER ANY ROLE', 'ALTER ANY APPLICATION ROLE') THEN pg_has_role(current_user, 'db_securityadmin', 'MEMBER')::int
      WHEN p LIKE 'CREATE %' OR p LIKE 'ALTER%' THEN pg_has_role(current_user, 'db_ddladmin', 'MEMBER')::int
      ELSE 0 END;
  END IF;
  IF c = 'SCHEMA' THEN
    RETURN CASE WHEN p = 'SELECT' THEN pg_has_role(current_user, 'db_datareader', 'MEMBER')::int
      WHEN p IN ('INSERT', 'UPDATE', 'DELETE') THEN pg_has_role(current_user, 'db_datawriter', 'MEMBER')::int
      WHEN p = 'ALTER' THEN pg_has_role(current_user, 'db_ddladmin', 'MEMBER')::int
      ELSE 0 END;
  END IF;
  IF c = 'OBJECT' THEN
    IF p IN ('SELECT', 'INSERT', 'UPDATE', 'DELETE', 'REFERENCES') AND rel IN (SELECT oid FROM pg_class) THEN
      RETURN has_table_privilege(current_user, rel, p)::int;
    END IF;
    IF p = 'VIEW DEFINITION' AND rel IN (SELECT oid FROM pg_class) THEN RETURN has_table_privilege(current_user, rel, 'SELECT')::int; END IF;
    IF p = 'ALTER' THEN RETURN pg_has_role(current_user, 'db_ddladmin', 'MEMBER')::int; END IF;
    RETURN 0;
  END IF;
  RETURN 0;
END$$;

CREATE FUNCTION tsql.fn_my_permissions(securable text, class text) RETURNS TABLE(entity_name text, subentity_name text, permission_name text)
LANGUAGE sql STABLE AS $$
SELECT COALESCE(securable, CASE upper(class) WHEN 'SERVER' THEN 'server' ELSE 'database' END), ''::text, perm
FROM unnest(CASE upper(btrim(class))
  WHEN 'SERVER' THEN ARRAY['CONNECT SQL', 'VIEW ANY DATABASE', 'CONTROL SERVER', 'ALTER ANY LOGIN', 'ALTER ANY DATABASE', 'CREATE ANY DATABASE',
    'ALTER SETTINGS', 'ALTER ANY CREDENTIAL', 'ALTER ANY LINKED SERVER', 'ADMINISTER BULK OPERATIONS', 'IMPERSONATE ANY LOGIN', 'SHUTDOWN', 'VIEW SERVER STATE']
  WHEN 'DATABASE' THEN ARRAY['CONNECT', 'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'EXECUTE', 'ALTER', 'CONTROL', 'TAKE OWNERSHIP', 'CREATE TABLE',
    'CREATE VIEW', 'CREATE PROCEDURE', 'CREATE FUNCTION', 'CREATE SCHEMA', 'CREATE TYPE', 'ALTER ANY SCHEMA', 'ALTER ANY USER', 'ALTER ANY ROLE',
    'ALTER ANY APPLICATION ROLE', 'VIEW DEFINITION', 'SHOWPLAN']
  ELSE ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'EXECUTE', 'REFERENCES', 'ALTER', 'CONTROL', 'TAKE OWNERSHIP', 'VIEW DEFINITION'] END) AS perm
WHERE tsql.has_perms_by_name(COALESCE(securable, 'database'), class, perm) = 1$$;
`;
