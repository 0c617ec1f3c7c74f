import type { PrivilegeReport } from './types.ts';

/** Findings listed at most; the rest are counted, so a login with thousands of grants gives a readable error. */
const MAX_FINDINGS = 20;

/**
 * Reads the rows of `PRIVILEGES_SQL`: the first names the login, every further row is one way the
 * login can write. No rows at all means the check could not run, and the login is assumed to write.
 */
export function privilegeReport(rows: ReadonlyArray<Record<string, unknown>>): PrivilegeReport {
  if (rows.length === 0)
    return { login: '', canWrite: true, findings: ['the privilege check returned no row; assuming the login can write'] };
  const login = rows.find((row) => typeof row.login_name === 'string')?.login_name;
  const all = [
    ...new Set(rows.map((row) => row.finding).filter((finding): finding is string => typeof finding === 'string' && finding !== '')),
  ];
  const findings = all.length > MAX_FINDINGS ? [...all.slice(0, MAX_FINDINGS), `… and ${all.length - MAX_FINDINGS} more`] : all;
  return { login: typeof login === 'string' ? login : '', canWrite: all.length > 0, findings };
}
