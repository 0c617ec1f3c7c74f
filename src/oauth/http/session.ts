import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { OAuthContext } from './context.ts';
import { localPerson, personOf, type Person } from '../core/identity/person.ts';
import { hashSecret, randomToken, safeEqual } from '../core/secrets.ts';
import type { BrowserSession } from '../core/types.ts';
import { prefixOf } from '../core/urls.ts';

const SESSION_COOKIE = 'mdr_session';
const CSRF_COOKIE = 'mdr_csrf';

function cookieOptions(publicBase: string, maxAgeSeconds: number) {
  return {
    path: prefixOf(publicBase) || '/',
    httpOnly: true,
    secure: publicBase.startsWith('https:'),
    sameSite: 'Lax' as const,
    maxAge: maxAgeSeconds,
  };
}

/**
 * The signed-in person's session from the cookie, if it exists, has not expired and the person may
 * still connect (removing an account from AUTH_USERS, or a group from OIDC_ALLOWED_GROUPS, ends
 * their sessions at the next restart).
 */
export async function readSession(c: Context, ctx: OAuthContext): Promise<BrowserSession | undefined> {
  const id = getCookie(c, SESSION_COOKIE);
  if (!id || id.length > 100) return undefined;
  const session = await ctx.store.getSession(hashSecret(id));
  if (!session || session.expiresAt <= ctx.clock.now()) return undefined;
  return ctx.identities.admit(personOf(session)).ok ? session : undefined;
}

/**
 * Starts a session after a successful sign-in: a fresh random id (session fixation is impossible,
 * no id is accepted from the client), stored hashed, in an HttpOnly SameSite=Lax cookie scoped to
 * the prefix, Secure on https. It carries its own CSRF token for the consent form. A string is a
 * local account's username.
 */
export async function startSession(c: Context, ctx: OAuthContext, who: string | Person): Promise<BrowserSession> {
  const person = typeof who === 'string' ? localPerson(who, ctx.clock.now()) : who;
  const previous = getCookie(c, SESSION_COOKIE);
  if (previous) await ctx.store.deleteSession(hashSecret(previous));
  const id = randomToken(32);
  const ttlSeconds = ctx.config.sessionTtlHours * 3600;
  const session: BrowserSession = {
    idHash: hashSecret(id),
    subject: person.subject,
    person,
    csrf: randomToken(24),
    expiresAt: ctx.clock.now() + ttlSeconds * 1000,
  };
  await ctx.store.saveSession(session);
  setCookie(c, SESSION_COOKIE, id, cookieOptions(ctx.publicBase(c), ttlSeconds));
  return session;
}

/** Ends the session (sign-out) and clears its cookie. */
export async function endSession(c: Context, ctx: OAuthContext): Promise<void> {
  const id = getCookie(c, SESSION_COOKIE);
  if (id) await ctx.store.deleteSession(hashSecret(id));
  deleteCookie(c, SESSION_COOKIE, { path: prefixOf(ctx.publicBase(c)) || '/' });
}

/**
 * Double-submit CSRF token for the sign-in form, which is posted before any session exists
 * (login CSRF): reuses the cookie's token or sets a new one, and returns it for the hidden field.
 */
export function issueLoginCsrf(c: Context, ctx: OAuthContext): string {
  const existing = getCookie(c, CSRF_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{32}$/.test(existing)) return existing;
  const token = randomToken(24);
  setCookie(c, CSRF_COOKIE, token, cookieOptions(ctx.publicBase(c), 3600));
  return token;
}

/** Whether the posted sign-in form carries the token of this browser's CSRF cookie. */
export function checkLoginCsrf(c: Context, posted: string | undefined): boolean {
  const cookie = getCookie(c, CSRF_COOKIE);
  return cookie !== undefined && posted !== undefined && cookie.length > 0 && safeEqual(cookie, posted);
}

/** Whether the posted consent form carries this session's CSRF token. */
export function checkSessionCsrf(session: BrowserSession, posted: string | undefined): boolean {
  return posted !== undefined && safeEqual(session.csrf, posted);
}
