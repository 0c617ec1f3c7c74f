import { Hono, type MiddlewareHandler } from 'hono';
import { OAuthError } from '../core/errors.ts';
import { readForm, type OAuthContext } from './context.ts';
import { sendErrorPage, hiddenFields, html, page, sendPage } from './pages.ts';
import { hashCost, hashPassword, verifyPassword } from '../core/password.ts';
import { personOf, type Person } from '../core/identity/person.ts';
import { logDigest } from '../../log-digest.ts';
import { StateStoreError } from '../../state/errors.ts';
import { createSignInLimits, describeWait } from '../core/signin-limits.ts';
import { prefixOf } from '../core/urls.ts';
import { checkLoginCsrf, endSession, issueLoginCsrf, readSession, startSession } from './session.ts';

/**
 * Where sign-in may send the browser back to, relative to the public base: the authorization
 * request or a record page. Anything else (absolute URLs, `//host`, backslashes) falls back to
 * nothing, so the sign-in page is never an open redirector.
 */
export function safeReturnTo(value: string | undefined): string | undefined {
  if (!value || value.length > 8000 || /[\\\s]/.test(value)) return undefined;
  return /^\/authorize\?[^#]*$/.test(value) || /^\/records\/[^/?#][^?#]*$/.test(value) || value === '/admin' ? value : undefined;
}

/** The company IdP choice on the sign-in page: its label, and whether the password form is shown too. */
interface IdpChoice {
  providerName: string;
  localAccounts: boolean;
}

function signInPage(csrf: string, returnTo: string, message?: string, idp?: IdpChoice) {
  const idpHref = `signin/oidc?${new URLSearchParams(returnTo ? { return_to: returnTo } : {}).toString()}`;
  const passwordForm = html`<form method="post" action="signin">
${hiddenFields({ csrf, return_to: returnTo })}
<label for="username">Username</label><input id="username" name="username" type="text" autocomplete="username" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>`;
  if (idp) {
    return page(
      'Sign in',
      html`<h1>Sign in to the SQL Server connector</h1>
${message ? html`<p role="alert" class="error">${message}</p>` : ''}
<p>Most people sign in with their company account.</p>
<p><a class="button" href="${idpHref}">Sign in with ${idp.providerName}</a></p>
${
  idp.localAccounts
    ? html`<h2>Or with an operator account of this connector</h2>
<p>Only for the connector's operators, with a password set in its configuration.</p>
${passwordForm}`
    : ''
}`,
    );
  }
  return page(
    'Sign in',
    html`<h1>Sign in to the SQL Server connector</h1>
<p>Sign in with an operator account to continue.</p>
${message ? html`<p role="alert" class="error">${message}</p>` : ''}
${passwordForm}`,
  );
}

/**
 * Sign-in for operator accounts (AUTH_USERS, scrypt): `GET /signin` shows the form, `POST /signin`
 * checks the double-submit CSRF token, reserves the attempt in the sign-in throttle (signin-limits.ts,
 * before any password work; a refusal says how long to wait), then the password in constant time (unknown users cost the same scrypt), and
 * starts a session. `POST /signout` ends it.
 */
export function signInRoutes(ctx: OAuthContext): Hono {
  const app = new Hono();
  let dummyHash: Promise<string> | undefined;
  const limits = createSignInLimits(ctx.counters, ctx.config);

  app.get('/signin', (c) => {
    const returnTo = safeReturnTo(c.req.query('return_to')) ?? '';
    const oidc = ctx.config.identity.oidc;
    // Only the company IdP: no choice to make, straight there.
    if (oidc && !ctx.identities.localAccounts) {
      c.header('Cache-Control', 'no-store');
      return c.redirect(`${ctx.publicBase(c)}/signin/oidc${returnTo ? `?return_to=${encodeURIComponent(returnTo)}` : ''}`, 302);
    }
    const idp = oidc ? { providerName: oidc.providerName, localAccounts: ctx.identities.localAccounts } : undefined;
    return sendPage(c, signInPage(issueLoginCsrf(c, ctx), returnTo, undefined, idp));
  });

  app.post('/signin', async (c) => {
    let form: Record<string, string>;
    try {
      form = await readForm(c);
    } catch (error) {
      return sendErrorPage(c, 'bad_request', 'Bad request', error instanceof OAuthError ? error.message : 'Bad request');
    }
    const returnTo = safeReturnTo(form.return_to) ?? '';
    if (!checkLoginCsrf(c, form.csrf)) {
      ctx.logger.warn('oauth.signin_csrf_failed', { ip: ctx.clientIp(c) });
      return sendPage(c, signInPage(issueLoginCsrf(c, ctx), returnTo, 'The form expired. Please sign in again.'), 403);
    }
    const username = (form.username ?? '').trim().slice(0, 64);
    const password = (form.password ?? '').slice(0, 1024);
    const ip = ctx.clientIp(c);
    // The attempt is counted before the password is hashed: parallel guesses cannot all pass.
    let reservation: Awaited<ReturnType<typeof limits.reserve>>;
    try {
      reservation = await limits.reserve(username, ip, ctx.clock.now());
    } catch (error) {
      // The shared counters (Redis) are away: no sign-in rather than one counted nowhere.
      if (!(error instanceof StateStoreError)) throw error;
      ctx.logger.warn('oauth.signin_unavailable', { ip, error });
      c.header('Retry-After', '5');
      return sendPage(c, signInPage(issueLoginCsrf(c, ctx), returnTo, 'Sign-in is unavailable right now. Try again in a minute.'), 503);
    }
    if (!reservation.ok) {
      ctx.logger.warn('oauth.signin_locked', { operator_hmac: logDigest(username), ip });
      c.header('Retry-After', String(reservation.retryAfterSeconds));
      const message = `Too many failed sign-ins. Try again in ${describeWait(reservation.retryAfterSeconds)}.`;
      return sendPage(c, signInPage(issueLoginCsrf(c, ctx), returnTo, message), 429);
    }
    const account = ctx.config.users.find((user) => user.user === username);
    // Unknown users cost one scrypt at the accounts' own cost, so timing does not reveal names.
    dummyHash ??= hashPassword('not a password', hashCost(ctx.config.users[0]?.hash ?? '') ?? undefined);
    const valid = await verifyPassword(password, account?.hash ?? (await dummyHash));
    if (!account || !valid) {
      await reservation.attempt.failed().catch((error: unknown) => ctx.logger.warn('oauth.signin_count_failed', { ip, error }));
      // A mistyped password often is another account's password: only a keyed digest of the name.
      ctx.logger.warn('oauth.signin_failed', { operator_hmac: logDigest(username), ip });
      return sendPage(c, signInPage(issueLoginCsrf(c, ctx), returnTo, 'Wrong username or password.'), 401);
    }
    await reservation.attempt.succeeded().catch((error: unknown) => ctx.logger.warn('oauth.signin_count_failed', { ip, error }));
    await startSession(c, ctx, account.user);
    ctx.logger.info('oauth.signin', { operator: account.user, ip });
    return c.redirect(`${ctx.publicBase(c)}${returnTo || '/signin/done'}`, 303);
  });

  app.get('/signin/done', (c) => sendPage(c, page('Signed in', html`<h1>Signed in</h1><p>You may close this page.</p>`)));

  app.post('/signout', async (c) => {
    await endSession(c, ctx);
    return sendPage(c, page('Signed out', html`<h1>Signed out</h1>`));
  });
  return app;
}

/** Hono variables set by `requireBrowserSession`: the subject, and the person behind it. */
export type BrowserSessionEnv = { Variables: { operator: string; person: Person } };

/**
 * Middleware for pages a person opens in a browser (`/records/*`): passes with the operator's
 * session (its subject in `c.get('operator')`), otherwise redirects to the sign-in page, which
 * returns here afterwards.
 */
export function createRequireBrowserSession(ctx: OAuthContext): MiddlewareHandler<BrowserSessionEnv> {
  return async function requireBrowserSession(c, next) {
    const session = await readSession(c, ctx);
    if (session) {
      c.set('operator', session.subject);
      c.set('person', personOf(session));
      await next();
      return;
    }
    const base = ctx.publicBase(c);
    const prefix = prefixOf(base);
    const path = prefix !== '' && c.req.path.startsWith(`${prefix}/`) ? c.req.path.slice(prefix.length) : c.req.path;
    const returnTo = safeReturnTo(path) ?? '';
    c.header('Cache-Control', 'no-store');
    return c.redirect(`${base}/signin?return_to=${encodeURIComponent(returnTo)}`, 302);
  };
}
