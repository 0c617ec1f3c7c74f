import { z } from 'zod';
import { boolVar, intVar } from '../../config-values.ts';
import { IdentityConfigError, identityConfigFromEnv, identityEnvShape, type IdentityConfig } from './identity/env.ts';
import { parseAuthUsers, type OperatorAccount } from './password.ts';

/** A positive decimal integer (the same parser, and messages, as every other variable). */
const positiveInt = (fallback: number) => intVar(fallback, 1, 1_000_000_000);
/** Comma- or space-separated, lower-cased (host names and scopes compare case-insensitively). */
const list = (fallback: string) =>
  z
    .string()
    .optional()
    .transform((value) =>
      (value === undefined || value.trim() === '' ? fallback : value)
        .split(/[\s,]+/)
        .map((item) => item.trim().toLowerCase())
        .filter((item) => item.length > 0),
    );

/**
 * The OAuth part of the environment schema, merged by `src/config.ts` (`schema.extend(oauthEnvShape)`
 * or `z.object({ ...base, ...oauthEnvShape })`). Reads nothing itself; `oauthConfigFromEnv` turns the
 * parsed values into an `OAuthConfig`. PUBLIC_BASE_URL and DATA_DIR belong to the server's schema.
 */
export const oauthEnvShape = {
  /** true/false/1/0/yes/no like every boolean; unset means "on when AUTH_USERS is set". */
  OAUTH_ENABLED: boolVar(undefined),
  /** Operator accounts: `user:scrypt$…`, comma- or newline-separated (`npm run hash-password`). */
  AUTH_USERS: z
    .string()
    .default('')
    .transform((value, ctx) => {
      try {
        return parseAuthUsers(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /** Hosts whose https redirect URIs may register: exact match or a true subdomain. */
  ALLOWED_REDIRECT_HOSTS: list('chatgpt.com,openai.com,claude.ai,claude.com'),
  ACCESS_TOKEN_TTL_SECONDS: positiveInt(3600),
  REFRESH_TOKEN_TTL_DAYS: positiveInt(30),
  /** Scopes this server knows (`scopes_supported`). */
  OAUTH_SCOPES: list('mssql:read'),
  /** Scopes granted when a request omits `scope` (ChatGPT's reconnect does); default all of OAUTH_SCOPES. */
  OAUTH_DEFAULT_SCOPES: list(''),
  SESSION_TTL_HOURS: positiveInt(12),
  LOGIN_MAX_ATTEMPTS: positiveInt(5),
  LOGIN_LOCKOUT_MINUTES: positiveInt(15),
  LOGIN_IP_MAX_ATTEMPTS: positiveInt(20),
  LOGIN_RATE_PER_MINUTE: positiveInt(10),
  LOGIN_GLOBAL_MAX_ATTEMPTS: positiveInt(100),
  REGISTER_RATE_LIMIT_PER_HOUR: positiveInt(20),
  /** Client ID Metadata Documents (an https URL as client_id); `false` turns them off and stops advertising them. */
  OAUTH_CIMD: z.enum(['true', 'false', '1', '0']).default('true'),
  /** Test only: fetch client documents and key sets from private addresses (refused when NODE_ENV=production). */
  OAUTH_CIMD_ALLOW_PRIVATE_ADDRESSES: z.enum(['true', 'false', '1', '0']).default('false'),
  ...identityEnvShape,
  OAUTH_UNUSED_CLIENT_DAYS: positiveInt(7),
};

export const oauthEnvSchema = z.object(oauthEnvShape);
export type OAuthEnv = z.output<typeof oauthEnvSchema>;

/** Everything the authorization server is configured with; built once at startup. */
export interface OAuthConfig {
  enabled: boolean;
  users: OperatorAccount[];
  allowedRedirectHosts: string[];
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  scopes: string[];
  defaultScopes: string[];
  /** Scopes an access token must carry to reach the MCP endpoints (else 403 insufficient_scope). */
  requiredScopes: string[];
  sessionTtlHours: number;
  loginMaxAttempts: number;
  loginLockoutMinutes: number;
  loginIpMaxAttempts: number;
  loginRatePerMinute: number;
  loginGlobalMaxAttempts: number;
  registerRateLimitPerHour: number;
  /** Registrations that never obtained a grant are deleted this many days after registering. */
  unusedClientDays: number;
  /** Authorization code lifetime (OAuth 2.1 recommends at most 10 minutes; we use 60 s). */
  codeTtlSeconds: number;
  /** How long a rotated refresh token still returns the same new pair (concurrent refreshes). */
  refreshGraceSeconds: number;
  /** Client ID Metadata Documents: accepted and advertised when `enabled`. */
  cimd: { enabled: boolean; allowPrivateAddresses: boolean };
  /** Company IdP sign-in, who may connect, enterprise-managed authorization (identity/env.ts). */
  identity: IdentityConfig;
}

/** A configuration problem; `variable` names the environment variable at fault. */
export class OAuthConfigError extends Error {
  readonly code = 'OAUTH_CONFIG';
  readonly variable: string;

  constructor(variable: string, message: string) {
    super(`${variable} ${message}`);
    this.name = 'OAuthConfigError';
    this.variable = variable;
  }
}

/**
 * Builds the `OAuthConfig` from parsed env values. Throws when default scopes are not supported or
 * OAuth is switched on without an operator account (nobody could ever consent).
 */
export function oauthConfigFromEnv(env: OAuthEnv): OAuthConfig {
  const defaultScopes = env.OAUTH_DEFAULT_SCOPES.length === 0 ? env.OAUTH_SCOPES : env.OAUTH_DEFAULT_SCOPES;
  const unknown = defaultScopes.filter((scope) => !env.OAUTH_SCOPES.includes(scope));
  if (unknown.length > 0) {
    throw new OAuthConfigError('OAUTH_DEFAULT_SCOPES', `names scopes not in OAUTH_SCOPES: ${unknown.join(' ')}`);
  }
  let identity: IdentityConfig;
  try {
    identity = identityConfigFromEnv(env);
  } catch (error) {
    if (!(error instanceof IdentityConfigError)) throw error;
    throw new OAuthConfigError(error.variable, error.message.slice(error.variable.length + 1));
  }
  // Local accounts are on exactly when AUTH_USERS lists one; the company IdP and trusted
  // assertion issuers are the other ways in. OAuth with none of them could never issue a token.
  const waysIn = env.AUTH_USERS.length > 0 || identity.oidc !== undefined || identity.emaTrustedIssuers.length > 0;
  const enabled = env.OAUTH_ENABLED ?? waysIn;
  if (enabled && !waysIn) {
    throw new OAuthConfigError(
      'AUTH_USERS',
      'needs at least one account when OAUTH_ENABLED is true (npm run hash-password), or set OIDC_ISSUER for company sign-in',
    );
  }
  return {
    enabled,
    users: env.AUTH_USERS,
    allowedRedirectHosts: env.ALLOWED_REDIRECT_HOSTS,
    accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlDays: env.REFRESH_TOKEN_TTL_DAYS,
    scopes: env.OAUTH_SCOPES,
    defaultScopes,
    requiredScopes: defaultScopes.slice(0, 1),
    sessionTtlHours: env.SESSION_TTL_HOURS,
    loginMaxAttempts: env.LOGIN_MAX_ATTEMPTS,
    loginLockoutMinutes: env.LOGIN_LOCKOUT_MINUTES,
    loginIpMaxAttempts: env.LOGIN_IP_MAX_ATTEMPTS,
    loginRatePerMinute: env.LOGIN_RATE_PER_MINUTE,
    loginGlobalMaxAttempts: env.LOGIN_GLOBAL_MAX_ATTEMPTS,
    registerRateLimitPerHour: env.REGISTER_RATE_LIMIT_PER_HOUR,
    unusedClientDays: env.OAUTH_UNUSED_CLIENT_DAYS,
    codeTtlSeconds: 60,
    refreshGraceSeconds: 30,
    cimd: {
      enabled: ['true', '1'].includes(env.OAUTH_CIMD),
      allowPrivateAddresses: ['true', '1'].includes(env.OAUTH_CIMD_ALLOW_PRIVATE_ADDRESSES),
    },
    identity,
  };
}
