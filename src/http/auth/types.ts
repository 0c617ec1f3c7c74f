/** Who is calling. `id` scopes the result cache and rate limits. */
export interface Principal {
  id: string;
  kind: 'api_key' | 'oauth' | 'anonymous';
  /** OAuth client id, when the caller came through OAuth. */
  clientId?: string;
  /** The operator who consented, when the caller came through OAuth. */
  subject?: string;
  scopes: readonly string[];
}

export type VerifyResult =
  | { ok: true; principal: Principal }
  | { ok: false; error: 'invalid_token' | 'insufficient_scope'; description: string };

/**
 * One way of accepting bearer tokens. Returns null when the token is not of its kind, so several
 * verifiers can be chained (static API keys, then OAuth JWTs).
 */
export interface TokenVerifier {
  verify(token: string, request: { resource: string }): Promise<VerifyResult | null>;
}
