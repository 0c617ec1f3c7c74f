/** Who is calling. `id` scopes the result cache and rate limits. */
export interface Principal {
  id: string;
  kind: 'api_key' | 'oauth' | 'anonymous';
  /** OAuth client id, when the caller came through OAuth. */
  clientId?: string;
  /** The person who consented, when the caller came through OAuth (a username or `<issuer>#<sub>`). */
  subject?: string;
  /**
   * The person's verified e-mail address and groups, when they signed in at an IdP: what a
   * database session context (`mcp.email`, `mcp.groups`) can carry for row-level security.
   */
  email?: string;
  groups?: readonly string[];
  /** May open any cached result (local operators, OIDC_ADMIN_GROUPS). */
  admin?: boolean;
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
