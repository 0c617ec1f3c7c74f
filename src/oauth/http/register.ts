import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import { applicationTypeSchema, jwksSchema, jwksUriSchema } from '../core/client-metadata.ts';
import { addressKey } from '../core/address-key.ts';
import { describeIssue, OAuthError } from '../core/errors.ts';
import { parseJsonObject } from '../core/json-object.ts';
import { corsAnyOrigin, jsonNoStore, oauthErrorResponse, type OAuthContext } from './context.ts';
import { checkRedirectUri } from '../core/redirect-policy.ts';
import { hashSecret, randomToken } from '../core/secrets.ts';
import type { ClientRecord } from '../core/types.ts';

const metadataSchema = z.object({
  redirect_uris: z.array(z.string().max(2000)).min(1).max(10),
  token_endpoint_auth_method: z
    .enum(['none', 'client_secret_post', 'client_secret_basic', 'private_key_jwt'])
    .default('client_secret_basic'),
  // jwt-bearer: the ID-JAG grant of enterprise-managed authorization (refused at /token unless trusted issuers are set).
  grant_types: z
    .array(z.enum(['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:jwt-bearer']))
    .min(1)
    .default(['authorization_code', 'refresh_token']),
  response_types: z.array(z.literal('code')).min(1).default(['code']),
  client_name: z.string().trim().min(1).max(200).optional(),
  scope: z.string().max(1000).optional(),
  application_type: applicationTypeSchema.optional(),
  jwks_uri: jwksUriSchema.optional(),
  jwks: jwksSchema.optional(),
});
/** RFC 7591 §2: `private_key_jwt` needs keys, by reference or by value, never both. */
const keysConsistent = (meta: z.output<typeof metadataSchema>) =>
  meta.token_endpoint_auth_method === 'private_key_jwt'
    ? (meta.jwks_uri === undefined) !== (meta.jwks === undefined)
    : meta.jwks_uri === undefined && meta.jwks === undefined;

/**
 * `POST /register`, RFC 7591 dynamic client registration. Validates the redirect URIs against the
 * policy (400 `invalid_redirect_uri`), echoes the requested `token_endpoint_auth_method` (ChatGPT
 * and Claude check it), issues a `client_secret` (never expiring, `client_secret_expires_at: 0`)
 * only to confidential clients, persists the client, and limits registrations per IPv4 address or IPv6 /64 per hour
 * (ChatGPT registers once per connector, so a global bucket would let one abuser lock everyone out).
 */
export function registerRoutes(ctx: OAuthContext): Hono {
  const app = new Hono();
  app.use('/register', corsAnyOrigin);
  app.post('/register', async (c) => {
    try {
      const ip = ctx.clientIp(c);
      const count = await ctx.counters.hit(`register:${addressKey(ip)}`, ctx.clock.now(), 3_600_000);
      if (count > ctx.config.registerRateLimitPerHour) {
        c.header('Retry-After', '3600');
        throw new OAuthError('temporarily_unavailable', 'Too many registrations from this address', { status: 429 });
      }
      const body = parseJsonObject(await c.req.text());
      if (!body.ok) throw new OAuthError('invalid_client_metadata', body.reason);
      const parsed = metadataSchema.safeParse(body.value);
      if (!parsed.success) {
        throw new OAuthError('invalid_client_metadata', `Invalid client metadata: ${describeIssue(parsed.error, body.value)}`);
      }
      const meta = parsed.data;
      if (!keysConsistent(meta)) {
        throw new OAuthError('invalid_client_metadata', 'private_key_jwt needs exactly one of jwks_uri and jwks (and only it)');
      }
      for (const uri of meta.redirect_uris) {
        const verdict = checkRedirectUri(uri, ctx.config.allowedRedirectHosts);
        if (!verdict.ok) throw new OAuthError('invalid_redirect_uri', `Redirect URI ${verdict.reason}`);
      }
      const confidential = meta.token_endpoint_auth_method.startsWith('client_secret');
      const secret = confidential ? randomToken(32) : undefined;
      const client: ClientRecord = {
        clientId: randomUUID(),
        redirectUris: meta.redirect_uris,
        grantTypes: meta.grant_types,
        responseTypes: meta.response_types,
        tokenEndpointAuthMethod: meta.token_endpoint_auth_method,
        issuedAt: Math.floor(ctx.clock.now() / 1000),
        ...(secret ? { secretHash: hashSecret(secret) } : {}),
        ...(meta.client_name ? { clientName: meta.client_name } : {}),
        ...(meta.scope ? { scope: meta.scope } : {}),
        ...(meta.application_type ? { applicationType: meta.application_type } : {}),
        ...(meta.jwks_uri ? { jwksUri: meta.jwks_uri } : {}),
        ...(meta.jwks ? { jwks: meta.jwks } : {}),
      };
      await ctx.store.saveClient(client);
      ctx.logger.info('oauth.client_registered', {
        client_id: client.clientId,
        client_name: client.clientName,
        auth_method: client.tokenEndpointAuthMethod,
        ip,
      });
      return jsonNoStore(
        c,
        {
          client_id: client.clientId,
          client_id_issued_at: client.issuedAt,
          ...(secret ? { client_secret: secret, client_secret_expires_at: 0 } : {}),
          redirect_uris: client.redirectUris,
          grant_types: client.grantTypes,
          response_types: client.responseTypes,
          token_endpoint_auth_method: client.tokenEndpointAuthMethod,
          ...(client.clientName ? { client_name: client.clientName } : {}),
          ...(client.scope ? { scope: client.scope } : {}),
          ...(client.applicationType ? { application_type: client.applicationType } : {}),
          ...(client.jwksUri ? { jwks_uri: client.jwksUri } : {}),
          ...(client.jwks ? { jwks: client.jwks } : {}),
        },
        201,
      );
    } catch (error) {
      return oauthErrorResponse(c, error, ctx.logger);
    }
  });
  return app;
}
