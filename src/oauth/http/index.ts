import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { embeddedCounters, type Counters } from '../../state/counters.ts';
import { bodyLimit } from 'hono/body-limit';
import type { TokenVerifier } from '../../auth/verifier.ts';
import { adminRoutes, type AdminConsoleDeps } from './admin.ts';
import { purgeUnusedClients } from '../core/client-purge.ts';
import { authorizeRoutes } from './authorize.ts';
import { createAssertionVerifier } from '../core/client-assertion.ts';
import { createClientDirectory } from '../core/client-directory.ts';
import type { OAuthConfig } from '../core/env.ts';
import type { OAuthContext } from './context.ts';
import { createIdJagVerifier } from '../core/id-jag.ts';
import { idpPolicy } from '../core/identity/idp-policy.ts';
import { localAccounts } from '../core/identity/local-accounts.ts';
import { createOidcClient, type OidcFetch } from '../core/identity/oidc-client.ts';
import { createIdentities } from '../core/identity/person.ts';
import { createKeyRing, type KeyRing } from '../core/keys.ts';
import { metadataRoutes } from './metadata.ts';
import { oidcSignInRoutes } from './oidc-signin.ts';
import { recordRoutes, type RenderRecord } from './records.ts';
import { registerRoutes } from './register.ts';
import { revokeRoutes } from './revoke.ts';
import { createSafeFetch, type SafeFetchOptions } from '../core/safe-fetch.ts';
import { createRequireBrowserSession, signInRoutes, type BrowserSessionEnv } from './signin.ts';
import { tokenRoutes } from './token.ts';
import type { ClientRecord, Clock, EmbeddedOAuthStore, JsonWebKeySet, OAuthLogger, OAuthStore } from '../core/types.ts';
import type { FetchedDocumentCache } from '../core/document-cache.ts';
import { prmUrlFor } from '../core/urls.ts';
import { createOAuthVerifier } from '../../auth/oauth-verifier.ts';

interface OAuthBaseDeps {
  clock: Clock;
  config: OAuthConfig;
  logger: OAuthLogger;
  /**
   * PUBLIC_BASE_URL plus the trusted environment prefix for this request, no trailing slash (the
   * issuer). Default: `c.get('publicBase')`, set by the server's public-URL middleware.
   */
  publicBase?(c: Context): string;
  /**
   * The caller's address after trusted-proxy resolution (per-IP registration limit, sign-in
   * lockout). Default: `c.get('clientIp')`, set by the same middleware.
   */
  clientIp?(c: Context): string;
  /** Renders `/records/<id>`; without it the records route is not mounted. */
  renderRecord?: RenderRecord;
  /**
   * Test seams of the guarded fetch for client documents and key sets: an extra CA, a resolver,
   * exempt addresses. The address policy itself comes from `config.cimd`.
   */
  outbound?: Pick<SafeFetchOptions, 'ca' | 'resolve' | 'exemptAddresses'>;
  /** Test seam: the fetch openid-client uses to reach the company IdP (to tamper with its answers). */
  oidcFetch?: OidcFetch;
  /** The operator console at `/admin` (issue 14); without it the console is not mounted. */
  admin?: AdminConsoleDeps;
  /** Where client documents (CIMD) and client key sets are cached; default: in this process. */
  documentCaches?: { clients: FetchedDocumentCache<ClientRecord>; keySets: FetchedDocumentCache<JsonWebKeySet> };
}

/**
 * The state: an embedded store (memory or sqlite) brings its own counters unless shared ones are
 * given; a shared store (Redis) always comes with shared counters (sign-in throttle, registration
 * and client-document budgets), so no limit is silently per replica.
 */
export type OAuthDeps = OAuthBaseDeps & ({ store: EmbeddedOAuthStore; counters?: Counters } | { store: OAuthStore; counters: Counters });

export interface OAuth {
  /** Every OAuth route, to mount at the app root (`app.route('/', oauth.routes)`) before auth middleware. */
  routes: Hono;
  /** Accepts our ES256 access tokens; null for tokens that are not JWTs (chain after API keys). */
  verifier: TokenVerifier;
  /** Browser-session guard (redirects to sign-in), already applied to `/records/*` in `routes`. */
  requireBrowserSession: MiddlewareHandler<BrowserSessionEnv>;
  /** RFC 9728 metadata URL for an endpoint, for `WWW-Authenticate: Bearer resource_metadata=…`. */
  prmUrlFor(publicBase: string, resourcePath: string): string;
  /** Scopes for the 401 challenge's `scope` parameter (MCP 2025-11-25): the default grant. */
  challengeScopes: readonly string[];
  keys: KeyRing;
  /** Settles once the startup purge of unused registrations has run (a store failure is logged, never thrown). */
  ready: Promise<void>;
}

function fromContext(name: 'publicBase' | 'clientIp'): (c: Context) => string {
  return (c) => {
    const value: unknown = c.get(name as never);
    if (typeof value !== 'string') throw new Error(`OAuth routes need c.get('${name}'): mount them after the public-URL middleware`);
    return value;
  };
}

