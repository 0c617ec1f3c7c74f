/** Issue 10 item 9: registration hygiene — unused clients purged, grant types enforced, /64 buckets, an honest consent page. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressKey } from '../../src/oauth/core/address-key.ts';
import { createMemoryStore } from '../../src/oauth/core/store-memory.ts';
import { authorizeUrl, REDIRECT, registerClient, signInAndConsent, tokenRequest } from './flow.ts';
import { BASE, browser, createHarness, formPost, parseForm, PASSWORD, pkcePair, steppingClock, USER } from './helpers.ts';

const DAY = 86_400_000;

async function codeFor(h: Awaited<ReturnType<typeof createHarness>>, clientId: string) {
  const pkce = pkcePair();
  const location = await signInAndConsent(
    h.fetch,
    authorizeUrl({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: REDIRECT,
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
      state: 's',
    }),
  );
  return { code: location.searchParams.get('code') ?? '', verifier: pkce.verifier };
}

describe('registered grant types are enforced at /token', () => {
  const cases: Array<{ registered: string[]; tries: 'authorization_code' | 'refresh_token'; status: number; error?: string }> = [
    { registered: ['refresh_token'], tries: 'authorization_code', status: 400, error: 'unauthorized_client' },
    { registered: ['authorization_code'], tries: 'refresh_token', status: 400, error: 'unauthorized_client' },
    { registered: ['authorization_code', 'refresh_token'], tries: 'refresh_token', status: 200 },
  ];
  for (const { registered, tries, status, error } of cases) {
    it(`a client registered for [${registered.join(', ')}] using ${tries} gets ${status}${error ? ` ${error}` : ''}`, async () => {
      const h = await createHarness();
      const client = await registerClient(h.fetch, { grant_types: registered });
      if (tries === 'authorization_code') {
        const got = await codeFor(h, client.client_id);
        const answer = await tokenRequest(h.fetch, {
          grant_type: 'authorization_code',
          code: got.code,
          redirect_uri: REDIRECT,
          code_verifier: got.verifier,
          client_id: client.client_id,
        });
        assert.equal(answer.status, status);
        assert.equal(answer.body.error, error);
        return;
      }
      const got = await codeFor(h, client.client_id);
      const pair = await tokenRequest(h.fetch, {
        grant_type: 'authorization_code',
        code: got.code,
        redirect_uri: REDIRECT,
        code_verifier: got.verifier,
        client_id: client.client_id,
      });
      assert.equal(pair.status, 200);
      // Only a client that registered refresh_token is given one; the other still tries one.
      assert.equal(typeof pair.body.refresh_token, registered.includes('refresh_token') ? 'string' : 'undefined');
      const presented = String(pair.body.refresh_token ?? 'a-refresh-token-it-was-never-given');
      const answer = await tokenRequest(h.fetch, { grant_type: 'refresh_token', refresh_token: presented, client_id: client.client_id });
      assert.equal(answer.status, status, JSON.stringify(answer.body));
      assert.equal(answer.body.error, error);
    });
  }
});

describe('registrations never used are purged', () => {
  it('a client without a grant is deleted after OAUTH_UNUSED_CLIENT_DAYS; a client with a grant stays', async () => {
    const clock = steppingClock();
    const h = await createHarness({ clock, env: { OAUTH_UNUSED_CLIENT_DAYS: '3' } });
    const unused = await registerClient(h.fetch);
    const used = await registerClient(h.fetch);
    const got = await codeFor(h, used.client_id);
    assert.equal(
      (
        await tokenRequest(h.fetch, {
          grant_type: 'authorization_code',
          code: got.code,
          redirect_uri: REDIRECT,
          code_verifier: got.verifier,
          client_id: used.client_id,
        })
      ).status,
      200,
    );
    clock.advance(2 * DAY);
    await h.fetch(`${BASE}/.well-known/oauth-authorization-server`);
    assert.ok(await h.store.getClient(unused.client_id), 'still inside the period');
    clock.advance(1 * DAY + 60_000);
    await h.fetch(`${BASE}/.well-known/oauth-authorization-server`);
    assert.equal(await h.store.getClient(unused.client_id), undefined);
    assert.ok(await h.store.getClient(used.client_id));
    assert.ok(h.logger.lines.some((line) => line.event === 'oauth.clients_purged'));
  });

  it('the purge also runs at startup', async () => {
    const clock = steppingClock();
    const store = createMemoryStore();
    await store.saveClient({
      clientId: 'old',
      redirectUris: [REDIRECT],
      grantTypes: ['authorization_code'],
      responseTypes: ['code'],
      tokenEndpointAuthMethod: 'none',
      issuedAt: (clock.now() - 30 * DAY) / 1000,
    });
    await store.saveClient({
      clientId: 'new',
      redirectUris: [REDIRECT],
      grantTypes: ['authorization_code'],
      responseTypes: ['code'],
      tokenEndpointAuthMethod: 'none',
      issuedAt: clock.now() / 1000,
    });
    await createHarness({ clock, store });
    assert.deepEqual(
      (await store.listClients()).map((c) => c.clientId),
      ['new'],
    );
  });
});

describe('registrations are counted per IPv4 address or IPv6 /64', () => {
  const keys: Array<[string, string]> = [
    ['192.0.2.7', '192.0.2.7'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002:ffff::', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['[2001:db8:1:2::9]', '2001:db8:1:2::/64'],
  ];
  for (const [ip, key] of keys) {
    it(`${ip} counts as ${key}`, () => assert.equal(addressKey(ip), key));
  }

  it('addresses of one /64 share the hourly bucket; another /64 has its own', async () => {
    const h = await createHarness({ env: { REGISTER_RATE_LIMIT_PER_HOUR: '3' } });
    const register = (peer: string) =>
      h.fetch(`${BASE}/register`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'x-test-peer': peer },
        body: JSON.stringify({ redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' }),
      });
    const statuses = [];
    for (let i = 1; i <= 4; i++) statuses.push((await register(`2001:db8:aa:bb::${i.toString(16)}`)).status);
    assert.deepEqual(statuses, [201, 201, 201, 429]);
    assert.equal((await register('2001:db8:aa:bc::1')).status, 201);
  });
});

describe('the consent page separates what is verified from what the client claims', () => {
  it("shows the redirect host as verified and the client_name as the client's own, unverified claim", async () => {
    const h = await createHarness();
    const client = await registerClient(h.fetch, { client_name: 'Your Bank Security Team' });
    const agent = browser(h.fetch);
    const signin = parseForm(await (await agent.go(`${BASE}/signin`)).text());
    await agent.go(`${BASE}/signin`, formPost({ ...signin.fields, username: USER, password: PASSWORD }));
    const pkce = pkcePair();
    const page = await (
      await agent.go(
        authorizeUrl({
          response_type: 'code',
          client_id: client.client_id,
          redirect_uri: REDIRECT,
          code_challenge: pkce.challenge,
          code_challenge_method: 'S256',
        }),
      )
    ).text();
    const h1 = /<h1>([\s\S]*?)<\/h1>/.exec(page)?.[1] ?? '';
    assert.match(h1, /chatgpt\.com/);
    assert.doesNotMatch(h1, /Your Bank/, 'the claimed name is not the headline');
    assert.match(page, /\(verified\)<\/dt><dd><strong class="verified">chatgpt\.com<\/strong>/);
    assert.match(page, /own claim, not verified\)<\/dt><dd class="claim">“Your Bank Security Team”/);
  });
});
