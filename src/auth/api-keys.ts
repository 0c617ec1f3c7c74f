import { createHash, timingSafeEqual } from 'node:crypto';
import type { TokenVerifier, VerifyResult } from './verifier.ts';

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Accepts the static keys from MCP_API_KEY (for the Responses API and scripts). Tokens are
 * compared as SHA-256 digests with `timingSafeEqual`, against every key without early exit, so
 * neither key length nor matching prefix shows in the timing. A token that matches no key is
 * "not mine" (null): the next verifier in the chain (OAuth JWTs) gets it.
 * The principal id is a digest prefix, stable across restarts and safe to log.
 */
export function createApiKeyVerifier(keys: readonly string[]): TokenVerifier {
  const digests = keys.map(sha256);
  return {
    async verify(token): Promise<VerifyResult | null> {
      const candidate = sha256(token);
      let match: Buffer | undefined;
      for (const digest of digests) {
        if (timingSafeEqual(candidate, digest)) match = digest;
      }
      if (!match) return null;
      return {
        ok: true,
        principal: { id: `key:${match.toString('hex').slice(0, 12)}`, kind: 'api_key', scopes: [] },
      };
    },
  };
}