const PURGE_INTERVAL_MS = 10 * 60_000;
/** No OAuth request body is legitimately larger (redirect URIs and state are bounded far below). */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * Builds the authorization server (RFC 8414/9728 discovery, RFC 7591 registration, authorize with
 * operator sign-in and consent, token, RFC 7009 revocation, JWKS) and the matching resource-server
 * verifier over one store. Expired state and registrations never used within OAUTH_UNUSED_CLIENT_DAYS
 * are purged at startup and then lazily, at most every ten minutes, on requests.
 */
export function createOAuth(deps: OAuthDeps): OAuth {
  const keys = createKeyRing(deps.store, deps.clock, deps.config.accessTokenTtlSeconds);
  const outbound = createSafeFetch({ ...deps.outbound, allowPrivateAddresses: deps.config.cimd.allowPrivateAddresses });
  const identity = deps.config.identity;
  const users = deps.config.users.map((user) => user.user);
  const identities = createIdentities([localAccounts(users), idpPolicy(identity.policy)], users.length > 0);
  const oidcClient = identity.oidc ? createOidcClient(identity.oidc, deps.clock, deps.oidcFetch) : undefined;
  // Without shared counters the union above guarantees an embedded store.
  const counters = deps.counters ?? embeddedCounters(deps.store as EmbeddedOAuthStore);
  const ctx: OAuthContext = {
    counters,
    store: deps.store,
    clock: deps.clock,
    config: deps.config,
    logger: deps.logger,
    keys,
    clients: createClientDirectory({
      store: deps.store,
      counters,
      clock: deps.clock,
      logger: deps.logger,
      allowedRedirectHosts: deps.config.allowedRedirectHosts,
      ...(deps.config.cimd.enabled ? { fetch: outbound } : {}),
      ...(deps.documentCaches ? { cache: deps.documentCaches.clients } : {}),
    }),
    assertions: createAssertionVerifier({
      clock: deps.clock,
      replay: deps.store,
      logger: deps.logger,
      fetch: outbound,
      ...(deps.documentCaches ? { cache: deps.documentCaches.keySets } : {}),
    }),
    identities,
    ...(identity.emaTrustedIssuers.length > 0
      ? {
          idJag: createIdJagVerifier({
            clock: deps.clock,
            replay: deps.store,
            logger: deps.logger,
            fetch: outbound,
            trustedIssuers: identity.emaTrustedIssuers,
          }),
        }
      : {}),
    publicBase: deps.publicBase ?? fromContext('publicBase'),
    clientIp: deps.clientIp ?? fromContext('clientIp'),
  };
  const requireBrowserSession = createRequireBrowserSession(ctx);
  let lastPurge = 0;
  const purgeUnused = async (now: number): Promise<void> => {
    const deleted = await purgeUnusedClients(deps.store, now, deps.config.unusedClientDays);
    if (deleted.length > 0) deps.logger.info('oauth.clients_purged', { count: deleted.length, client_ids: deleted });
  };
  // Housekeeping never fails a request or the startup: a store that cannot answer is logged.
  const logged = (work: Promise<unknown>): Promise<void> =>
    work.then(
      () => undefined,
      (error: unknown) => deps.logger.warn('oauth.purge_failed', { error: error instanceof Error ? error.name : 'unknown' }),
    );
  const ready = logged(purgeUnused(deps.clock.now()));

  const routes = new Hono();
  routes.use('*', async (_c, next) => {
    await ready;
    const now = deps.clock.now();
    if (now - lastPurge > PURGE_INTERVAL_MS) {
      lastPurge = now;
      await logged(deps.store.purge(now).then(() => purgeUnused(now)));
    }
    await next();
  });
  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => c.json({ error: 'invalid_request', error_description: 'Request body too large' }, 413),
  });
  for (const path of ['/register', '/authorize', '/token', '/revoke', '/signin', '/admin/revoke']) routes.post(path, limitBody);
  routes.route('/', metadataRoutes(ctx));
  routes.route('/', registerRoutes(ctx));
  routes.route('/', oidcSignInRoutes(ctx, oidcClient));
  routes.route('/', signInRoutes(ctx));
  routes.route('/', authorizeRoutes(ctx));
  routes.route('/', tokenRoutes(ctx));
  routes.route('/', revokeRoutes(ctx));
  if (deps.renderRecord) routes.route('/', recordRoutes(ctx, requireBrowserSession, deps.renderRecord));
  if (deps.admin) routes.route('/', adminRoutes(ctx, requireBrowserSession, deps.admin));

  return {
    routes,
    verifier: createOAuthVerifier({
      keys,
      store: deps.store,
      clock: deps.clock,
      logger: deps.logger,
      requiredScopes: deps.config.requiredScopes,
      identities,
    }),
    requireBrowserSession,
    prmUrlFor,
    challengeScopes: deps.config.defaultScopes,
    keys,
    ready,
  };
}
