import type { Env, Hono } from 'hono';
import type { TokenVerifier } from '../../auth/verifier.ts';

/**
 * What the OAuth authorization server (src/oauth, issue 4) plugs into the app. With it present:
 * its routes are mounted before ours (at the root and under ENVIRONMENT_PATH), its verifier is
 * chained after the static API keys, and 401 challenges carry `resource_metadata` (RFC 9728 §5.1)
 * and `scope` (MCP 2025-11-25) instead of a plain realm.
 *
 * The routes may read `c.get('publicBase' | 'publicOrigin' | 'publicPrefix' | 'clientIp' |
 * 'requestId' | 'logger')` (see `AppVariables`), set by the edge before any route runs. They own `/.well-known/*`
 * (discovery), `/register`, `/authorize`, `/token`, `/revoke`, `/jwks.json` and `/records/*`
 * (the browser-session page); anything they do not answer falls through to ours, and unknown
 * paths end in the app's JSON 404.
 */
export interface OAuthIntegration {
  routes: Hono<Env>;
  verifier: TokenVerifier;
  /** Scopes named in the challenge, e.g. `['mcp:read']`. */
  challengeScopes: readonly string[];
}

/**
 * RFC 9728 §3.1: the protected resource metadata URL inserts `/.well-known/oauth-protected-resource`
 * between the origin and the resource's path, e.g. `https://h/.well-known/oauth-protected-resource/chatgpt/mcp`.
 */
export function protectedResourceMetadataUrl(origin: string, resourcePath: string): string {
  return `${origin}/.well-known/oauth-protected-resource${resourcePath}`;
}
