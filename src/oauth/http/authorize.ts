import { Hono, type Context } from 'hono';
import { checkAuthorizationRequest, redirectWith, type AuthorizationRequest } from '../core/authorize-request.ts';
import { z } from 'zod';
import { OAuthError, paramText, parseParams } from '../core/errors.ts';
import { readForm, singleValued, type OAuthContext } from './context.ts';
import { sendErrorPage, hiddenFields, html, page, sendPage } from './pages.ts';
import { hashSecret, randomToken } from '../core/secrets.ts';
import { checkSessionCsrf, readSession } from './session.ts';
import { personOf } from '../core/identity/person.ts';
import type { BrowserSession } from '../core/types.ts';
import { hostOf } from '../core/urls.ts';

/**
 * What the operator is shown about the client. Anyone can register a client under any name, so
 * the name is always shown as the client's own claim. What this server has checked is shown as
 * verified: where the authorization goes (the redirect host, from ALLOWED_REDIRECT_HOSTS) and, for
 * a metadata-document client, the host its document was fetched from over https
 * (draft-ietf-oauth-client-id-metadata-document §6, impersonation).
 */
function clientRows(request: AuthorizationRequest) {
  const { client } = request;
  const claimed = client.clientName;
  const name = claimed ? html`“${claimed}”` : 'no name given';
  const origin =
    client.registration === 'cimd'
      ? html`<dt>Verified origin</dt><dd><strong>${hostOf(client.clientId)}</strong> <small>(${client.clientId})</small></dd>
`
      : '';
  return html`<dt>Sends the authorization to (verified)</dt><dd><strong class="verified">${hostOf(request.redirectUri)}</strong></dd>
${origin}<dt>Calls itself (the application's own claim, not verified)</dt><dd class="claim">${name} <small>(${
    client.registration === 'cimd' ? 'as the application names itself, not verified' : `client ${client.clientId}`
  })</small></dd>`;
}

function consentPage(request: AuthorizationRequest, session: BrowserSession) {
  return page(
    'Allow access?',
    html`<h1>Allow an application at ${hostOf(request.redirectUri)} to read this database?</h1>
<p>Signed in as <strong>${personOf(session).email ?? personOf(session).name ?? session.subject}</strong>.</p>
<dl>
${clientRows(request)}
<dt>Access</dt><dd>${request.scopes.join(', ')}</dd>
<dt>Resource</dt><dd>${request.resource}</dd>
</dl>
<p>The application will be able to search and read records with read-only access, until you revoke it.</p>
<form method="post" action="authorize">
${hiddenFields({ ...request.params, csrf: session.csrf })}
<button type="submit" name="decision" value="approve">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>`,
  );
}

/** The consent form's own fields (the request's parameters ride along and are checked as on GET). */
const consentParams = z.looseObject({
  decision: z.enum(['approve', 'deny'], { error: 'must be approve or deny' }).optional(),
  csrf: paramText(200).optional(),
});

/**
 * `GET|POST /authorize` (RFC 6749 §4.1.1, OAuth 2.1): validates the request, sends a browser
 * without a session to the sign-in page (which returns here), shows the consent page, and on a
 * consent form carrying the session's CSRF token issues a single-use code (60 s, stored hashed,
 * bound to client, redirect URI, PKCE challenge, scopes, resource and operator) and redirects with
 * `code`, `state` and `iss` (RFC 9207). A POST without `decision` is an authorization request sent
 * as a form (RFC 6749 §3.1 allows POST) and is treated like GET.
 */
export function authorizeRoutes(ctx: OAuthContext): Hono {
  const app = new Hono();

  const handle = async (c: Context, input: Record<string, string>, decision: string | undefined) => {
    const base = ctx.publicBase(c);
    const check = await checkAuthorizationRequest(input, {
      clients: ctx.clients,
      config: ctx.config,
      publicBase: base,
      requester: ctx.clientIp(c),
    });
    if (check.kind === 'page') {
      ctx.logger.warn('oauth.authorize_refused', { client_id: input.client_id?.slice(0, 300), code: check.code });
      return sendErrorPage(c, 'bad_request', 'Cannot continue', check.message);
    }
    if (check.kind === 'redirect') {
      const location = redirectWith(check.redirectUri, base, {
        error: check.error,
        error_description: check.description,
        state: check.state,
      });
      c.header('Cache-Control', 'no-store');
      return c.redirect(location, 302);
    }
    const request = check.request;
    const session = await readSession(c, ctx);
    if (!session) {
      const returnTo = `/authorize?${new URLSearchParams(request.params).toString()}`;
      c.header('Cache-Control', 'no-store');
      return c.redirect(`${base}/signin?return_to=${encodeURIComponent(returnTo)}`, 302);
    }
    if (decision === undefined) return sendPage(c, consentPage(request, session));
    if (!checkSessionCsrf(session, input.csrf)) {
      ctx.logger.warn('oauth.consent_csrf_failed', { client_id: request.client.clientId, operator: session.subject });
      return sendErrorPage(c, 'forbidden', 'Request refused', 'The consent form was not sent by this page. Start again.');
    }
    const audit = { client_id: request.client.clientId, operator: session.subject, registration: request.client.registration ?? 'dcr' };
    c.header('Cache-Control', 'no-store');
    if (decision !== 'approve') {
      ctx.logger.info('oauth.consent_denied', audit);
      const location = redirectWith(request.redirectUri, base, {
        error: 'access_denied',
        error_description: 'The operator denied access',
        state: request.state,
      });
      return c.redirect(location, 302);
    }
    const code = randomToken(32);
    await ctx.store.saveCode({
      codeHash: hashSecret(code),
      clientId: request.client.clientId,
      redirectUri: request.redirectUri,
      redirectUriExplicit: request.redirectUriExplicit,
      codeChallenge: request.codeChallenge,
      scopes: request.scopes,
      resource: request.resource,
      subject: session.subject,
      person: personOf(session),
      expiresAt: ctx.clock.now() + ctx.config.codeTtlSeconds * 1000,
    });
    ctx.logger.info('oauth.consent_granted', { ...audit, scope: request.scopes.join(' '), resource: request.resource });
    return c.redirect(redirectWith(request.redirectUri, base, { code, state: request.state }), 302);
  };

  const badRequest = (c: Context, error: unknown) =>
    sendErrorPage(c, 'bad_request', 'Bad request', error instanceof OAuthError ? error.message : 'Bad request');

  app.get('/authorize', async (c) => {
    try {
      return await handle(c, singleValued(new URL(c.req.url).searchParams), undefined);
    } catch (error) {
      return badRequest(c, error);
    }
  });
  app.post('/authorize', async (c) => {
    try {
      const form = await readForm(c);
      return await handle(c, form, parseParams(consentParams, form).decision);
    } catch (error) {
      return badRequest(c, error);
    }
  });
  return app;
}
