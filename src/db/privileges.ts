import type { PrivilegeReport } from './types.ts';

const ROLE_FINDINGS: ReadonlyArray<[string, string]> = [
  ['sysadmin', 'member of the sysadmin server role'],
  ['db_owner', 'member of db_owner'],
  ['db_datawriter', 'member of db_datawriter'],
  ['db_ddladmin', 'member of db_ddladmin'],
];
const PERMISSION_FINDINGS: ReadonlyArray<[string, string]> = [
  ['can_insert', 'has INSERT on the database'],
  ['can_update', 'has UPDATE on the database'],
  ['can_delete', 'has DELETE on the database'],
  ['can_alter', 'has ALTER on the database'],
  ['can_create_table', 'has CREATE TABLE on the database'],
  ['can_execute', 'has EXECUTE on the database (stored procedures can write)'],
];

const yes = (v: unknown): boolean => v === 1 || v === true || v === '1';

/**
 * Reads the row of `PRIVILEGES_SQL`. Any role membership or permission that allows a write makes
 * `canWrite` true; each becomes a finding the operator can act on. NULL (unknown role) counts as no.
 */
export function privilegeReport(row: Record<string, unknown> | undefined): PrivilegeReport {
  if (!row) return { login: '', canWrite: true, findings: ['the privilege check returned no row; assuming the login can write'] };
  const findings: string[] = [];
  for (const [column, text] of [...ROLE_FINDINGS, ...PERMISSION_FINDINGS]) if (yes(row[column])) findings.push(text);
  const login = typeof row.login_name === 'string' ? row.login_name : '';
  return { login, canWrite: findings.length > 0, findings };
}
