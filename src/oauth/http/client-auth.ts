import type { Context } from 'hono';
import { decodeJwt } from 'jose';
import { JWT_BEARER_ASSERTION, type AssertionVerifier } from '../core/client-assertion.ts';
import type { ClientDirectory } from '../core/client-directory.ts';
import { OAuthError } from '../core/errors.ts';
import { hashSecret, safeEqual } from '../core/secrets.ts';
import type { ClientRecord, TokenEndpointAuthMethod } from '../core/types.ts';

export interface ClientAuthDeps {
  clients: ClientDirectory;
  assertions: AssertionVerifier;
  /** Accepted `aud` values of a client assertion: this endpoint's URL and the issuer. */
  audiences: string[];
  /** The caller's address (budget of client document fetches). */
  requester?: string;
}

/** Whether the client registered (or its document declares) `method`. */
export function clientMay(client: ClientRecord, method: TokenEndpointAuthMethod): boolean {
  return client.tokenEndpointAuthMethod === method || (client.alsoAuthMethods ?? []).includes(method);
}

/**
 * RFC 7523 §2.2 `private_key_jwt`: the client is named by the assertion's `sub` (and `client_id`,
 * if sent, must agree); the signature, claims and single use are checked by the verifier.
 */
async function authenticateByAssertion(form: Record<string, string>, deps: ClientAuthDeps): Promise<ClientRecord> {
  if (form.client_assertion_type !== JWT_BEARER_ASSERTION || !form.client_assertion) {
    throw new OAuthError('invalid_client', `client_assertion_type must be ${JWT_BEARER_ASSERTION} with a client_assertion`);
  }
  if (form.client_secret !== undefined) throw new OAuthError('invalid_request', 'Use one client authentication method');
  let subject: unknown;
  try {
    subject = decodeJwt(form.client_assertion).sub;
  } catch (cause) {
    throw new OAuthError('invalid_client', 'Client assertion refused: not a JWT', { cause });
  }
  if (typeof subject !== 'string' || (form.client_id !== undefined && form.client_id !== subject)) {
    throw new OAuthError('invalid_client', 'Client assertion refused: sub does not name the client');
  }
  const found = await deps.clients.find(subject, deps.requester);
  if (!found.ok) throw new OAuthError('invalid_client', `Client authentication failed: ${found.reason}`);
  if (!clientMay(found.client, 'private_key_jwt')) {
    throw new OAuthError('invalid_client', 'The client is not registered for private_key_jwt');
  }
  await deps.assertions.verify(form.client_assertion, found.client, deps.audiences);
  return found.client;
}

function decodeBasicPart(value: string): string {
  // RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic encoding.
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

/**
 * Authenticates the client at the token and revocation endpoints (RFC 6749 §2.3.1): HTTP Basic
 * (`client_secret_basic`), `client_id` + `client_secret` in the body (`client_secret_post`), a
 * signed assertion (`private_key_jwt`, RFC 7523), or `client_id` alone for public clients
 * (`none`). Confidential clients may use either secret method (the MCP SDK only sends secrets in
 * the body); secrets are compared as hashes in constant time. A client holding keys must sign
 * unless it also declared `none`. Every failure is 401 `invalid_client`, with a Basic challenge
 * when Basic was tried (§5.2).
 */
export async function authenticateClient(c: Context, form: Record<string, string>, deps: ClientAuthDeps): Promise<ClientRecord> {
  const header = c.req.header('Authorization');
  if (form.client_assertion !== undefined || form.client_assertion_type !== undefined) {
    if (header !== undefined && /^basic /i.test(header)) throw new OAuthError('invalid_request', 'Use one client authentication method');
    return authenticateByAssertion(form, deps);
  }
  let clientId = form.client_id;
  let secret = form.client_secret;
  const basic = header !== undefined && /^basic /i.test(header);
  if (basic) {
    if (secret !== undefined) throw new OAuthError('invalid_request', 'Use one client authentication method');
    let decoded: string;
    try {
      decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) throw new Error('no colon');
      const basicId = decodeBasicPart(decoded.slice(0, colon));
      if (clientId !== undefined && clientId !== basicId) throw new Error('client_id mismatch');
      clientId = basicId;
      secret = decodeBasicPart(decoded.slice(colon + 1));
    } catch (cause) {
      throw new OAuthError('invalid_client', 'Malformed Basic credentials', { basicChallenge: true, cause });
    }
  }
  const refuse = () => new OAuthError('invalid_client', 'Client authentication failed', { basicChallenge: basic });
  if (!clientId) throw refuse();
  const found = await deps.clients.find(clientId, deps.requester);
  if (!found.ok) throw refuse();
  const client = found.client;
  if (client.secretHash === undefined) {
    if (secret !== undefined && secret !== '') throw refuse();
    if (!clientMay(client, 'none')) {
      throw new OAuthError('invalid_client', 'This client must authenticate with private_key_jwt', { basicChallenge: basic });
    }
    return client;
  }
  if (secret === undefined || !safeEqual(hashSecret(secret), client.secretHash)) throw refuse();
  return client;
}
