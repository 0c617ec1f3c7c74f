/**
 * The operator console in a real browser: Debian's Chromium, headless, driven by playwright-core,
 * against the connector started through its composition root (real OAuth server and store, real
 * sockets). A client is registered and approved through the real forms, then the operator signs in
 * to /admin, sees the client and its grant, revokes it, and the client's access token stops working.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type BrowserContext } from 'playwright-core';
import { authorizeUrl, REDIRECT, signInAndConsent } from '../oauth/flow.ts';
import { PASSWORD, pkcePair, USER } from '../oauth/helpers.ts';
import { startOAuthServer, type OAuthServer } from '../oauth/server.ts';

const CHROMIUM = '/usr/bin/chromium';
const CLIENT_NAME = 'Console Test Client';
const fetcher = (url: string, init?: RequestInit) => fetch(url, init);

/** Registers a client and runs the authorization-code flow through the real forms: its access token. */
async function approvedClient(server: OAuthServer): Promise<{ clientId: string; accessToken: string }> {
  const registered = await fetch(`${server.base}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none', client_name: CLIENT_NAME }),
  });
  assert.equal(registered.status, 201);
  const clientId = ((await registered.json()) as { client_id: string }).client_id;
  const pkce = pkcePair();
  const location = await signInAndConsent(
    fetcher,
    authorizeUrl(
      {
        response_type: 'code',
        client_id: clientId,
        redirect_uri: REDIRECT,
        code_challenge: pkce.challenge,
        code_challenge_method: 'S256',
        state: 's',
      },
      server.base,
    ),
  );
  const token = await fetch(`${server.base}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: location.searchParams.get('code') ?? '',
      redirect_uri: REDIRECT,
      code_verifier: pkce.verifier,
      client_id: clientId,
    }),
  });
  assert.equal(token.status, 200);
  return { clientId, accessToken: ((await token.json()) as { access_token: string }).access_token };
}

function searchCall(server: OAuthServer, accessToken: string): Promise<Response> {
  return fetch(server.mcpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'search', arguments: { query: 'list tables' } } }),
  });
}

describe('operator console in headless Chromium', { skip: existsSync(CHROMIUM) ? false : `skipped: ${CHROMIUM} is not installed` }, () => {
  let server: OAuthServer;
  let profile: string;
  let browser: BrowserContext;
  before(async () => {
    server = await startOAuthServer();
    profile = mkdtempSync(join(tmpdir(), 'console-chromium-'));
    // A persistent context on a fresh directory: Chromium's --user-data-dir, as Playwright wants it passed.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('signs in, lists the client with its grant and the activity, revokes it, and its token gets 401', { timeout: 120_000 }, async () => {
    const { clientId, accessToken } = await approvedClient(server);
    assert.equal((await searchCall(server, accessToken)).status, 200, 'the token works before the revocation');

    const page = await browser.newPage();
    const first = await page.goto(`${server.base}/admin`);
    assert.equal(new URL(page.url()).pathname, '/chatgpt/signin', 'an anonymous browser is sent to sign in');
    assert.equal(first?.status(), 200);
    await page.fill('#username', USER);
    await page.fill('#password', PASSWORD);
    const [landed] = await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    assert.equal(new URL(page.url()).pathname, '/chatgpt/admin', 'sign-in returns to the console');
    const headers = (await landed?.allHeaders()) ?? {};
    assert.match(headers['content-security-policy'] ?? '', /default-src 'none'/);
    assert.equal(headers['x-frame-options'], 'DENY');
    assert.equal(headers['cache-control'], 'no-store');

    assert.equal(await page.textContent('h1'), 'Operator console');
    const clients = page.getByRole('table', { name: 'Clients' });
    assert.match((await clients.textContent()) ?? '', new RegExp(`${CLIENT_NAME}[\\s\\S]*${clientId}`));
    assert.match((await clients.textContent()) ?? '', new RegExp(`active: approved by ${USER} on \\d{4}-`));
    const activity = (await page.getByRole('table', { name: 'Recent activity' }).textContent()) ?? '';
    assert.match(activity, /search/);
    assert.match(activity, /ok/);
    assert.doesNotMatch(activity, /list tables/, 'no tool input unless ACTIVITY_CAPTURE_QUERY_TEXT=true');
    const health = (await page.getByRole('table', { name: 'Health' }).textContent()) ?? '';
    assert.match(health, /Database\s*ok/);
    assert.match(health, /OAuth store\s*ok/);
    assert.match(health, /TLS certificate\s*unknown/);

    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: `Revoke ${CLIENT_NAME}` }).click()]);
    assert.equal(new URL(page.url()).pathname, '/chatgpt/admin');
    assert.equal(await page.getByRole('status').textContent(), 'Client revoked: 1 grant(s) ended.');
    const after = (await page.textContent('main')) ?? '';
    assert.match(after, /No client is registered\./, 'the registration is gone from the list');

    const refused = await searchCall(server, accessToken);
    assert.equal(refused.status, 401, "the revoked client's access token no longer works");
    assert.match(refused.headers.get('www-authenticate') ?? '', /invalid_token/);
    await page.close();
  });

  it("refuses a revoke without the session's CSRF token", async () => {
    const { clientId } = await approvedClient(server);
    const cookies = (await browser.cookies(server.base)).map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
    const response = await fetch(`${server.base}/admin/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies },
      body: new URLSearchParams({ client_id: clientId, csrf: 'forged' }),
      redirect: 'manual',
    });
    assert.equal(response.status, 403);
    const page = await browser.newPage();
    await page.goto(`${server.base}/admin`);
    assert.match(
      (await page.getByRole('table', { name: 'Clients' }).textContent()) ?? '',
      new RegExp(clientId),
      'the client is still there',
    );
    await page.close();
  });
});
