import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import type { Login } from './backend.ts';

/** The audience of an Entra ID access token for Azure SQL / SQL Server. */
export const SQL_TOKEN_AUDIENCE = 'https://database.windows.net/';

/** How the sandbox accepts LOGIN7 access tokens (federated authentication). */
export interface FedAuthOptions {
  /** The public keys tokens are signed with (what Entra ID publishes at its jwks_uri). */
  jwks: JSONWebKeySet;
  /** Expected `aud` (default https://database.windows.net/, with or without the final slash). */
  audience?: string;
  /** Expected `iss`, when given. */
  issuer?: string;
  /**
   * Who may log in: a token's `upn` (a person) or `oid` (an application or managed identity) →
   * the sandbox role it gets, like `CREATE USER [name] FROM EXTERNAL PROVIDER` on Azure SQL.
   */
  logins: Record<string, Login['role']>;
}

/**
 * Verifies an access token (signature against `jwks`, audience, issuer, expiry) and maps it to a
 * login named after its `upn`, else its `oid`. Anything else — bad signature, expired, another
 * audience, an unknown principal — is no login (SQL Server's error 18456).
 */
export function tokenAuthenticator(options: FedAuthOptions): (token: string) => Promise<Login | null> {
  const keys = createLocalJWKSet(options.jwks);
  const audience = options.audience ?? SQL_TOKEN_AUDIENCE;
  const audiences = [audience, audience.endsWith('/') ? audience.slice(0, -1) : `${audience}/`];
  const logins = new Map(Object.entries(options.logins).map(([name, role]) => [name.toLowerCase(), { name, role }]));
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        audience: audiences,
        ...(options.issuer ? { issuer: options.issuer } : {}),
        requiredClaims: ['exp'],
      });
      for (const claim of ['upn', 'oid']) {
        const value = payload[claim];
        const found = typeof value === 'string' ? logins.get(value.toLowerCase()) : undefined;
        if (found) return { user: found.name, role: found.role };
      }
      return null;
    } catch {
      return null;
    }
  };
}
