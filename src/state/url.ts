/**
 * Parses `STATE_STORE_URL`: `redis://[user:password@]host[:port][/db]` or `rediss://…` (TLS, with
 * the system CAs plus NODE_EXTRA_CA_CERTS). Returns a problem text (never echoing the password) or
 * the URL with its password masked, for logs and `/health`.
 */
export function parseStateStoreUrl(value: string): { url: string; display: string } | { problem: string } {
  let parsed: URL;
  try {
    parsed = new URL(value.trim());
  } catch {
    return { problem: 'must be a redis:// or rediss:// URL, e.g. rediss://connector:<password>@redis.internal:6380' };
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    return { problem: `must use redis:// or rediss:// (TLS), got ${parsed.protocol.replace(/:$/, '')}://` };
  }
  if (parsed.hostname === '') return { problem: 'names no host' };
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d{1,2}$/.test(db)) return { problem: `database must be a number (e.g. /0), got "/${db}"` };
  return { url: parsed.href, display: displayUrl(parsed) };
}

function displayUrl(url: URL): string {
  const masked = new URL(url.href);
  if (masked.password !== '') masked.password = '***';
  return masked.href;
}
