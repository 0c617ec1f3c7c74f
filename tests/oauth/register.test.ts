import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BASE, createHarness } from './helpers.ts';

const h = await createHarness({ env: { REGISTER_RATE_LIMIT_PER_HOUR: '1000' } });
const register = async (body: unknown, peer = '10.0.0.1', fetcher = h.fetch) => {
  const response = await fetcher(`${BASE}/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'x-test-peer': peer },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
};

describe('registration (checklist items 8-10)', () => {
  it('item 8: a public client gets a client_id, its auth method echoed and no secret', async () => {
    const { status, headers, body } = await register({
      redirect_uris: ['https://chatgpt.com/connector_platform_oauth_redirect'],
      token_endpoint_auth_method: 'none',
      client_name: 'ChatGPT',
    });
    assert.equal(status, 201);
    assert.equal(headers.get('Cache-Control'), 'no-store');
    assert.equal(typeof body.client_id, 'string');
    assert.equal(typeof body.client_id_issued_at, 'number');
    assert.equal(body.token_endpoint_auth_method, 'none');
    assert.deepEqual(body.grant_types, ['authorization_code', 'refresh_token']);
    assert.deepEqual(body.response_types, ['code']);
    assert.equal(body.client_name, 'ChatGPT');
    assert.ok(!('client_secret' in body));
    assert.ok(await h.store.getClient(String(body.client_id)), 'persisted in the store');
  });

  for (const type of ['web', 'native']) {
    it(`item 51: application_type ${type} is accepted, stored and echoed`, async () => {
      const redirect = type === 'web' ? 'https://claude.ai/api/mcp/auth_callback' : 'http://127.0.0.1:6276/oauth/callback';
      const { status, body } = await register({ redirect_uris: [redirect], token_endpoint_auth_method: 'none', application_type: type });
      assert.equal(status, 201, JSON.stringify(body));
      assert.equal(body.application_type, type);
      assert.equal((await h.store.getClient(String(body.client_id)))?.applicationType, type);
    });
  }

  it('item 51: an unknown application_type is 400 invalid_client_metadata', async () => {
    const { status, body } = await register({ redirect_uris: ['https://claude.ai/api/mcp/auth_callback'], application_type: 'browser' });
    assert.equal(status, 400);
    assert.equal(body.error, 'invalid_client_metadata');
  });

  it('item 48: a private_key_jwt client registers with jwks_uri (echoed, no secret issued)', async () => {
    const { status, body } = await register({
      redirect_uris: ['https://chatgpt.com/connector/oauth/abc'],
      token_endpoint_auth_method: 'private_key_jwt',
      jwks_uri: 'https://keys.example.com/jwks.json',
    });
    assert.equal(status, 201, JSON.stringify(body));
    assert.equal(body.token_endpoint_auth_method, 'private_key_jwt');
    assert.equal(body.jwks_uri, 'https://keys.example.com/jwks.json');
    assert.ok(!('client_secret' in body));
    assert.equal((await h.store.getClient(String(body.client_id)))?.secretHash, undefined);
  });

  for (const [label, extra] of [
    ['private_key_jwt without keys', { token_endpoint_auth_method: 'private_key_jwt' }],
    [
      'private_key_jwt with both jwks_uri and jwks',
      { token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'https://k.example/j', jwks: { keys: [{ kty: 'EC' }] } },
    ],
    ['jwks_uri over http', { token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'http://keys.example.com/jwks.json' }],
    [
      'a private key in jwks',
      { token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'a', y: 'b', d: 'secret' }] } },
    ],
    ['keys on a client that does not sign', { token_endpoint_auth_method: 'none', jwks_uri: 'https://keys.example.com/jwks.json' }],
  ] as const) {
    it(`item 48: ${label} is 400 invalid_client_metadata`, async () => {
      const { status, body } = await register({ redirect_uris: ['https://chatgpt.com/connector/oauth/abc'], ...extra });
      assert.equal(status, 400, JSON.stringify(body));
      assert.equal(body.error, 'invalid_client_metadata');
    });
  }

  for (const method of ['client_secret_post', 'client_secret_basic']) {
    it(`item 8: a confidential client (${method}) gets the method echoed and a never-expiring secret`, async () => {
      const { status, body } = await register({
        redirect_uris: ['https://claude.ai/api/mcp/auth_callback'],
        token_endpoint_auth_method: method,
      });
      assert.equal(status, 201);
      assert.equal(body.token_endpoint_auth_method, method);
      assert.equal(typeof body.client_secret, 'string');
      assert.ok(String(body.client_secret).length >= 43);
      assert.equal(body.client_secret_expires_at, 0);
      const stored = await h.store.getClient(String(body.client_id));
      assert.ok(stored?.secretHash && stored.secretHash !== body.client_secret, 'only a hash is stored');
    });
  }

  const accepted = [
    'https://chatgpt.com/connector_platform_oauth_redirect',
    'https://chatgpt.com/connector/oauth/abc123',
    'https://claude.ai/api/mcp/auth_callback',
    'https://claude.com/api/mcp/auth_callback',
    'https://platform.openai.com/callback',
    'http://localhost:6274/oauth/callback',
    'http://127.0.0.1:6276/oauth/callback',
    'http://[::1]:33418/oauth/callback',
    'https://CHATGPT.com/x',
  ];
  for (const uri of accepted) {
    it(`item 9: accepts redirect URI ${uri}`, async () => {
      const { status, body } = await register({ redirect_uris: [uri], token_endpoint_auth_method: 'none' });
      assert.equal(status, 201, JSON.stringify(body));
    });
  }

  const refused = [
    'https://chatgpt.com.evil.example/cb',
    'https://evilchatgpt.com/cb',
    'https://chatgpt.com@evil.example/cb',
    'https://user:pw@chatgpt.com/cb',
    'https://chatgpt.com/cb#fragment',
    'javascript:alert(1)',
    'data:text/html,hi',
    'http://chatgpt.com/cb',
    'http://evil.example/cb',
    'http://localhost.evil.example/cb',
    'https://evil.example/cb',
    '/relative/path',
    'chatgpt.com/cb',
    'https://chatgpt.com\\@evil.example/cb',
    'https://chatgpt.com/cb\n',
  ];
  for (const uri of refused) {
    it(`item 9: refuses redirect URI ${JSON.stringify(uri)} with invalid_redirect_uri`, async () => {
      const { status, body } = await register({ redirect_uris: [uri], token_endpoint_auth_method: 'none' });
      assert.equal(status, 400);
      assert.equal(body.error, 'invalid_redirect_uri');
    });
  }

  for (const [label, body] of [
    ['not JSON', '{nope'],
    ['no redirect_uris', { token_endpoint_auth_method: 'none' }],
    ['empty redirect_uris', { redirect_uris: [] }],
    ['unknown auth method', { redirect_uris: ['https://chatgpt.com/cb'], token_endpoint_auth_method: 'private_key_jwt' }],
    ['client_credentials grant', { redirect_uris: ['https://chatgpt.com/cb'], grant_types: ['client_credentials'] }],
    ['implicit response type', { redirect_uris: ['https://chatgpt.com/cb'], response_types: ['token'] }],
  ] as const) {
    it(`item 9: a bad body (${label}) is 400 invalid_client_metadata`, async () => {
      const { status, body: answer } = await register(body);
      assert.equal(status, 400);
      assert.equal(answer.error, 'invalid_client_metadata');
    });
  }

  it('item 9: ALLOWED_REDIRECT_HOSTS replaces the default hosts', async () => {
    const custom = await createHarness({ env: { ALLOWED_REDIRECT_HOSTS: 'example.org' } });
    const ok = await register({ redirect_uris: ['https://app.example.org/cb'] }, '10.0.0.2', custom.fetch);
    assert.equal(ok.status, 201);
    const refusedNow = await register({ redirect_uris: ['https://chatgpt.com/cb'] }, '10.0.0.2', custom.fetch);
    assert.equal(refusedNow.status, 400);
  });

  it('item 10: registrations are rate-limited per IP, not globally', async () => {
    const limited = await createHarness({ env: { REGISTER_RATE_LIMIT_PER_HOUR: '3' } });
    const body = { redirect_uris: ['https://chatgpt.com/cb'], token_endpoint_auth_method: 'none' };
    for (let i = 0; i < 3; i += 1) assert.equal((await register(body, '10.1.1.1', limited.fetch)).status, 201);
    const blocked = await register(body, '10.1.1.1', limited.fetch);
    assert.equal(blocked.status, 429);
    assert.ok(blocked.headers.get('Retry-After'));
    assert.equal((await register(body, '10.2.2.2', limited.fetch)).status, 201, 'another IP is unaffected');
    limited.clock.advance(3_600_001);
    assert.equal((await register(body, '10.1.1.1', limited.fetch)).status, 201, 'the window resets after an hour');
  });

  it('oversized bodies are refused before parsing (413)', async () => {
    for (const path of ['/register', '/token', '/revoke', '/signin', '/authorize']) {
      const response = await h.fetch(`${BASE}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `state=${'x'.repeat(70 * 1024)}`,
      });
      assert.equal(response.status, 413, path);
    }
  });
});
