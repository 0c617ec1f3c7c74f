/**
 * The security statements the owner login may run, as SQL Server spells them:
 *
 *   CREATE LOGIN name WITH PASSWORD = 'pw'         CREATE USER name [FOR|FROM LOGIN name | WITHOUT LOGIN]
 *   ALTER ROLE role ADD|DROP MEMBER name           ALTER AUTHORIZATION ON SCHEMA::s TO name
 *   GRANT|DENY|REVOKE perm[, perm] [ON [OBJECT::|SCHEMA::]securable] TO|FROM name
 *
 * Permissions are recorded in `tsql_meta.permissions` (bootstrap/permissions.ts) and, where
 * PostgreSQL has the same privilege (SELECT/INSERT/UPDATE/DELETE on tables), applied there too.
 */
import type { BatchEvent } from '../backend.ts';
import { registerLogin, roleNameFor } from './created-logins.ts';
import { TsqlError } from './errors.ts';
import { runSimple } from './pg.ts';
import type { Runtime } from './runtime.ts';
import { quoteLiteral } from './translate/context.ts';
import type { Statement } from './translate/split.ts';
import { nodeText } from './translate/tree.ts';

const FIXED_ROLES = new Set(['db_owner', 'db_datareader', 'db_datawriter', 'db_ddladmin', 'db_securityadmin', 'db_accessadmin']);
const TABLE_PRIVILEGES = new Set(['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'REFERENCES']);
const NAME = String.raw`(\[[^\]]+\]|"[^"]+"|[\w@#$]+)`;

const bare = (name: string): string => name.replace(/^\[(.*)\]$|^"(.*)"$/, '$1$2').toLowerCase();
const ident = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** The statement's text, one space between tokens (enough for these fixed shapes). */
function textOf(stmt: Statement): string {
  return stmt.nodes
    .map(nodeText)
    .join(' ')
    .replace(/\s*\.\s*/g, '.')
    .replace(/\s*::\s*/g, '::')
    .replace(/\s*,\s*/g, ', ')
    .replace(/\s*=\s*/g, ' = ');
}

/** True when `stmt` is one of the CREATE/ALTER forms above (GRANT/DENY/REVOKE always are). */
export function isSecurityStatement(stmt: Statement): boolean {
  return /^(CREATE\s+(LOGIN|USER)|ALTER\s+ROLE|ALTER\s+AUTHORIZATION)\b/i.test(textOf(stmt));
}

async function ensureRole(rt: Runtime, user: string): Promise<string> {
  const role = roleNameFor(user);
  await runSimple(
    rt.pg,
    `DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ${quoteLiteral(role)}) THEN CREATE ROLE ${ident(role)} NOLOGIN; END IF; END$$`,
  );
  return role;
}

export async function* runSecurityStatement(rt: Runtime, stmt: Statement): AsyncGenerator<BatchEvent> {
  if (rt.state.login.role !== 'owner') throw new TsqlError(15247, 'User does not have permission to perform this action.');
  const text = textOf(stmt);
  let m: RegExpExecArray | null;
  if ((m = new RegExp(String.raw`^CREATE\s+LOGIN\s+${NAME}\s+WITH\s+PASSWORD\s*=\s*N?'((?:[^']|'')*)'`, 'i').exec(text))) {
    registerLogin(rt.pg, bare(m[1] ?? ''), (m[2] ?? '').replaceAll("''", "'"));
    await ensureRole(rt, bare(m[1] ?? ''));
  } else if ((m = new RegExp(String.raw`^CREATE\s+USER\s+${NAME}`, 'i').exec(text))) {
    await ensureRole(rt, bare(m[1] ?? ''));
  } else if ((m = new RegExp(String.raw`^ALTER\s+ROLE\s+${NAME}\s+(ADD|DROP)\s+MEMBER\s+${NAME}`, 'i').exec(text))) {
    const role = bare(m[1] ?? '');
    if (!FIXED_ROLES.has(role))
      throw new TsqlError(15151, `Cannot alter the role '${role}', because it does not exist or you do not have permission.`);
    const member = await ensureRole(rt, bare(m[3] ?? ''));
    await runSimple(
      rt.pg,
      m[2]?.toUpperCase() === 'ADD' ? `GRANT ${ident(role)} TO ${ident(member)}` : `REVOKE ${ident(role)} FROM ${ident(member)}`,
    );
  } else if ((m = new RegExp(String.raw`^ALTER\s+AUTHORIZATION\s+ON\s+SCHEMA::${NAME}\s+TO\s+${NAME}`, 'i').exec(text))) {
    const owner = bare(m[2] ?? '') === 'dbo' ? 'postgres' : await ensureRole(rt, bare(m[2] ?? ''));
    await runSimple(rt.pg, `ALTER SCHEMA ${ident(bare(m[1] ?? ''))} OWNER TO ${ident(owner)}`);
  } else if (
    (m = new RegExp(
      String.raw`^(GRANT|DENY|REVOKE)\s+(.+?)(?:\s+ON\s+(?:(OBJECT|SCHEMA)::)?(${NAME}(?:\.${NAME})?))?\s+(?:TO|FROM)\s+${NAME}\s*$`,
      'i',
    ).exec(text))
  ) {
    yield* permission(rt, (m[1] ?? '').toUpperCase(), m[2] ?? '', (m[3] ?? '').toUpperCase(), m[4], bare(m[7] ?? ''));
    return;
  } else {
    throw new TsqlError(40014, `This form of ${text.split(' ').slice(0, 2).join(' ')} is not supported by the sandbox.`);
  }
  yield { kind: 'done' };
}

async function* permission(
  rt: Runtime,
  verb: string,
  list: string,
  classWord: string,
  securable: string | undefined,
  grantee: string,
): AsyncGenerator<BatchEvent> {
  const role = grantee === 'public' ? 'public' : await ensureRole(rt, grantee);
  const perms = list
    .split(/\s*,\s*/)
    .map((p) => p.trim().toUpperCase().replace(/\s+/g, ' '))
    .filter(Boolean);
  const parts = securable?.split('.').map(bare) ?? [];
  const cls = securable === undefined ? 'DATABASE' : classWord === 'SCHEMA' ? 'SCHEMA' : 'OBJECT';
  const key =
    cls === 'DATABASE' ? '' : cls === 'SCHEMA' ? (parts[0] ?? '') : parts.length === 1 ? `dbo.${parts[0]}` : `${parts[0]}.${parts[1]}`;
  for (const perm of perms) {
    await runSimple(
      rt.pg,
      `DELETE FROM tsql_meta.permissions WHERE grantee = ${quoteLiteral(role)} AND class = ${quoteLiteral(cls)} AND securable = ${quoteLiteral(key)} AND permission = ${quoteLiteral(perm)}`,
    );
    if (verb !== 'REVOKE') {
      await runSimple(
        rt.pg,
        `INSERT INTO tsql_meta.permissions VALUES (${[role, cls, key, perm, verb === 'GRANT' ? 'G' : 'D'].map(quoteLiteral).join(', ')})`,
      );
    }
    if (!TABLE_PRIVILEGES.has(perm) || cls === 'DATABASE') continue;
    const target =
      cls === 'SCHEMA' ? `ALL TABLES IN SCHEMA ${ident(key)}` : `${ident(key.split('.')[0] ?? '')}.${ident(key.split('.')[1] ?? '')}`;
    if (verb === 'GRANT') {
      await runSimple(rt.pg, `GRANT USAGE ON SCHEMA ${ident(key.split('.')[0] ?? '')} TO ${ident(role)}`);
      await runSimple(rt.pg, `GRANT ${perm} ON ${target} TO ${ident(role)}`);
    } else {
      await runSimple(rt.pg, `REVOKE ${perm} ON ${target} FROM ${ident(role)}`);
    }
  }
  yield { kind: 'done' };
}
