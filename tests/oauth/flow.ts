/** Flow steps shared by the OAuth tests: register, sign in and consent through the real forms, exchange. */
import assert from 'node:assert/strict';
import { BASE, browser, formPost, parseForm, PASSWORD, pkcePair, USER, type Harness } from './helpers.ts';

export type Fetcher = (url: string, init?: RequestInit) => Promise<Response>;

export const REDIRECT = 'https://chatgpt.com/connector_platform_oauth_redirect';

export async function registerClient(
  fetcher: Fetcher,
  body: Record<string, unknown> = {},
  base = BASE,
): Promise<{ client_id: string; client_secret?: string } & Record<string, unknown>> {
  const response = await fetcher(`${base}/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none', client_name: 'ChatGPT', ...body }),
  });
  assert.equal(response.status, 201, await response.clone().text());
  return (await response.json()) as { client_id: string };
}

/** Resolves a form action against the page URL, as a browser would. */
export function actionUrl(pageUrl: string, action: string): string {
  return new URL(action, pageUrl).href;
}

/**
 * Walks a browser from the authorization URL through sign-in and consent by reading and submitting
 * the real forms; returns the final redirect Location (with code or error).
 */
export async function signInAndConsent(
  fetcher: Fetcher,
  authorizeUrl: string,
  options: { decision?: 'approve' | 'deny'; user?: string; password?: string; agent?: ReturnType<typeof browser> } = {},
): Promise<URL> {
  const agent = options.agent ?? browser(fetcher);
  let response = await agent.go(authorizeUrl);
  if (response.status === 302 && new URL(response.headers.get('Location') ?? '').pathname.endsWith('/signin')) {
    const signinUrl = response.headers.get('Location') ?? '';
    const page = await agent.go(signinUrl);
    assert.equal(page.status, 200);
    const form = parseForm(await page.text());
    response = await agent.go(
      actionUrl(signinUrl, form.action),
      formPost({ ...form.fields, username: options.user ?? USER, password: options.password ?? PASSWORD }),
    );
    assert.equal(response.status, 303, 'sign-in should redirect back');
    response = await agent.go(response.headers.get('Location') ?? '');
  }
  assert.equal(response.status, 200, `consent page expected, got ${response.status}`);
  const consentUrl = response.url || authorizeUrl;
  const consent = parseForm(await response.text());
  const button = consent.buttons.find((b) => b.value === (options.decision ?? 'approve'));
  assert.ok(button, 'consent form has the decision button');
  const final = await agent.go(
    actionUrl(consentUrl.startsWith('http') ? consentUrl : authorizeUrl, consent.action),
    formPost({ ...consent.fields, [button.name]: button.value }),
  );
  assert.equal(final.status, 302);
  return new URL(final.headers.get('Location') ?? '');
}

export function authorizeUrl(params: Record<string, string>, base = BASE): string {
  return `${base}/authorize?${new URLSearchParams(params).toString()}`;
}

/** Registers a public client and returns an authorization code with its PKCE verifier. */
export async function obtainCode(h: Pick<Harness, 'fetch'>, extra: Record<string, string> = {}) {
  const client = await registerClient(h.fetch);
  return { client, ...(await codeFor(h.fetch, client.client_id, REDIRECT, { state: 'st-1', ...extra })) };
}

export async function tokenRequest(fetcher: Fetcher, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetcher(`${BASE}/token`, formPost(fields, headers));
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

export async function exchange(h: Pick<Harness, 'fetch'>, extra: Record<string, string> = {}) {
  const got = await obtainCode(h);
  const token = await tokenRequest(h.fetch, {
    grant_type: 'authorization_code',
    code: got.code,
    redirect_uri: REDIRECT,
    code_verifier: got.pkce.verifier,
    client_id: got.client.client_id,
    ...extra,
  });
  assert.equal(token.status, 200, JSON.stringify(token.body));
  return { ...got, tokens: token.body as { access_token: string; refresh_token: string; scope: string; expires_in: number } };
}

/** Authorizes `clientId` (a CIMD URL or a registered id) through sign-in and consent; returns the code. */
export async function codeFor(fetcher: Fetcher, clientId: string, redirectUri: string, extra: Record<string, string> = {}) {
  const pkce = pkcePair();
  const location = await signInAndConsent(
    fetcher,
    authorizeUrl({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: redirectUri,
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
      state: 'cimd-state',
      ...extra,
    }),
  );
  const code = location.searchParams.get('code');
  assert.ok(code, `no code in ${location.href}`);
  return { code, pkce, location };
}
