import type { Context } from 'hono';
import { OAuthError } from './errors.ts';
import { hashSecret, safeEqual } from './secrets.ts';
import type { ClientRecord, OAuthStore } from './types.ts';

function decodeBasicPart(value: string): string {
  // RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic encoding.
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

/**
 * Authenticates the client at the token and revocation endpoints (RFC 6749 §2.3.1): HTTP Basic
 * (`client_secret_basic`), `client_id` + `client_secret` in the body (`client_secret_post`), or
 * `client_id` alone for public clients (`none`). Confidential clients may use either secret method
 * (the MCP SDK only sends secrets in the body); secrets are compared as hashes in constant time.
 * Every failure is 401 `invalid_client`, with a Basic challenge when Basic was tried (§5.2).
 */
export function authenticateClient(c: Context, form: Record<string, string>, store: OAuthStore): ClientRecord {
  const header = c.req.header('Authorization');
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
  const refuse = () =>
    new OAuthError('invalid_client', 'Client authentication failed', { basicChallenge: basic });
  if (!clientId || clientId.length > 200) throw refuse();
  const client = store.getClient(clientId);
  if (!client) throw refuse();
  if (client.secretHash === undefined) {
    if (secret !== undefined && secret !== '') throw refuse();
    return client;
  }
  if (secret === undefined || !safeEqual(hashSecret(secret), client.secretHash)) throw refuse();
  return client;
}
