const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export type RedirectVerdict = { ok: true } | { ok: false; reason: string };

function parse(uri: string): URL | undefined {
  if (/[\s\u0000-\u001f\u007f\\]/.test(uri)) return undefined;
  try {
    return new URL(uri);
  } catch {
    return undefined;
  }
}

/** Whether `uri` is an `http` loopback redirect URI (RFC 8252 §7.3: any port at request time). */
export function isLoopbackRedirect(uri: string): boolean {
  const url = parse(uri);
  return url !== undefined && url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

/** `host` equals an allowed host or is a true subdomain of one (a dot boundary, not a suffix). */
export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const name = host.toLowerCase();
  return allowed.some((entry) => name === entry || name.endsWith(`.${entry}`));
}

/**
 * The registration-time redirect URI policy (RFC 6749 §3.1.2, RFC 8252 §7.3, OAuth 2.1 §2.3.1):
 * absolute, no fragment, no userinfo (`https://chatgpt.com@evil.example`), `https` to an allowed host
 * (exact or a true subdomain; `chatgpt.com.evil.example` and `evilchatgpt.com` fail), or plain `http`
 * only to a loopback address. `javascript:`, `data:` and every other scheme are refused. An empty
 * allow-list admits any https host.
 */
export function checkRedirectUri(uri: string, allowedHosts: readonly string[]): RedirectVerdict {
  const url = parse(uri);
  if (!url) return { ok: false, reason: 'is not an absolute URL' };
  if (uri.includes('#')) return { ok: false, reason: 'must not contain a fragment' };
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'must not contain user information' };
  if (url.protocol === 'http:') {
    return LOOPBACK_HOSTS.has(url.hostname) ? { ok: true } : { ok: false, reason: 'uses http on a non-loopback host' };
  }
  if (url.protocol !== 'https:') return { ok: false, reason: 'must use https (or http on loopback)' };
  if (allowedHosts.length > 0 && !hostAllowed(url.hostname, allowedHosts)) {
    return { ok: false, reason: `host ${url.hostname} is not in ALLOWED_REDIRECT_HOSTS` };
  }
  return { ok: true };
}

/**
 * Authorization-time match (OAuth 2.1 §4.1.1: exact string comparison), except that a registered
 * loopback URI matches the same URI on any port (RFC 8252 §7.3, native apps pick a free port).
 */
export function redirectMatches(registered: string, requested: string): boolean {
  if (registered === requested) return true;
  if (!isLoopbackRedirect(registered) || !isLoopbackRedirect(requested) || requested.includes('#')) return false;
  const a = new URL(registered);
  const b = new URL(requested);
  if (b.username !== '' || b.password !== '') return false;
  a.port = '';
  b.port = '';
  return a.href === b.href;
}
