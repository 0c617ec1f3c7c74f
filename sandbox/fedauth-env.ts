import { readFileSync } from 'node:fs';
import type { Login } from './backend.ts';
import type { FedAuthOptions } from './fedauth-verifier.ts';

/**
 * The sandbox's federated-authentication settings from its environment (sandbox/main.ts):
 * SANDBOX_FEDAUTH_JWKS (a JWKS file), SANDBOX_FEDAUTH_LOGINS (`upn-or-oid=reader|owner`, comma
 * separated), optional SANDBOX_FEDAUTH_ISSUER and SANDBOX_FEDAUTH_AUDIENCE. Unset JWKS = off.
 */
export function fedAuthFromEnv(env: Record<string, string | undefined>): FedAuthOptions | undefined {
  const file = env.SANDBOX_FEDAUTH_JWKS?.trim();
  if (!file) return undefined;
  const jwks = JSON.parse(readFileSync(file, 'utf8')) as FedAuthOptions['jwks'];
  if (!Array.isArray(jwks.keys)) throw new Error('SANDBOX_FEDAUTH_JWKS must name a JSON Web Key Set file ({"keys": [...]})');
  const logins: Record<string, Login['role']> = {};
  for (const entry of (env.SANDBOX_FEDAUTH_LOGINS ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)) {
    const [name, role] = entry.split('=').map((x) => x.trim());
    if (!name || (role !== 'reader' && role !== 'owner'))
      throw new Error(`SANDBOX_FEDAUTH_LOGINS: "${entry}" is not <upn-or-oid>=reader|owner`);
    logins[name] = role;
  }
  return {
    jwks,
    logins,
    ...(env.SANDBOX_FEDAUTH_ISSUER ? { issuer: env.SANDBOX_FEDAUTH_ISSUER } : {}),
    ...(env.SANDBOX_FEDAUTH_AUDIENCE ? { audience: env.SANDBOX_FEDAUTH_AUDIENCE } : {}),
  };
}
