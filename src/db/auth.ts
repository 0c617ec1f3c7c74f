import { readFileSync, statSync } from 'node:fs';

/**
 * How the connector logs in to SQL Server (`MSSQL_AUTH`), each mapped to the driver's (tedious')
 * own authentication type. Secrets stay inside the driver config; they are never logged.
 */
export type MssqlAuth =
  | { kind: 'sql' }
  | { kind: 'ntlm'; domain: string }
  | { kind: 'entra-service-principal'; clientId: string; clientSecret: string; tenantId: string }
  | { kind: 'entra-managed-identity'; clientId?: string | undefined }
  | { kind: 'entra-default'; clientId?: string | undefined }
  | { kind: 'entra-access-token'; tokenFile: string };

export type MssqlAuthKind = MssqlAuth['kind'];

export const MSSQL_AUTH_KINDS: readonly MssqlAuthKind[] = [
  'sql',
  'ntlm',
  'entra-service-principal',
  'entra-managed-identity',
  'entra-default',
  'entra-access-token',
];

/** tedious' `config.authentication`; `options` may be a getter (read for each new connection). */
export interface DriverAuthentication {
  type: string;
  readonly options: Record<string, string>;
}

/**
 * The driver's authentication for `auth`. `entra-access-token` reads the token file for every new
 * connection, again only when the file changed (size or modification time), so a token renewed on
 * disk by a sidecar is picked up without a restart.
 */
export function driverAuthentication(auth: MssqlAuth, login: { user: string; password: string }): DriverAuthentication {
  switch (auth.kind) {
    case 'sql':
      return { type: 'default', options: { userName: login.user, password: login.password } };
    case 'ntlm':
      return { type: 'ntlm', options: { userName: login.user, password: login.password, domain: auth.domain } };
    case 'entra-service-principal':
      return {
        type: 'azure-active-directory-service-principal-secret',
        options: { clientId: auth.clientId, clientSecret: auth.clientSecret, tenantId: auth.tenantId },
      };
    case 'entra-managed-identity':
      return { type: 'azure-active-directory-msi-vm', options: auth.clientId === undefined ? {} : { clientId: auth.clientId } };
    case 'entra-default':
      return { type: 'azure-active-directory-default', options: auth.clientId === undefined ? {} : { clientId: auth.clientId } };
    case 'entra-access-token': {
      const read = tokenFileReader(auth.tokenFile);
      return {
        type: 'azure-active-directory-access-token',
        get options() {
          return { token: read() };
        },
      };
    }
  }
}

/** Reads a token file (trimmed), cached until the file's size or modification time changes. */
export function tokenFileReader(path: string): () => string {
  let stamp = '';
  let token = '';
  return () => {
    const stat = statSync(path);
    const now = `${stat.size}:${stat.mtimeMs}`;
    if (now !== stamp) {
      token = readFileSync(path, 'utf8').trim();
      stamp = now;
    }
    return token;
  };
}
