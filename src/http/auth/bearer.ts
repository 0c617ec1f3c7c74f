import type { Context, MiddlewareHandler } from 'hono';
import { AppError } from '../../errors.ts';
import type { AppEnv } from '../context.ts';
import { protectedResourceMetadataUrl } from './oauth-integration.ts';
import type { Principal } from '../../auth/principal.ts';
import type { TokenVerifier } from '../../auth/verifier.ts';

/** Query parameters that would carry a credential in the URL (refused, item 25 and RFC 9700 §4.3.1). */
const QUERY_TOKEN_PARAMS = ['access_token', 'token', 'api_key', 'apikey', 'key', 'auth'];

export const ANONYMOUS: Principal = { id: 'anonymous', kind: 'anonymous', scopes: [] };

export interface BearerAuthOptions {
  /** Tried in order; the first non-null answer decides. Static API keys first, OAuth JWTs next. */
  verifiers: readonly TokenVerifier[];
  /** The protected resource's path under the public prefix, for `resource` and `resource_metadata` (`/mcp` or `/sse`). */
  resourcePath: (c: Context<AppEnv>) => string;
  /** When OAuth is on: challenges carry `resource_metadata` and these scopes. */
  oauth?: { challengeScopes: readonly string[] } | undefined;
  /** ALLOW_UNAUTH_*: requests without credentials proceed as the anonymous principal. */
  allowAnonymous: boolean;
  realm?: string;
}

/**
 * Builds the `WWW-Authenticate` value (RFC 6750 §3). Without credentials there is no `error`
 * parameter (Claude starts OAuth only on such a 401, item 23); with a bad token `invalid_token`
 * (item 24). With OAuth on, `resource_metadata` is the absolute RFC 9728 URL on the public
 * origin and prefix; otherwise a plain realm.
 */
export function bearerChallenge(
  c: Context<AppEnv>,
  options: Pick<BearerAuthOptions, 'resourcePath' | 'oauth' | 'realm'>,
  error?: { code: 'invalid_token' | 'invalid_request' | 'insufficient_scope'; description: string },
): string {
  const params: string[] = [];
  if (!options.oauth) params.push(`realm="${options.realm ?? 'mssql-deep-research'}"`);
  if (error) {
    params.push(`error="${error.code}"`, `error_description="${error.description.replace(/["\\]/g, '')}"`);
  }
  if (options.oauth) {
    const path = c.get('publicPrefix') + options.resourcePath(c);
    params.push(`resource_metadata="${protectedResourceMetadataUrl(c.get('publicOrigin'), path)}"`);
    if (options.oauth.challengeScopes.length > 0) params.push(`scope="${options.oauth.challengeScopes.join(' ')}"`);
  }
  return `Bearer ${params.join(', ')}`;
}

/** The 401 a protected route answers when the caller brought no usable credentials. */
export function unauthorized(c: Context<AppEnv>, options: Pick<BearerAuthOptions, 'resourcePath' | 'oauth' | 'realm'>): AppError {
  return new AppError('UNAUTHORIZED', 'Authentication required: send Authorization: Bearer <token>.', {
    headers: { 'WWW-Authenticate': bearerChallenge(c, options) },
  });
}

/**
 * Authenticates the caller from the `Authorization: Bearer` header only (RFC 6750 §2.1) and sets
 * `principal`. Credentials in the query string are refused outright (400), so they are never
 * accepted from URLs that end up in logs and browser history.
 */
export function bearerAuth(options: BearerAuthOptions): MiddlewareHandler<AppEnv> {
  return async function bearerAuthMiddleware(c, next) {
    const url = new URL(c.req.url);
    if (QUERY_TOKEN_PARAMS.some((name) => url.searchParams.has(name))) {
      const description = 'Credentials in the query string are not accepted; use the Authorization header.';
      throw new AppError('TOKEN_IN_QUERY', description, {
        headers: { 'WWW-Authenticate': bearerChallenge(c, options, { code: 'invalid_request', description }) },
      });
    }
    const header = c.req.header('authorization')?.trim() || undefined;
    const match = header === undefined ? null : /^Bearer(?:\s+(.*))?$/i.exec(header);
    if (!match) {
      // No bearer credentials at all (absent, or another scheme such as Basic).
      if (options.allowAnonymous && header === undefined) {
        c.set('principal', ANONYMOUS);
        return next();
      }
      throw unauthorized(c, options);
    }
    const token = (match[1] ?? '').trim();
    const resource = c.get('publicBase') + options.resourcePath(c);
    let result = null;
    if (token !== '' && !/\s/.test(token)) {
      for (const verifier of options.verifiers) {
        result = await verifier.verify(token, { resource });
        if (result) break;
      }
    }
    if (!result || (!result.ok && result.error === 'invalid_token')) {
      const description = result && !result.ok ? result.description : 'The access token is not valid.';
      throw new AppError('INVALID_TOKEN', description, {
        headers: { 'WWW-Authenticate': bearerChallenge(c, options, { code: 'invalid_token', description }) },
      });
    }
    if (!result.ok) {
      throw new AppError('INSUFFICIENT_SCOPE', result.description, {
        headers: {
          'WWW-Authenticate': bearerChallenge(c, options, { code: 'insufficient_scope', description: result.description }),
        },
      });
    }
    c.set('principal', result.principal);
    await next();
  };
}
