import { z } from 'zod';
import { boolVar, intVar, listVar } from '../../../config-values.ts';
import type { IdpPolicyConfig } from './idp-policy.ts';

/**
 * The identity part of the environment schema (company IdP sign-in, who may connect, enterprise-
 * managed authorization, grant lifetime), merged by `src/config.ts` next to `oauthEnvShape`.
 */
export const identityEnvShape = {
  /** The company OpenID Provider's issuer; setting it turns on "Sign in with …" at /authorize. */
  OIDC_ISSUER: z.string().optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  /** A private key (PKCS#8 PEM, or a private JWK as JSON) for `private_key_jwt` instead of a secret. */
  OIDC_CLIENT_PRIVATE_KEY_FILE: z.string().optional(),
  OIDC_SCOPES: z.string().optional(),
  /** Label of the sign-in button ("Sign in with Contoso"). */
  OIDC_PROVIDER_NAME: z.string().optional(),
  OIDC_GROUPS_CLAIM: z.string().optional(),
  OIDC_ALLOWED_GROUPS: listVar(),
  OIDC_ALLOWED_EMAIL_DOMAINS: listVar(),
  OIDC_ALLOWED_USERS: listVar(),
  OIDC_ADMIN_GROUPS: listVar(),
  /** Test only: an http:// issuer (a provider on 127.0.0.1); refused when NODE_ENV=production. */
  OIDC_ALLOW_HTTP_ISSUER: boolVar(false),
  /** Issuers whose identity assertions (ID-JAG) /token accepts without a consent page. */
  OAUTH_EMA_TRUSTED_ISSUERS: listVar(),
  /** A grant ends this many days after the person signed in, however often it is refreshed. */
  OAUTH_MAX_GRANT_DAYS: intVar(90, 1, 3650),
};

type IdentityEnv = z.output<z.ZodObject<typeof identityEnvShape>>;

/** Sign-in at the company OpenID Provider (authorization code + PKCE + state + nonce). */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  privateKeyFile?: string;
  scopes: string[];
  providerName: string;
  allowHttp: boolean;
}

export interface IdentityConfig {
  oidc?: OidcConfig;
  policy: IdpPolicyConfig;
  /** Issuers whose ID-JAGs are accepted at /token (enterprise-managed authorization). */
  emaTrustedIssuers: string[];
  maxGrantDays: number;
}

/** A configuration problem; `variable` names the environment variable at fault. */
export class IdentityConfigError extends Error {
  readonly code = 'IDENTITY_CONFIG';
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(`${variable} ${message}`);
    this.name = 'IdentityConfigError';
    this.variable = variable;
  }
}

/** Entra's multi-tenant endpoints issue tokens whose `iss` names each tenant: they cannot be one issuer. */
const ENTRA_SHARED = /^https:\/\/login\.microsoftonline\.com\/(common|organizations|consumers)(\/|$)/i;

function checkIssuer(variable: string, value: string, allowHttp: boolean): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new IdentityConfigError(variable, `must be an absolute URL, got "${value}"`);
  }
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) {
    throw new IdentityConfigError(variable, 'must be an https URL');
  }
  if (ENTRA_SHARED.test(value)) {
    throw new IdentityConfigError(
      variable,
      "must be your tenant's issuer, https://login.microsoftonline.com/<tenant id>/v2.0 (common/organizations/consumers let any tenant in)",
    );
  }
  return value;
}

/**
 * Builds the identity settings. Throws when the IdP is set up halfway (no client id or credential),
 * or when people from an IdP could sign in but no rule says who may (an IdP such as Google would
 * otherwise admit every account on the internet).
 */
export function identityConfigFromEnv(env: IdentityEnv): IdentityConfig {
  const trimmed = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());
  const issuer = trimmed(env.OIDC_ISSUER);
  let oidc: OidcConfig | undefined;
  if (issuer !== undefined) {
    const clientId = trimmed(env.OIDC_CLIENT_ID);
    if (!clientId) throw new IdentityConfigError('OIDC_CLIENT_ID', 'is required when OIDC_ISSUER is set');
    const clientSecret = trimmed(env.OIDC_CLIENT_SECRET);
    const privateKeyFile = trimmed(env.OIDC_CLIENT_PRIVATE_KEY_FILE);
    if (!clientSecret && !privateKeyFile) {
      throw new IdentityConfigError('OIDC_CLIENT_SECRET', 'or OIDC_CLIENT_PRIVATE_KEY_FILE is required when OIDC_ISSUER is set');
    }
    const scopes = (trimmed(env.OIDC_SCOPES) ?? 'openid email profile').split(/[\s,]+/).filter(Boolean);
    if (!scopes.includes('openid')) throw new IdentityConfigError('OIDC_SCOPES', 'must include openid');
    oidc = {
      issuer: checkIssuer('OIDC_ISSUER', issuer, env.OIDC_ALLOW_HTTP_ISSUER),
      clientId,
      ...(clientSecret ? { clientSecret } : {}),
      ...(privateKeyFile ? { privateKeyFile } : {}),
      scopes,
      providerName: trimmed(env.OIDC_PROVIDER_NAME)?.slice(0, 80) ?? 'your company account',
      allowHttp: env.OIDC_ALLOW_HTTP_ISSUER,
    };
  }
  const emaTrustedIssuers = env.OAUTH_EMA_TRUSTED_ISSUERS.map((value) => checkIssuer('OAUTH_EMA_TRUSTED_ISSUERS', value, false));
  const policy: IdpPolicyConfig = {
    issuers: [...(oidc ? [oidc.issuer] : []), ...emaTrustedIssuers],
    groupsClaim: trimmed(env.OIDC_GROUPS_CLAIM) ?? 'groups',
    allowedGroups: env.OIDC_ALLOWED_GROUPS,
    allowedEmailDomains: env.OIDC_ALLOWED_EMAIL_DOMAINS.map((domain) => domain.toLowerCase().replace(/^@/, '')),
    allowedUsers: env.OIDC_ALLOWED_USERS,
    adminGroups: env.OIDC_ADMIN_GROUPS,
  };
  const rules = policy.allowedGroups.length + policy.allowedEmailDomains.length + policy.allowedUsers.length + policy.adminGroups.length;
  if (policy.issuers.length > 0 && rules === 0) {
    throw new IdentityConfigError(
      'OIDC_ALLOWED_GROUPS',
      '(or OIDC_ALLOWED_EMAIL_DOMAINS, OIDC_ALLOWED_USERS, OIDC_ADMIN_GROUPS) must say who may connect when OIDC_ISSUER or OAUTH_EMA_TRUSTED_ISSUERS is set',
    );
  }
  return { ...(oidc ? { oidc } : {}), policy, emaTrustedIssuers, maxGrantDays: env.OAUTH_MAX_GRANT_DAYS };
}
