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
