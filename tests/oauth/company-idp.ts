/**
 * "The company IdP" for the identity tests: a real, certified OpenID Provider (`oidc-provider`) on a
 * free 127.0.0.1 port, with people in different groups, its own RSA signing key, and its own
 * interaction forms (login, then consent) that the tests fill in over HTTP like a browser.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider from 'oidc-provider';
import { actionUrl, type Fetcher } from './flow.ts';
import { formPost, parseForm } from './helpers.ts';

export interface IdpPerson {
  email?: string;
  email_verified?: boolean;
  name?: string;
  groups?: string[];
  /** Extra claims (an Entra `_claim_names` overage marker, `oid`). */
  extra?: Record<string, unknown>;
}

export interface CompanyIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** People by login name; change an entry to change what the IdP says at the next sign-in. */
  people: Map<string, IdpPerson>;
  /** The private signing key (tests forge tokens with it, e.g. for another audience). */
  signingKey: JWK;
  close(): Promise<void>;
}

const SECRET = 'company-idp-client-secret-0123456789abcdef';

/** Starts the provider; `redirectUris` are the connector callbacks it accepts. */
export async function startCompanyIdp(options: {
  redirectUris: string[];
  people: Record<string, IdpPerson>;
  clientId?: string;
  /** The connector authenticates with private_key_jwt using the private half of this public key set. */
  clientJwks?: { keys: JWK[] };
}): Promise<CompanyIdp> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const people = new Map(Object.entries(options.people));
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'idp-key-1', alg: 'RS256', use: 'sig' };
  const clientId = options.clientId ?? 'mssql-connector';
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        redirect_uris: options.redirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code'],
        ...(options.clientJwks
          ? { token_endpoint_auth_method: 'private_key_jwt', jwks: options.clientJwks }
          : { client_secret: SECRET, token_endpoint_auth_method: 'client_secret_basic' }),
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: ['company-idp-cookie-key-for-tests-only'] },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'groups', 'oid', '_claim_names', '_claim_sources'],
    },
    // Claims go into the ID token as well as UserInfo, as Entra, Okta, Google and Keycloak do.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    // ID tokens live one minute, so a server clock five minutes ahead sees them expired.
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 60 },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx, id) {
      const person = people.get(id);
      if (!person) return undefined;
      return {
        accountId: id,
        async claims() {
          const current = people.get(id) ?? person;
          return {
            sub: id,
            ...(current.email !== undefined ? { email: current.email, email_verified: current.email_verified ?? true } : {}),
            name: current.name ?? id,
            ...(current.groups ? { groups: current.groups } : {}),
            ...current.extra,
          };
        },
      };
    },
  });
  server.on('request', provider.callback());
  return {
    issuer,
    clientId,
    clientSecret: SECRET,
    people,
    signingKey,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Signs in at the IdP as `login` through its real forms, starting from the IdP's authorization URL:
 * the login form, then (first time for this client) the consent form. Returns the redirect back to
 * the connector's callback (a URL with `code`, `state`, `iss`). `agent` keeps the IdP's cookies.
 */
export async function signInAtIdp(agent: { go: Fetcher }, authorizationUrl: string, login: string): Promise<string> {
  let url = authorizationUrl;
  for (let step = 0; step < 8; step += 1) {
    const response = await agent.go(url);
    if (response.status >= 300 && response.status < 400) {
      const location = new URL(response.headers.get('Location') ?? '', url).href;
      if (!location.startsWith(new URL(authorizationUrl).origin)) return location;
      url = location;
      continue;
    }
    if (response.status !== 200) throw new Error(`IdP answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
    const form = parseForm(await response.text());
    const fields = form.fields.prompt === 'login' ? { ...form.fields, login, password: 'any' } : form.fields;
    const posted = await agent.go(actionUrl(url, form.action), formPost(fields));
    if (posted.status < 300 || posted.status >= 400) throw new Error(`IdP form answered ${posted.status}`);
    url = new URL(posted.headers.get('Location') ?? '', url).href;
  }
  throw new Error('the IdP did not send the browser back');
}

/** The connector's environment for sign-in at `idp` (http issuer allowed: a test provider on 127.0.0.1). */
export function idpEnv(idp: CompanyIdp, extra: Record<string, string> = {}): Record<string, string> {
  return {
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: idp.clientId,
    OIDC_CLIENT_SECRET: idp.clientSecret,
    OIDC_ALLOW_HTTP_ISSUER: 'true',
    OIDC_PROVIDER_NAME: 'Corp SSO',
    OIDC_ALLOWED_GROUPS: 'sql-readers',
    ...extra,
  };
}
