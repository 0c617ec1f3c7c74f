import { Hono } from 'hono';
import { authenticateClient } from './client-auth.ts';
import { paramText, parseParams } from '../core/errors.ts';
import { corsAnyOrigin, oauthErrorResponse, readForm, type OAuthContext } from './context.ts';
import { hashSecret } from '../core/secrets.ts';
import { readOwnAccessToken } from '../core/tokens.ts';
import { z } from 'zod';

/** RFC 7009 §2.1: `token` is required; `token_type_hint` is optional and may be ignored; client credentials pass through. */
const revokeParams = z.looseObject({
  token: paramText(8192).min(1, 'must not be empty'),
  token_type_hint: paramText(100).optional(),
});

/**
 * `POST /revoke` (RFC 7009). The client authenticates like at the token endpoint; a refresh token
 * or an access token it owns revokes the whole grant (the refresh family and every access token
 * carrying its `fid`, RFC 7009 §2.1 "SHOULD also invalidate"). Unknown, foreign or already revoked
 * tokens still get 200, so the endpoint reveals nothing (§2.2).
 */
export function revokeRoutes(ctx: OAuthContext): Hono {
  const app = new Hono();
  app.use('/revoke', corsAnyOrigin);
  app.post('/revoke', async (c) => {
    try {
      const form = await readForm(c);
      const { token } = parseParams(revokeParams, form);
      const base = ctx.publicBase(c);
      const client = await authenticateClient(c, form, {
        clients: ctx.clients,
        assertions: ctx.assertions,
        requester: ctx.clientIp(c),
        audiences: [`${base}/revoke`, `${base}/token`, base],
      });
      let familyId: string | undefined;
      const refresh = await ctx.store.findRefresh(hashSecret(token));
      if (refresh) familyId = refresh.familyId;
      else familyId = (await readOwnAccessToken(ctx.keys, token))?.familyId;
      const family = familyId === undefined ? undefined : await ctx.store.getFamily(familyId);
      if (family && family.clientId === client.clientId && !family.revoked) {
        await ctx.store.revokeFamily(family.familyId);
        ctx.logger.info('oauth.revoked', { client_id: client.clientId, operator: family.subject });
      }
      c.header('Cache-Control', 'no-store');
      return c.body(null, 200);
    } catch (error) {
      return oauthErrorResponse(c, error, ctx.logger);
    }
  });
  return app;
}
