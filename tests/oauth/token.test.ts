import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authorizeUrl, exchange, obtainCode, REDIRECT, registerClient, signInAndConsent, tokenRequest } from './flow.ts';
import { BASE, createHarness, pkcePair } from './helpers.ts';

const bearer = async (h: Awaited<ReturnType<typeof createHarness>>, token: string) =>
  (await h.fetch(`${BASE}/mcp`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } })).status;

async function confidentialCode(h: Awaited<ReturnType<typeof createHarness>>, method: string) {
  const client = await registerClient(h.fetch, { token_endpoint_auth_method: method, redirect_uris: [REDIRECT] });
  const pkce = pkcePair();
  const location = await signInAndConsent(
    h.fetch,
    authorizeUrl({
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: REDIRECT,
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
      state: 's',
    }),
  );
  return { client, pkce, code: location.searchParams.get('code') ?? '' };
}

describe('token endpoint (checklist items 18-22)', () => {
  it('item 18: public clients authenticate with client_id alone (none)', async () => {
    const h = await createHarness();
    const { tokens } = await exchange(h);
    assert.ok(tokens.access_token);
  });

  it('item 18: client_secret_post and client_secret_basic both work; a wrong secret is 401 invalid_client', async () => {
    const h = await createHarness();
    const post = await confidentialCode(h, 'client_secret_post');
    const good = await tokenRequest(h.fetch, {
      grant_type: 'authorization_code',
      code: post.code,
      redirect_uri: REDIRECT,
      code_verifier: post.pkce.verifier,
      client_id: post.client.client_id,
      client_secret: String(post.client.client_secret),
    });
    assert.equal(good.status, 200, JSON.stringify(good.body));

    const basic = await confidentialCode(h, 'client_secret_basic');
    const wrong = await tokenRequest(
      h.fetch,
      {
        grant_type: 'authorization_code',
        code: basic.code,
        redirect_uri: REDIRECT,
        code_verifier: basic.pkce.verifier,
      },
      { Authorization: `Basic ${Buffer.from(`${basic.client.client_id}:nope`).toString('base64')}` },
    );
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error, 'invalid_client');
    assert.match(wrong.headers.get('WWW-Authenticate') ?? '', /^Basic /, 'item 20: Basic failures carry a challenge');

    const basic2 = await confidentialCode(h, 'client_secret_basic');
    const credentials = `${encodeURIComponent(basic2.client.client_id)}:${encodeURIComponent(String(basic2.client.client_secret))}`;
    const ok = await tokenRequest(
      h.fetch,
      {
        grant_type: 'authorization_code',
        code: basic2.code,
        redirect_uri: REDIRECT,
        code_verifier: basic2.pkce.verifier,
      },
      { Authorization: `Basic ${Buffer.from(credentials).toString('base64')}` },
    );
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
  });

  it('item 18: a confidential client without its secret is refused', async () => {
    const h = await createHarness();
    const got = await confidentialCode(h, 'client_secret_post');
    const response = await tokenRequest(h.fetch, {
      grant_type: 'authorization_code',
      code: got.code,
      redirect_uri: REDIRECT,
      code_verifier: got.pkce.verifier,
      client_id: got.client.client_id,
    });
    assert.equal(response.status, 401);
    assert.equal(response.body.error, 'invalid_client');
    assert.equal(response.headers.get('WWW-Authenticate'), null, 'no Basic challenge when Basic was not used');
  });

  it('item 19: the code exchange returns a Bearer token pair, not cacheable', async () => {
    const h = await createHarness();
    const got = await obtainCode(h);
    const response = await tokenRequest(h.fetch, {
      grant_type: 'authorization_code',
      code: got.code,
      redirect_uri: REDIRECT,
      code_verifier: got.pkce.verifier,
      client_id: got.client.client_id,
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('Cache-Control'), 'no-store');
    assert.equal(response.body.token_type, 'Bearer');
    assert.equal(response.body.expires_in, 3600);
    assert.equal(typeof response.body.refresh_token, 'string');
    assert.equal(response.body.scope, 'mssql:read');
    assert.equal(await bearer(h, String(response.body.access_token)), 200);
  });

  for (const [label, change, error] of [
    ['missing PKCE verifier', { code_verifier: undefined }, 'invalid_grant'],
    ['wrong PKCE verifier', { code_verifier: pkcePair().verifier }, 'invalid_grant'],
    ['the challenge sent as verifier (plain)', { code_verifier: 'CHALLENGE' }, 'invalid_grant'],
    ['a different redirect_uri', { redirect_uri: 'https://chatgpt.com/other' }, 'invalid_grant'],
    ['a missing redirect_uri', { redirect_uri: undefined }, 'invalid_grant'],
    ['a different resource', { resource: `${BASE}/sse` }, 'invalid_target'],
    ['an unknown code', { code: 'made-up-code' }, 'invalid_grant'],
    ['no code at all', { code: undefined }, 'invalid_request'],
  ] as const) {
    it(`item 19: ${label} is refused with ${error}`, async () => {
      const h = await createHarness();
      const got = await obtainCode(h);
      const fields: Record<string, string | undefined> = {
        grant_type: 'authorization_code',
        code: got.code,
        redirect_uri: REDIRECT,
        code_verifier: got.pkce.verifier,
        client_id: got.client.client_id,
        ...change,
      };
      if (fields.code_verifier === 'CHALLENGE') fields.code_verifier = got.pkce.challenge;
      const clean = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Record<string, string>;
      const response = await tokenRequest(h.fetch, clean);
      assert.equal(response.status, 400);
      assert.equal(response.body.error, error);
    });
  }

  it('item 19: a code from another client is refused', async () => {
    const h = await createHarness();
    const got = await obtainCode(h);
    const other = await registerClient(h.fetch);
    const response = await tokenRequest(h.fetch, {
      grant_type: 'authorization_code',
      code: got.code,
      redirect_uri: REDIRECT,
      code_verifier: got.pkce.verifier,
      client_id: other.client_id,
    });
    assert.equal(response.status, 400);
    assert.equal(response.body.error, 'invalid_grant');
  });

  it('item 19: a code is valid for 60 seconds only', async () => {
    const h = await createHarness();
    const got = await obtainCode(h);
    h.clock.advance(61_000);
    const response = await tokenRequest(h.fetch, {
      grant_type: 'authorization_code',
      code: got.code,
      redirect_uri: REDIRECT,
      code_verifier: got.pkce.verifier,
      client_id: got.client.client_id,
    });
    assert.equal(response.body.error, 'invalid_grant');
  });

  it('item 19: a replayed code is refused and revokes the tokens it issued', async () => {
    const h = await createHarness();
    const { code, pkce, client, tokens } = await exchange(h);
    assert.equal(await bearer(h, tokens.access_token), 200);
    const replay = await tokenRequest(h.fetch, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: pkce.verifier,
      client_id: client.client_id,
    });
    assert.equal(replay.status, 400);
    assert.equal(replay.body.error, 'invalid_grant');
    assert.equal(await bearer(h, tokens.access_token), 401, 'access token revoked');
    const refresh = await tokenRequest(h.fetch, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: client.client_id,
    });
    assert.equal(refresh.body.error, 'invalid_grant', 'refresh token revoked');
  });

  for (const [label, fields, status, error] of [
    ['unknown grant_type', { grant_type: 'password' }, 400, 'unsupported_grant_type'],
    ['client_credentials', { grant_type: 'client_credentials' }, 400, 'unsupported_grant_type'],
    ['no grant_type', {}, 400, 'invalid_request'],
  ] as const) {
    it(`item 20: ${label} is a JSON ${status} ${error}`, async () => {
      const h = await createHarness();
      const response = await tokenRequest(h.fetch, { ...fields, client_id: 'x' });
      assert.equal(response.status, status);
      assert.equal(response.body.error, error);
      assert.equal(typeof response.body.error_description, 'string');
      assert.equal(response.headers.get('Cache-Control'), 'no-store');
    });
  }

  it('item 20: an unknown client is 401 invalid_client (Claude re-registers on it)', async () => {
    const h = await createHarness();
    const response = await tokenRequest(h.fetch, { grant_type: 'authorization_code', code: 'x', code_verifier: 'y', client_id: 'ghost' });
    assert.equal(response.status, 401);
    assert.equal(response.body.error, 'invalid_client');
  });

  it('item 20: a JSON body is refused with invalid_request', async () => {
    const h = await createHarness();
    const response = await h.fetch(`${BASE}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'refresh_token' }),
    });
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { error: string }).error, 'invalid_request');
  });

  it('item 21: refresh rotates the refresh token for public clients and the new access token works', async () => {
    const h = await createHarness();
    const { tokens, client } = await exchange(h);
    const rotated = await tokenRequest(h.fetch, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: client.client_id,
    });
    assert.equal(rotated.status, 200);
    assert.notEqual(rotated.body.refresh_token, tokens.refresh_token);
    assert.notEqual(rotated.body.access_token, tokens.access_token);
    assert.equal(await bearer(h, String(rotated.body.access_token)), 200);
    const again = await tokenRequest(h.fetch, {
      grant_type: 'refresh_token',
      refresh_token: String(rotated.body.refresh_token),
      client_id: client.client_id,
    });
    assert.equal(again.status, 200, 'the rotated token is itself usable once');
  });

  it('item 21: concurrent refreshes within the grace window get the same new pair', async () => {
    const h = await createHarness();
    const { tokens, client } = await exchange(h);
    const fields = { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: client.client_id };
    const [a, b] = await Promise.all([tokenRequest(h.fetch, fields), tokenRequest(h.fetch, fields)]);
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    assert.equal(a.body.refresh_token, b.body.refresh_token);
    assert.equal(a.body.access_token, b.body.access_token);
    h.clock.advance(10_000);
    const late = await tokenRequest(h.fetch, fields);
    assert.equal(late.body.refresh_token, a.body.refresh_token, 'still the same pair 10 s later');
  });

  it('item 21: refresh reuse after the grace window revokes the whole family', async () => {
    const h = await createHarness();
    const { tokens, client } = await exchange(h);
    const fields = { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: client.client_id };
    const first = await tokenRequest(h.fetch, fields);
    h.clock.advance(31_000);
    const reuse = await tokenRequest(h.fetch, fields);
    assert.equal(reuse.status, 400);
    assert.equal(reuse.body.error, 'invalid_grant');
    assert.equal(await bearer(h, String(first.body.access_token)), 401, 'the descendant access token is revoked');
    const descendant = await tokenRequest(h.fetch, { ...fields, refresh_token: String(first.body.refresh_token) });
    assert.equal(descendant.body.error, 'invalid_grant', 'the descendant refresh token is revoked');
    assert.ok(h.logger.lines.some((line) => line.event === 'oauth.refresh_reuse'));
  });

  it('item 21: a refresh token only works for the client it was issued to', async () => {
    const h = await createHarness();
    const { tokens } = await exchange(h);
    const other = await registerClient(h.fetch);
    const response = await tokenRequest(h.fetch, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: other.client_id,
    });
    assert.equal(response.body.error, 'invalid_grant');
  });

  it('item 21: refresh tokens expire after REFRESH_TOKEN_TTL_DAYS', async () => {
    const h = await createHarness({ env: { REFRESH_TOKEN_TTL_DAYS: '1' } });
    const { tokens, client } = await exchange(h);
    h.clock.advance(86_400_001);
    const response = await tokenRequest(h.fetch, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: client.client_id,
    });
    assert.equal(response.body.error, 'invalid_grant');
  });

  it('item 22: the access token has aud = resource, iss = issuer, sub = operator and a short lifetime', async () => {
    const h = await createHarness({ env: { ACCESS_TOKEN_TTL_SECONDS: '600' } });
    const { tokens, client } = await exchange(h);
    const [header, payload] = tokens.access_token
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()) as Record<string, unknown>);
    assert.equal(header?.alg, 'ES256');
    assert.equal(header?.typ, 'at+jwt');
    assert.equal(typeof header?.kid, 'string');
    assert.equal(payload?.iss, BASE);
    assert.equal(payload?.aud, `${BASE}/mcp`);
    assert.equal(payload?.sub, 'ann');
    assert.equal(payload?.client_id, client.client_id);
    assert.equal(payload?.scope, 'mssql:read');
    assert.equal(Number(payload?.exp) - Number(payload?.iat), 600);
    assert.equal(typeof payload?.jti, 'string');
    assert.equal(tokens.expires_in, 600);
  });
});
