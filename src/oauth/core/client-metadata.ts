import { z } from 'zod';
import { checkRedirectUri } from './redirect-policy.ts';
import type { ClientRecord, TokenEndpointAuthMethod } from './types.ts';

/** RFC 7591 §2 `jwks_uri`: where the client's public keys are; https only (fetched SSRF-guarded). */
export const jwksUriSchema = z
  .string()
  .max(2000)
  .refine((value) => /^https:\/\/[^\s]+$/i.test(value) && URL.canParse(value), 'must be an https URL');

/** RFC 7591 §2 `jwks`: public keys by value; private members (`d`, `k`…) are refused. */
export const jwksSchema = z
  .object({ keys: z.array(z.record(z.string(), z.unknown())).min(1).max(20) })
  .refine(
    (set) => set.keys.every((key) => !['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'].some((member) => member in key)),
    'must hold public keys only',
  );

/** OpenID Connect Registration §2 `application_type`, sent by MCP clients since SEP-837. */
export const applicationTypeSchema = z.enum(['web', 'native']);

const grantTypes = z
  .array(z.enum(['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:jwt-bearer']))
  .min(1)
  .default(['authorization_code', 'refresh_token']);

/**
 * A Client ID Metadata Document (draft-ietf-oauth-client-id-metadata-document §4): RFC 7591
 * metadata served at the `client_id` URL. Shared secrets make no sense for a public document, so
 * only `none` and `private_key_jwt` are accepted; unknown members are ignored.
 */
const documentSchema = z.object({
  client_id: z.string(),
  client_name: z.string().trim().min(1).max(200).optional(),
  redirect_uris: z.array(z.string().max(2000)).min(1).max(20),
  token_endpoint_auth_method: z.enum(['none', 'private_key_jwt']).default('none'),
  token_endpoint_auth_methods_supported: z.array(z.string().max(100)).max(20).optional(),
  grant_types: grantTypes,
  response_types: z.array(z.literal('code')).min(1).default(['code']),
  scope: z.string().max(1000).optional(),
  jwks_uri: jwksUriSchema.optional(),
  jwks: jwksSchema.optional(),
  application_type: applicationTypeSchema.optional(),
});

/**
 * Whether `clientId` has the shape of a CIMD client identifier (draft §3): an https URL with a
 * path, no fragment, no user information, no dot segments, and already in normal form (so the
 * string compared with the document's `client_id` is exactly what was fetched).
 */
export function isClientIdUrl(clientId: string): boolean {
  if (clientId.length > 2000 || !clientId.startsWith('https://')) return false;
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    return false;
  }
  if (url.href !== clientId || url.hash !== '' || clientId.includes('#')) return false;
  if (url.username !== '' || url.password !== '' || url.pathname === '/') return false;
  return !url.pathname.split('/').some((segment) => segment === '.' || segment === '..' || /^%2e/i.test(segment));
}

export type DocumentVerdict = { ok: true; client: ClientRecord } | { ok: false; reason: string };

/**
 * Validates a fetched document against its URL (draft §4.1: `client_id` equals the URL by simple
 * string comparison), the redirect policy (ALLOWED_REDIRECT_HOSTS applies as to registrations),
 * and the auth method (`private_key_jwt` needs exactly one of `jwks_uri`/`jwks`; no secrets).
 */
export function clientFromDocument(url: string, raw: unknown, allowedRedirectHosts: readonly string[], now: number): DocumentVerdict {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, reason: 'the document is not a JSON object' };
  if ('client_secret' in raw || 'client_secret_expires_at' in raw) {
    return { ok: false, reason: 'the document carries a client_secret' };
  }
  const parsed = documentSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `invalid ${issue?.path.join('.') || 'document'}: ${issue?.message ?? 'bad value'}` };
  }
  const doc = parsed.data;
  if (doc.client_id !== url) return { ok: false, reason: 'client_id in the document differs from its URL' };
  for (const uri of doc.redirect_uris) {
    const verdict = checkRedirectUri(uri, allowedRedirectHosts);
    if (!verdict.ok) return { ok: false, reason: `redirect URI ${uri} ${verdict.reason}` };
  }
  const keyed = doc.jwks_uri !== undefined || doc.jwks !== undefined;
  if (doc.jwks_uri !== undefined && doc.jwks !== undefined) return { ok: false, reason: 'jwks_uri and jwks are both present' };
  if (doc.token_endpoint_auth_method === 'private_key_jwt' && !keyed) {
    return { ok: false, reason: 'private_key_jwt needs jwks_uri or jwks' };
  }
  const also = (doc.token_endpoint_auth_methods_supported ?? []).filter(
    (method): method is TokenEndpointAuthMethod =>
      (method === 'none' || (method === 'private_key_jwt' && keyed)) && method !== doc.token_endpoint_auth_method,
  );
  return {
    ok: true,
    client: {
      clientId: url,
      redirectUris: doc.redirect_uris,
      grantTypes: doc.grant_types,
      responseTypes: doc.response_types,
      tokenEndpointAuthMethod: doc.token_endpoint_auth_method,
      issuedAt: Math.floor(now / 1000),
      registration: 'cimd',
      ...(doc.client_name ? { clientName: doc.client_name } : {}),
      ...(doc.scope ? { scope: doc.scope } : {}),
      ...(doc.jwks_uri ? { jwksUri: doc.jwks_uri } : {}),
      ...(doc.jwks ? { jwks: doc.jwks } : {}),
      ...(doc.application_type ? { applicationType: doc.application_type } : {}),
      ...(also.length > 0 ? { alsoAuthMethods: also } : {}),
    },
  };
}
