import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { actionUrl, authorizeUrl, REDIRECT, signInAndConsent } from '../oauth/flow.ts';
import { browser, formPost, parseForm, pkcePair, USER } from '../oauth/helpers.ts';
import { startOAuthServer, type OAuthServer } from '../oauth/server.ts';

const fetcher = (url: string, init?: RequestInit) => fetch(url, init);

async function oauthEvents(server: OAuthServer): Promise<Record<string, number>> {
  const text = await (await fetch(server.metricsUrl ?? '')).text();
  return Object.fromEntries(
    [...text.matchAll(/^mcp_oauth_events_total\{event="([a-z_]+)"\} (\d+)$/gm)].map((m) => [m[1] ?? '', Number(m[2])]),
  );
}

describe('OAuth events in the metrics', () => {
  let server: OAuthServer;
  before(async () => {
    server = await startOAuthServer({ env: { METRICS_PORT: '0' } });
  });
  after(async () => server?.close());

  it('counts registrations, sign-ins ok and failed, tokens issued, refreshed and revoked, with no client or user label', async () => {
    const registered = await fetch(`${server.base}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none', client_name: 'Metrics Client' }),
    });
    const clientId = ((await registered.json()) as { client_id: string }).client_id;

    // One failed sign-in through the real form.
    const agent = browser(fetcher);
    const signinUrl = `${server.base}/signin`;
    const form = parseForm(await (await agent.go(signinUrl)).text());
    assert.equal(
      (await agent.go(actionUrl(signinUrl, form.action), formPost({ ...form.fields, username: USER, password: 'wrong' }))).status,
      401,
    );

    const pkce = pkcePair();
    const params = {
      response_type: 'code',
      client_id: clientId,
      redirect_uri: REDIRECT,
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
      state: 's',
    };
    const code = (await signInAndConsent(fetcher, authorizeUrl(params, server.base))).searchParams.get('code') ?? '';
    const token = async (fields: Record<string, string>) =>
      (await (await fetch(`${server.base}/token`, formPost({ client_id: clientId, ...fields }))).json()) as { refresh_token: string };
    const first = await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: pkce.verifier });
    const second = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
    assert.equal((await fetch(`${server.base}/revoke`, formPost({ token: second.refresh_token, client_id: clientId }))).status, 200);

    assert.deepEqual(await oauthEvents(server), {
      client_registered: 1,
      signin_failed: 1,
      signin_ok: 1,
      token_issued: 1,
      token_refreshed: 1,
      token_revoked: 1,
    });
    const text = await (await fetch(server.metricsUrl ?? '')).text();
    assert.ok(!text.includes(clientId) && !text.includes(USER), 'no client id or user name in any label');
  });
});
