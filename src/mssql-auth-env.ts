import { z } from 'zod';
import { boolVar } from './config-values.ts';
import { MSSQL_AUTH_KINDS, type MssqlAuth, type MssqlAuthKind } from './db/auth.ts';
import { ConfigError } from './errors.ts';

/** The variables of how the connector logs in to SQL Server (issue 13), appended to config.ts's schema. */
export const mssqlAuthEnvShape = {
  MSSQL_AUTH: z
    .enum(MSSQL_AUTH_KINDS as [MssqlAuthKind, ...MssqlAuthKind[]], { error: `must be one of ${MSSQL_AUTH_KINDS.join(', ')}` })
    .default('sql'),
  MSSQL_DOMAIN: z.string().trim().optional(),
  MSSQL_CLIENT_ID: z.string().trim().optional(),
  MSSQL_CLIENT_SECRET: z.string().optional(),
  MSSQL_TENANT_ID: z.string().trim().optional(),
  MSSQL_ACCESS_TOKEN_FILE: z.string().trim().optional(),
  MSSQL_READ_ONLY_INTENT: boolVar(false),
  MSSQL_INSTANCE: z.string().trim().optional(),
};

type AuthEnv = { MSSQL_USER?: string | undefined; MSSQL_PASSWORD?: string | undefined } & z.output<z.ZodObject<typeof mssqlAuthEnvShape>>;

/** The login mode and what it needs, each missing variable a ConfigError that names it. */
export function mssqlAuthFromEnv(v: AuthEnv): { auth: MssqlAuth; user: string; password: string } {
  const need = (name: keyof AuthEnv, value: string | undefined): string => {
    if (value === undefined || value.trim() === '') throw new ConfigError(name, `is required with MSSQL_AUTH=${v.MSSQL_AUTH}`);
    return value;
  };
  const login = (): { user: string; password: string } => ({
    user: need('MSSQL_USER', v.MSSQL_USER),
    password: need('MSSQL_PASSWORD', v.MSSQL_PASSWORD),
  });
  switch (v.MSSQL_AUTH) {
    case 'sql':
      return { auth: { kind: 'sql' }, ...login() };
    case 'ntlm':
      return { auth: { kind: 'ntlm', domain: need('MSSQL_DOMAIN', v.MSSQL_DOMAIN) }, ...login() };
    case 'entra-service-principal':
      return {
        auth: {
          kind: 'entra-service-principal',
          clientId: need('MSSQL_CLIENT_ID', v.MSSQL_CLIENT_ID),
          clientSecret: need('MSSQL_CLIENT_SECRET', v.MSSQL_CLIENT_SECRET),
          tenantId: need('MSSQL_TENANT_ID', v.MSSQL_TENANT_ID),
        },
        user: '',
        password: '',
      };
    case 'entra-managed-identity':
      return { auth: { kind: 'entra-managed-identity', clientId: v.MSSQL_CLIENT_ID || undefined }, user: '', password: '' };
    case 'entra-default':
      return { auth: { kind: 'entra-default', clientId: v.MSSQL_CLIENT_ID || undefined }, user: '', password: '' };
    case 'entra-access-token':
      return {
        auth: { kind: 'entra-access-token', tokenFile: need('MSSQL_ACCESS_TOKEN_FILE', v.MSSQL_ACCESS_TOKEN_FILE) },
        user: '',
        password: '',
      };
  }
}
