import { readFileSync } from 'node:fs';
import { importJWK, importPKCS8, type CryptoKey, type JWK } from 'jose';
import * as oidc from 'openid-client';
import type { Clock } from '../types.ts';
import type { OidcConfig } from './env.ts';

/** What the browser must carry from the redirect to the callback (sealed in a cookie). */
export interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
}

/** A fetch with the signature openid-client calls (test seam: tamper with the IdP's answers). */
export type OidcFetch = (url: string, init: RequestInit) => Promise<Response>;

export interface OidcClient {
  /** The IdP authorization URL (code + PKCE S256 + state + nonce) and what to remember. */
  start(redirectUri: string): Promise<{ url: string; pending: PendingSignIn }>;
  /**
   * Exchanges the code from `callback` (our public callback URL with the IdP's query) and returns
   * the verified ID token claims, completed by UserInfo when the IdP has one. openid-client checks
   * `state`, `iss` (RFC 9207, mix-up), PKCE, and the ID token: signature, issuer, audience, expiry,
   * nonce. Throws on any failure.
   */
  finish(callback: URL, pending: PendingSignIn): Promise<Record<string, unknown>>;
}

/** Reads the `private_key_jwt` key: a private JWK (JSON, its `alg` and `kid` used) or a PKCS#8 PEM (RSA → RS256, EC → ES256). */
async function privateKeyAuth(file: string): Promise<oidc.ClientAuth> {
  const text = readFileSync(file, 'utf8').trim();
  if (text.startsWith('{')) {
    const jwk = JSON.parse(text) as JWK;
    const key = (await importJWK(jwk, jwk.alg ?? 'RS256')) as CryptoKey;
    return oidc.PrivateKeyJwt(jwk.kid ? { key, kid: jwk.kid } : key);
  }
  let key: CryptoKey;
  try {
    key = await importPKCS8(text, 'RS256');
  } catch {
    key = await importPKCS8(text, 'ES256');
  }
  return oidc.PrivateKeyJwt(key);
}

/**
 * The relying party at the company OpenID Provider, with `openid-client` (certified). The IdP's
 * metadata is discovered on first use and kept; a failed discovery is retried at the next sign-in.
 * Time comes from `clock` (so expiry checks follow the server's clock seam).
 */
export function createOidcClient(config: OidcConfig, clock: Clock, fetch?: OidcFetch): OidcClient {
  const execute = config.allowHttp ? [oidc.allowInsecureRequests] : [];
  let discovered: Promise<{ server: oidc.ServerMetadata; auth: oidc.ClientAuth }> | undefined;
  let jwksCache: oidc.ExportedJWKSCache | undefined;
  const load = () => {
    discovered ??= (async () => {
      const auth = config.privateKeyFile ? await privateKeyAuth(config.privateKeyFile) : oidc.ClientSecretBasic(config.clientSecret);
      const options: oidc.DiscoveryRequestOptions = { execute, ...(fetch ? { [oidc.customFetch]: fetch as never } : {}) };
      const found = await oidc.discovery(new URL(config.issuer), config.clientId, undefined, auth, options);
      return { server: found.serverMetadata(), auth };
    })().catch((error: unknown) => {
      discovered = undefined;
      throw error;
    });
    return discovered;
  };
  /** A configuration whose notion of "now" is the server's clock (expiry checks follow the clock seam). */
  const settings = async () => {
    const { server, auth } = await load();
    const skew = Math.round((clock.now() - Date.now()) / 1000);
    const configuration = new oidc.Configuration(server, config.clientId, { [oidc.clockSkew]: skew }, auth);
    for (const step of execute) step(configuration);
    if (fetch) configuration[oidc.customFetch] = fetch as never;
    if (jwksCache) oidc.setJwksCache(configuration, jwksCache);
    return configuration;
  };
  // Private key files are read at startup, so a wrong path stops the server rather than a sign-in.
  if (config.privateKeyFile) {
    try {
      readFileSync(config.privateKeyFile);
    } catch (error) {
      throw new Error(`OIDC_CLIENT_PRIVATE_KEY_FILE cannot be read (${(error as { code?: string }).code ?? 'error'})`, { cause: error });
    }
  }

  return {
    async start(redirectUri) {
      const configuration = await settings();
      const pending: PendingSignIn = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier() };
      const url = oidc.buildAuthorizationUrl(configuration, {
        redirect_uri: redirectUri,
        scope: config.scopes.join(' '),
        code_challenge: await oidc.calculatePKCECodeChallenge(pending.verifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
      });
      return { url: url.href, pending };
    },
    async finish(callback, pending) {
      const configuration = await settings();
      try {
        const tokens = await oidc.authorizationCodeGrant(configuration, callback, {
          pkceCodeVerifier: pending.verifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
        const claims = tokens.claims();
        if (!claims) throw new Error('no ID token');
        let userinfo: Record<string, unknown> = {};
        if (configuration.serverMetadata().userinfo_endpoint && tokens.access_token) {
          userinfo = await oidc.fetchUserInfo(configuration, tokens.access_token, claims.sub);
        }
        // The ID token wins where both speak; UserInfo fills in what the token left out (groups, email).
        return { ...userinfo, ...claims };
      } finally {
        jwksCache = oidc.getJwksCache(configuration) ?? jwksCache;
      }
    },
  };
}
