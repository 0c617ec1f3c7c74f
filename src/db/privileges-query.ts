/** Permissions that only read: any other permission the login holds counts as "can write" (fail closed). */
const READ_ONLY = `N'CONNECT', N'CONNECT SQL', N'CONNECT ANY DATABASE', N'SELECT', N'SELECT ALL USER SECURABLES', N'SHOWPLAN', N'REFERENCES'`;
const notReadOnly = (column: string): string => `${column} NOT IN (${READ_ONLY}) AND ${column} NOT LIKE N'VIEW %'`;

/** Permissions on a schema or an object that let a login change data, code or ownership. */
const WRITE_PERMISSIONS = `(N'INSERT'), (N'UPDATE'), (N'DELETE'), (N'ALTER'), (N'CONTROL'), (N'TAKE OWNERSHIP'), (N'EXECUTE')`;

/**
 * What the connector's own login may do, one finding per row (issue 10 item 14): the first row
 * carries only `login_name`, every other row a `finding` that lets the login write. The check
 * covers every level a write permission can come from on SQL Server 2019+:
 *
 * - fixed database roles that write or manage security (db_owner, db_datawriter, db_ddladmin,
 *   db_securityadmin, db_accessadmin, db_backupoperator) and every fixed server role but public;
 * - every server- and database-level permission the login effectively holds (`fn_my_permissions`,
 *   which folds in role memberships and DENY) that is not on the read-only list;
 * - INSERT/UPDATE/DELETE/ALTER/CONTROL/TAKE OWNERSHIP/EXECUTE on any schema — owning a schema
 *   implies CONTROL on it — and on any user object (`HAS_PERMS_BY_NAME`, which folds in grants on
 *   the object, its schema and the database, ownership and DENY).
 *
 * Columns: `login_name`, `finding` (NULL on the first row).
 */
export const PRIVILEGES_SQL = `SELECT SUSER_SNAME() AS login_name, CAST(NULL AS nvarchar(400)) AS finding
UNION ALL
SELECT SUSER_SNAME(), N'member of ' + r.name
FROM (VALUES (N'db_owner'), (N'db_datawriter'), (N'db_ddladmin'), (N'db_securityadmin'), (N'db_accessadmin'), (N'db_backupoperator')) AS r(name)
WHERE IS_ROLEMEMBER(r.name) = 1
UNION ALL
SELECT SUSER_SNAME(), N'member of the ' + r.name + N' server role'
FROM (VALUES (N'sysadmin'), (N'serveradmin'), (N'securityadmin'), (N'setupadmin'), (N'processadmin'), (N'diskadmin'), (N'dbcreator'), (N'bulkadmin')) AS r(name)
WHERE IS_SRVROLEMEMBER(r.name) = 1
UNION ALL
SELECT SUSER_SNAME(), N'has ' + p.permission_name + N' on the server'
FROM fn_my_permissions(NULL, N'SERVER') AS p
WHERE ${notReadOnly('p.permission_name')}
UNION ALL
SELECT SUSER_SNAME(), N'has ' + p.permission_name + N' on the database'
FROM fn_my_permissions(NULL, N'DATABASE') AS p
WHERE ${notReadOnly('p.permission_name')}
UNION ALL
SELECT SUSER_SNAME(), N'has ' + w.perm + N' on schema ' + QUOTENAME(s.name)
FROM sys.schemas AS s CROSS JOIN (VALUES ${WRITE_PERMISSIONS}) AS w(perm)
WHERE s.name NOT IN (N'sys', N'INFORMATION_SCHEMA') AND HAS_PERMS_BY_NAME(QUOTENAME(s.name), N'SCHEMA', w.perm) = 1
UNION ALL
SELECT SUSER_SNAME(), N'has ' + w.perm + N' on ' + QUOTENAME(SCHEMA_NAME(o.schema_id)) + N'.' + QUOTENAME(o.name)
FROM sys.objects AS o CROSS JOIN (VALUES ${WRITE_PERMISSIONS}) AS w(perm)
WHERE o.is_ms_shipped = 0 AND o.type IN ('U', 'V', 'P', 'PC', 'FN', 'IF', 'TF', 'FS', 'FT', 'SN', 'SO', 'X')
  AND HAS_PERMS_BY_NAME(QUOTENAME(SCHEMA_NAME(o.schema_id)) + N'.' + QUOTENAME(o.name), N'OBJECT', w.perm) = 1`;
