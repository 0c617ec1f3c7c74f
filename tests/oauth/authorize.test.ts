import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authorizeUrl, obtainCode, REDIRECT, registerClient, signInAndConsent } from './flow.ts';
import { BASE, browser, createHarness, formPost, parseForm, pkcePair } from './helpers.ts';

// Every case signs in from the same address within the minute: the per-address sign-in rate
// (LOGIN_RATE_PER_MINUTE, tested in signin.test.ts) is not what these cases are about.
const h = await createHarness({ env: { LOGIN_RATE_PER_MINUTE: '1000' } });
const client = await registerClient(h.fetch);
const pkce = pkcePair();
const valid = {
  response_type: 'code',
  client_id: client.client_id,
  redirect_uri: REDIRECT,
  code_challenge: pkce.challenge,
  code_challenge_method: 'S256',
  state: 'xyz',
};

describe('authorize (checklist items 12-17)', () => {
  it('item 12: GET /authorize without a session redirects to sign-in, not cacheable', async () => {
    const response = await h.fetch(authorizeUrl(valid));
    assert.equal(response.status, 302);
    const location = new URL(response.headers.get('Location') ?? '');
    assert.equal(`${location.origin}${location.pathname}`, `${BASE}/signin`);
    assert.match(location.searchParams.get('return_to') ?? '', /^\/authorize\?/);
    assert.equal(response.headers.get('Cache-Control'), 'no-store');
  });

  it('item 12: POST /authorize with the request as a form works like GET', async () => {
    const response = await h.fetch(`${BASE}/authorize`, formPost(valid));
    assert.equal(response.status, 302);
    assert.match(response.headers.get('Location') ?? '', /\/signin\?return_to=/);
  });

  it('item 12: the consent page names the client, the redirect host and the scopes, and cannot be framed', async () => {
    const agent = browser(h.fetch);
    const first = await agent.go(authorizeUrl(valid));
    const signin = await agent.go(first.headers.get('Location') ?? '');
    const form = parseForm(await signin.text());
    const back = await agent.go(`${BASE}/signin`, formPost({ ...form.fields, username: 'ann', password: 'correct horse battery staple' }));
    const consent = await agent.go(back.headers.get('Location') ?? '');
    assert.equal(consent.status, 200);
    const page = await consent.text();
    assert.match(page, /ChatGPT/);
    assert.match(page, /chatgpt\.com/);
    assert.match(page, /mssql:read/);
    assert.equal(consent.headers.get('Cache-Control'), 'no-store');
    assert.equal(consent.headers.get('X-Frame-Options'), 'DENY');
    assert.match(consent.headers.get('Content-Security-Policy') ?? '', /frame-ancestors 'none'/);
    assert.doesNotMatch(page, /<script|src="http/);
  });

  it('items 11, 46: with OAUTH_CIMD=false a URL client_id is an unknown client: error page, no fetch, not advertised', async () => {
    const off = await createHarness({ env: { OAUTH_CIMD: 'false' } });
    const metadata = (await (await off.fetch('https://data.example.com/.well-known/oauth-authorization-server/chatgpt')).json()) as Record<
      string,
      unknown
    >;
    assert.equal(metadata.client_id_metadata_document_supported, undefined);
    const response = await off.fetch(authorizeUrl({ ...valid, client_id: 'https://chatgpt.com/oauth/client.json' }));
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('Location'), null);
    assert.deepEqual(
      off.logger.lines.filter((line) => line.event.startsWith('oauth.cimd')),
      [],
      'no document was fetched',
    );
    assert.equal(off.logger.lines.find((line) => line.event === 'oauth.authorize_refused')?.fields.code, 'unknown_client');
  });

  for (const [label, params] of [
    ['unknown client', { ...valid, client_id: 'no-such-client' }],
    ['missing client', { ...valid, client_id: '' }],
    ['unregistered redirect URI', { ...valid, redirect_uri: 'https://chatgpt.com/other' }],
    ['look-alike redirect URI', { ...valid, redirect_uri: 'https://chatgpt.com.evil.example/connector_platform_oauth_redirect' }],
  ] as const) {
    it(`item 13: ${label} gets an error page, never a redirect`, async () => {
      const response = await h.fetch(authorizeUrl(params));
      assert.equal(response.status, 400);
      assert.equal(response.headers.get('Location'), null);
      assert.match(response.headers.get('Content-Type') ?? '', /text\/html/);
    });
  }

  for (const [label, params, error] of [
    ['missing code_challenge', { ...valid, code_challenge: undefined }, 'invalid_request'],
    ['plain PKCE', { ...valid, code_challenge_method: 'plain' }, 'invalid_request'],
    ['missing code_challenge_method', { ...valid, code_challenge_method: undefined }, 'invalid_request'],
    ['malformed code_challenge', { ...valid, code_challenge: 'short' }, 'invalid_request'],
    ['response_type token', { ...valid, response_type: 'token' }, 'unsupported_response_type'],
  ] as const) {
    it(`item 14: ${label} redirects with error=${error} and the state`, async () => {
      const clean = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as Record<string, string>;
      const response = await h.fetch(authorizeUrl(clean));
      assert.equal(response.status, 302);
      const location = new URL(response.headers.get('Location') ?? '');
      assert.equal(`${location.origin}${location.pathname}`, REDIRECT);
      assert.equal(location.searchParams.get('error'), error);
      assert.equal(location.searchParams.get('state'), 'xyz');
      assert.equal(location.searchParams.get('iss'), BASE);
      assert.equal(location.searchParams.get('code'), null);
    });
  }

  it('item 15: a request without scope is granted the default scopes', async () => {
    const got = await obtainCode(h);
    const response = await h.fetch(
      `${BASE}/token`,
      formPost({
        grant_type: 'authorization_code',
        code: got.code,
        redirect_uri: REDIRECT,
        code_verifier: got.pkce.verifier,
        client_id: got.client.client_id,
      }),
    );
    const body = (await response.json()) as { scope: string };
    assert.equal(body.scope, 'mssql:read');
  });

  it("item 15: unknown requested scopes (Claude's claudeai, offline_access) are dropped; none left → defaults", async () => {
    for (const scope of ['claudeai', 'mssql:read offline_access']) {
      const got = await obtainCode(h, { scope });
      const response = await h.fetch(
        `${BASE}/token`,
        formPost({
          grant_type: 'authorization_code',
          code: got.code,
          redirect_uri: REDIRECT,
          code_verifier: got.pkce.verifier,
          client_id: got.client.client_id,
        }),
      );
      assert.equal(((await response.json()) as { scope: string }).scope, 'mssql:read', scope);
    }
  });

  it('item 16: a resource that is not this server redirects with invalid_target', async () => {
    for (const resource of ['https://evil.example/mcp', `${BASE}/other`, 'https://data.example.com/mcp']) {
      const response = await h.fetch(authorizeUrl({ ...valid, resource }));
      const location = new URL(response.headers.get('Location') ?? '');
      assert.equal(location.searchParams.get('error'), 'invalid_target', resource);
    }
  });

  it('item 16: a missing resource defaults to the canonical MCP URL, an explicit one is kept', async () => {
    const implicit = await obtainCode(h);
    const explicit = await obtainCode(h, { resource: `${BASE}/sse` });
    const exchange = async (got: typeof implicit) => {
      const response = await h.fetch(
        `${BASE}/token`,
        formPost({
          grant_type: 'authorization_code',
          code: got.code,
          redirect_uri: REDIRECT,
          code_verifier: got.pkce.verifier,
          client_id: got.client.client_id,
        }),
      );
      const token = ((await response.json()) as { access_token: string }).access_token;
      return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { aud: string };
    };
    assert.equal((await exchange(implicit)).aud, `${BASE}/mcp`);
    assert.equal((await exchange(explicit)).aud, `${BASE}/sse`);
  });

  it('item 17: success redirects with code, state and iss', async () => {
    const got = await obtainCode(h);
    assert.equal(`${got.location.origin}${got.location.pathname}`, REDIRECT);
    assert.ok((got.location.searchParams.get('code') ?? '').length >= 43);
    assert.equal(got.location.searchParams.get('state'), 'st-1');
    assert.equal(got.location.searchParams.get('iss'), BASE);
    const granted = h.logger.lines.find((line) => line.event === 'oauth.consent_granted');
    assert.equal(granted?.fields.operator, 'ann');
    assert.equal(typeof granted?.fields.client_id, 'string');
  });

  it('item 17: denying consent redirects with access_denied and no code', async () => {
    const location = await signInAndConsent(h.fetch, authorizeUrl(valid), { decision: 'deny' });
    assert.equal(location.searchParams.get('error'), 'access_denied');
    assert.equal(location.searchParams.get('state'), 'xyz');
    assert.equal(location.searchParams.get('code'), null);
  });

  it('item 50: every authorization response carries iss exactly once: code, error and denial (RFC 9207 §2)', async () => {
    const success = (await obtainCode(h)).location;
    const denied = await signInAndConsent(h.fetch, authorizeUrl(valid), { decision: 'deny' });
    const errors = await Promise.all(
      [
        { ...valid, response_type: 'token' },
        { ...valid, resource: 'https://elsewhere.example/mcp' },
      ].map(async (params) => new URL((await h.fetch(authorizeUrl(params))).headers.get('Location') ?? '')),
    );
    for (const location of [success, denied, ...errors]) {
      assert.deepEqual(location.searchParams.getAll('iss'), [BASE], location.href);
    }
    assert.deepEqual(
      errors.map((location) => location.searchParams.get('error')),
      ['unsupported_response_type', 'invalid_target'],
    );
  });

  it('a loopback redirect URI matches on any port (RFC 8252 §7.3)', async () => {
    const native = await registerClient(h.fetch, { redirect_uris: ['http://127.0.0.1:5000/callback'] });
    const location = await signInAndConsent(
      h.fetch,
      authorizeUrl({ ...valid, client_id: native.client_id, redirect_uri: 'http://127.0.0.1:61234/callback' }),
    );
    assert.equal(location.host, '127.0.0.1:61234');
    assert.ok(location.searchParams.get('code'));
  });

  it('repeated parameters are refused (RFC 6749 §3.1)', async () => {
    const response = await h.fetch(`${authorizeUrl(valid)}&state=again`);
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('Location'), null);
  });
});
