/** Checks shared by the malformed-request tables of /token, /authorize and /register. */
import assert from 'node:assert/strict';

/** Neither a stack frame nor an error class name reaches the client. */
export function assertNoInternals(text: string): void {
  assert.doesNotMatch(text, /\bat .+:\d+:\d+|\n\s+at |(Type|Reference|Syntax|Range|Zod)Error/);
}

/**
 * An RFC 6749 §5.2 / RFC 7591 §3.2.2 JSON error: the expected status and `error` code, a
 * description that names the problem, never cached, no internals.
 */
export async function assertOAuthError(response: Response, status: number, error: string, description: RegExp): Promise<void> {
  const text = await response.text();
  assert.equal(response.status, status, text);
  assert.match(response.headers.get('Content-Type') ?? '', /^application\/json/);
  assert.equal(response.headers.get('Cache-Control'), 'no-store');
  const body = JSON.parse(text) as { error?: unknown; error_description?: unknown };
  assert.equal(body.error, error, text);
  assert.equal(typeof body.error_description, 'string');
  assert.match(String(body.error_description), description);
  assert.ok(String(body.error_description).length <= 300, 'the description does not echo a long value');
  assertNoInternals(text);
}

/** A raw `application/x-www-form-urlencoded` POST, so repeated names can be sent. */
export function rawForm(body: string, headers: Record<string, string> = {}): RequestInit {
  return { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, body };
}

/** `name=value&…` with each value percent-encoded; pairs may repeat a name. */
export function formOf(pairs: ReadonlyArray<readonly [string, string]>): string {
  return pairs.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');
}
