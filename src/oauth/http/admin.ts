import { Hono, type MiddlewareHandler } from 'hono';
import type { DbHealth } from '../../db/types.ts';
import type { ActivityEntry } from '../../telemetry/activity.ts';
import { adminsByAdmission, type IsAdmin } from '../core/admin-access.ts';
import { certificateHealth, databaseHealth, storeHealth } from '../core/admin-health.ts';
import { consolePage } from './admin-page.ts';
import { listClientSummaries, revokeClient } from '../core/client-admin.ts';
import { OAuthError } from '../core/errors.ts';
import { personOf } from '../core/identity/person.ts';
import { readForm, type OAuthContext } from './context.ts';
import { sendErrorPage, sendPage } from './pages.ts';
import { checkSessionCsrf, readSession } from './session.ts';
import type { BrowserSessionEnv } from './signin.ts';

/** What the console shows besides the OAuth store; built by the composition root. */
export interface AdminConsoleDeps {
  /** Test seam; default: the identity seam's answer (local operators and OIDC_ADMIN_GROUPS). */
  isAdmin?: IsAdmin | undefined;
  /** The recent tool calls, newest first (src/telemetry/activity.ts). */
  activity: { recent(): ActivityEntry[] };
  pingDatabase(): Promise<DbHealth>;
  /** PEM certificate whose days left are shown (TLS_CERT_FILE). */
  certFile?: string | undefined;
}

/**
 * `GET /admin`: the operator console, behind the browser sign-in (the same session and cookie as
 * the consent pages) and `isAdmin`. `POST /admin/revoke` revokes a client exactly as
 * `npm run clients -- revoke` does, guarded by the session's CSRF token, then redirects back
 * (303, so a reload does not post again). Pages carry the consent pages' headers: no-store,
 * no framing, a CSP without scripts, no referrer.
 */
export function adminRoutes(
  ctx: OAuthContext,
  requireBrowserSession: MiddlewareHandler<BrowserSessionEnv>,
  deps: AdminConsoleDeps,
): Hono<BrowserSessionEnv> {
  const app = new Hono<BrowserSessionEnv>();
  const isAdmin = deps.isAdmin ?? adminsByAdmission(ctx.identities);
  const forbidden = (c: Parameters<MiddlewareHandler<BrowserSessionEnv>>[0]) =>
    sendErrorPage(c, 'forbidden', 'Not allowed', 'Your account may not open the operator console.');

  app.get('/admin', requireBrowserSession, async (c) => {
    const operator = c.get('operator');
    const session = await readSession(c, ctx);
    if (!session || !isAdmin(personOf(session))) return forbidden(c);
    const revoked = /^\d{1,6}$/.exec(c.req.query('revoked') ?? '')?.[0];
    const markup = await consolePage({
      operator,
      csrf: session.csrf,
      health: [
        await databaseHealth(deps.pingDatabase),
        await storeHealth(ctx.store),
        await certificateHealth(deps.certFile, ctx.clock.now()),
      ],
      clients: await Promise.all(
        (await listClientSummaries(ctx.store)).map(async (summary) => ({ summary, grants: await ctx.store.listGrants(summary.clientId) })),
      ),
      activity: deps.activity.recent(),
      notice: revoked === undefined ? undefined : `Client revoked: ${revoked} grant(s) ended.`,
    });
    return sendPage(c, { __html: markup.toString() });
  });

  app.post('/admin/revoke', requireBrowserSession, async (c) => {
    const operator = c.get('operator');
    const session = await readSession(c, ctx);
    if (!session || !isAdmin(personOf(session))) return forbidden(c);
    let form: Record<string, string>;
    try {
      form = await readForm(c);
    } catch (error) {
      return sendErrorPage(c, 'bad_request', 'Bad request', error instanceof OAuthError ? error.message : 'Bad request');
    }
    if (!checkSessionCsrf(session, form.csrf)) {
      ctx.logger.warn('oauth.admin_csrf_failed', { operator });
      return sendErrorPage(c, 'forbidden', 'Form expired', 'The form expired. Reload the console and try again.');
    }
    const clientId = (form.client_id ?? '').slice(0, 2000);
    const result = await revokeClient(ctx.store, clientId);
    if (!result.deleted && result.grantsRevoked === 0) {
      return sendErrorPage(c, 'not_found', 'Unknown client', 'There is no such client (it may have been revoked already).');
    }
    ctx.logger.info('oauth.client_revoked', { operator, client_id: clientId, grants: result.grantsRevoked, via: 'console' });
    c.header('Cache-Control', 'no-store');
    return c.redirect(`${ctx.publicBase(c)}/admin?revoked=${result.grantsRevoked}`, 303);
  });
  return app;
}
