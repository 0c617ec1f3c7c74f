import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { OAuthContext } from './context.ts';
import { personFromClaims } from '../core/identity/idp-policy.ts';
import type { OidcClient, PendingSignIn } from '../core/identity/oidc-client.ts';
import { type PageErrorCode, sendErrorPage } from './pages.ts';
import { hashSecret, openWith, sealWith } from '../core/secrets.ts';
import { startSession } from './session.ts';
import { safeReturnTo } from './signin.ts';
import { prefixOf } from '../core/urls.ts';

const PENDING_COOKIE = 'mdr_oidc';
/** A sign-in at the IdP must come back within this time. */
const PENDING_TTL_S = 10 * 60;

/** The redirect URI to register at the IdP: `<public URL><prefix>/signin/oidc/callback`. */
export function oidcRedirectUri(publicBase: string): string {
  return `${publicBase}/signin/oidc/callback`;
}

interface SealedPending extends Omit<PendingSignIn, 'state'> {
  returnTo: string;
  expiresAt: number;
}

/**
 * Sign-in at the company OpenID Provider. `GET /signin/oidc` sends the browser to the IdP with
 * PKCE, `state` and `nonce`; what the callback needs is sealed (AES-GCM) in an HttpOnly cookie under
 * a key derived from `state`, so only the browser that started the sign-in, with the IdP's answer
 * to that very request, can finish it. `GET /signin/oidc/callback` accepts each `state` once, lets
 * openid-client verify the answer and the ID token, asks the identity seam whether the person may
 * connect, and only then starts a session; a refused person sees why and gets no session (and so
 * no code). Also refuses password posts when local accounts are off.
 */
export function oidcSignInRoutes(ctx: OAuthContext, client: OidcClient | undefined): Hono {
  const app = new Hono();
  const policy = ctx.config.identity.policy;

  app.post('/signin', async (c, next) => {
    if (ctx.identities.localAccounts) return next();
    return sendErrorPage(c, 'not_found', 'Not available', 'Password sign-in is switched off here. Sign in with your company account.');
  });
  if (!client) return app;

  const cookieOptions = (c: Context) => {
    const base = ctx.publicBase(c);
    return { path: prefixOf(base) || '/', httpOnly: true, secure: base.startsWith('https:'), sameSite: 'Lax' as const };
  };

  app.get('/signin/oidc', async (c) => {
    const returnTo = safeReturnTo(c.req.query('return_to')) ?? '';
    let started: Awaited<ReturnType<OidcClient['start']>>;
    try {
      started = await client.start(oidcRedirectUri(ctx.publicBase(c)));
    } catch (error) {
      ctx.logger.warn('oauth.oidc_unavailable', { error: String(error).slice(0, 300) });
      return sendErrorPage(c, 'unavailable', 'Sign-in unavailable', 'The identity provider cannot be reached right now. Try again later.');
    }
    const { state, ...rest } = started.pending;
    const sealed: SealedPending = { ...rest, returnTo, expiresAt: ctx.clock.now() + PENDING_TTL_S * 1000 };
    setCookie(c, PENDING_COOKIE, sealWith(state, JSON.stringify(sealed)), { ...cookieOptions(c), maxAge: PENDING_TTL_S });
    c.header('Cache-Control', 'no-store');
    return c.redirect(started.url, 302);
  });

  app.get('/signin/oidc/callback', async (c) => {
    const base = ctx.publicBase(c);
    const query = new URL(c.req.url).searchParams;
    const fail = (code: string, message: string, kind: PageErrorCode = 'bad_request', fields: Record<string, unknown> = {}) => {
      ctx.logger.warn('oauth.oidc_signin_refused', { code, ip: ctx.clientIp(c), ...fields });
      return sendErrorPage(c, kind, kind === 'forbidden' ? 'Not approved for this connector' : 'Sign-in failed', message);
    };
    const cookie = getCookie(c, PENDING_COOKIE);
    deleteCookie(c, PENDING_COOKIE, { path: cookieOptions(c).path });
    const idpError = query.get('error');
    if (idpError)
      return fail('idp_error', `The identity provider did not sign you in (${idpError.slice(0, 100)}). Start again from the application.`);
    const state = query.get('state') ?? '';
    const opened = cookie && state.length > 0 && state.length < 200 ? openWith(state, cookie) : undefined;
    if (!opened)
      return fail(
        'state_mismatch',
        'This sign-in answer does not belong to a sign-in started in this browser. Start again from the application.',
      );
    const pending = JSON.parse(opened) as SealedPending;
    const now = ctx.clock.now();
    if (pending.expiresAt <= now) return fail('expired', 'The sign-in took too long. Start again from the application.');
    if (!(await ctx.store.useOnce(`oidc-state:${hashSecret(state)}`, pending.expiresAt, now))) {
      return fail('state_replayed', 'This sign-in answer was already used. Start again from the application.');
    }
    const callback = new URL(oidcRedirectUri(base));
    callback.search = query.toString();
    let claims: Record<string, unknown>;
    try {
      claims = await client.finish(callback, { state, nonce: pending.nonce, verifier: pending.verifier });
    } catch (error) {
      // openid-client's stable code and the library's own reason (which claim or parameter failed; never a token).
      const detail = error as {
        code?: string;
        name?: string;
        message?: string;
        cause?: { message?: unknown; cause?: { claim?: unknown } };
      };
      return fail(
        'verification_failed',
        'The answer from the identity provider could not be verified. Start again from the application.',
        'upstream_failed',
        {
          error_code: detail.code ?? detail.name,
          error: String(detail.message ?? error).slice(0, 300),
          ...(typeof detail.cause?.message === 'string' ? { reason: detail.cause.message.slice(0, 300) } : {}),
          ...(typeof detail.cause?.cause?.claim === 'string' ? { claim: detail.cause.cause.claim } : {}),
        },
      );
    }
    const issuer = ctx.config.identity.oidc?.issuer ?? '';
    const person = personFromClaims(issuer, claims, policy.groupsClaim, now);
    const admission = ctx.identities.admit(person);
    if (!admission.ok) {
      const who = person.email ?? person.name ?? 'This account';
      return fail(admission.code, `${who}: ${admission.message}`, 'forbidden', { operator: person.subject });
    }
    await startSession(c, ctx, person);
    ctx.logger.info('oauth.signin', { operator: person.subject, via: 'oidc', admin: admission.admin, ip: ctx.clientIp(c) });
    c.header('Cache-Control', 'no-store');
    return c.redirect(`${base}${pending.returnTo || '/signin/done'}`, 303);
  });
  return app;
}
