import { Hono } from 'hono';
import { AppError } from '../errors.ts';
import { sessionIdentity } from '../mcp/call-context.ts';
import type { Research } from '../research/types.ts';
import { bearerAuth } from './auth/bearer.ts';
import type { TokenVerifier } from '../auth/verifier.ts';
import type { AppEnv } from './context.ts';

export interface RecordRoutesDeps {
  research: Research;
  verifiers: readonly TokenVerifier[];
  allowAnonymous: boolean;
}

/**
 * `GET /records/<id>` when OAuth is off: the cited record as JSON for a bearer-authenticated
 * caller (scripts, the Responses API). With OAuth on, the authorization server's routes answer
 * this path instead, with an HTML page behind the operator's browser sign-in. Never public.
 */
export function recordRoutes(deps: RecordRoutesDeps): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.get(
    '/records/:id{.+}',
    bearerAuth({ verifiers: deps.verifiers, resourcePath: () => '/mcp', allowAnonymous: deps.allowAnonymous }),
    async (c) => {
      const id = c.req.param('id');
      const outcome = await deps.research.fetch(id, {
        principal: c.get('principal').id,
        publicBase: c.get('publicBase'),
        signal: c.req.raw.signal,
        identity: sessionIdentity(c.get('principal'), c.get('requestId')),
      });
      if (!outcome.ok) throw new AppError(outcome.code, outcome.message);
      return c.json(outcome.value, 200, { 'Cache-Control': 'no-store' });
    },
  );
  return routes;
}
