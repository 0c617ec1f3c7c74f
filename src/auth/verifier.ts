import type { Principal } from './principal.ts';

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
