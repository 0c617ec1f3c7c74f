import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { BASE, createHarness, type Harness } from './helpers.ts';
import { assertOAuthError } from './malformed.ts';

const REDIRECT = 'https://chatgpt.com/connector_platform_oauth_redirect';
const valid = { redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none', client_name: 'ChatGPT' };
const json = (change: Record<string, unknown>) => JSON.stringify({ ...valid, ...change });
const long = (n: number) => 'a'.repeat(n);
const publicKey = {
  kty: 'EC',
  crv: 'P-256',
  x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
  y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
};

/** [what is wrong, the raw JSON text, error code, description]. RFC 7591 §3.2.2. */
const CASES: ReadonlyArray<readonly [string, string, string, RegExp]> = [
  ['a body that is not JSON', '{"redirect_uris": [', 'invalid_client_metadata', /^The body is not valid JSON$/],
  ['an empty body', '', 'invalid_client_metadata', /^The body is not valid JSON$/],
  ['a JSON array', JSON.stringify([valid]), 'invalid_client_metadata', /^The body must be a JSON object$/],
  ['JSON null', 'null', 'invalid_client_metadata', /^The body must be a JSON object$/],
  ['a JSON string', '"redirect_uris"', 'invalid_client_metadata', /^The body must be a JSON object$/],
  [
    'no redirect_uris',
    json({ redirect_uris: undefined }),
    'invalid_client_metadata',
    /^Invalid client metadata: redirect_uris: is required$/,
  ],
  [
    'redirect_uris as a string',
    json({ redirect_uris: REDIRECT }),
    'invalid_client_metadata',
    /^Invalid client metadata: redirect_uris: .*array/,
  ],
  [
    'redirect_uris holding a number',
    json({ redirect_uris: [42] }),
    'invalid_client_metadata',
    /^Invalid client metadata: redirect_uris\.0: .*string/,
  ],
  ['an empty redirect_uris', json({ redirect_uris: [] }), 'invalid_client_metadata', /^Invalid client metadata: redirect_uris: /],
  [
    'eleven redirect_uris',
    json({ redirect_uris: Array(11).fill(REDIRECT) }),
    'invalid_client_metadata',
    /^Invalid client metadata: redirect_uris: /,
  ],
  [
    'an over-long redirect URI',
    json({ redirect_uris: [`${REDIRECT}/${long(2000)}`] }),
    'invalid_client_metadata',
    /^Invalid client metadata: redirect_uris\.0: /,
  ],
  ['a redirect URI on a host not allowed', json({ redirect_uris: ['https://evil.example/cb'] }), 'invalid_redirect_uri', /^Redirect URI /],
  ['client_name as a number', json({ client_name: 7 }), 'invalid_client_metadata', /^Invalid client metadata: client_name: .*string/],
  ['client_name as an array', json({ client_name: ['a', 'b'] }), 'invalid_client_metadata', /^Invalid client metadata: client_name: /],
  ['an over-long client_name', json({ client_name: long(201) }), 'invalid_client_metadata', /^Invalid client metadata: client_name: /],
  [
    'an unknown auth method',
    json({ token_endpoint_auth_method: 'client_secret_jwt' }),
    'invalid_client_metadata',
    /^Invalid client metadata: token_endpoint_auth_method: /,
  ],
  ['the password grant type', json({ grant_types: ['password'] }), 'invalid_client_metadata', /^Invalid client metadata: grant_types\.0: /],
  [
    'grant_types as a string',
    json({ grant_types: 'authorization_code' }),
    'invalid_client_metadata',
    /^Invalid client metadata: grant_types: /,
  ],
  ['response_types token', json({ response_types: ['token'] }), 'invalid_client_metadata', /^Invalid client metadata: response_types\.0: /],
  ['scope as an array', json({ scope: ['mssql:read'] }), 'invalid_client_metadata', /^Invalid client metadata: scope: /],
  ['an over-long scope', json({ scope: long(1001) }), 'invalid_client_metadata', /^Invalid client metadata: scope: /],
  [
    'application_type desktop',
    json({ application_type: 'desktop' }),
    'invalid_client_metadata',
    /^Invalid client metadata: application_type: /,
  ],
  [
    'an http jwks_uri',
    json({ token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'http://keys.example/jwks' }),
    'invalid_client_metadata',
    /^Invalid client metadata: jwks_uri: must be an https URL$/,
  ],
  [
    'a private key in jwks',
    json({ token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [{ ...publicKey, d: 'secret' }] } }),
    'invalid_client_metadata',
    /^Invalid client metadata: jwks: must hold public keys only$/,
  ],
  [
    'private_key_jwt without keys',
    json({ token_endpoint_auth_method: 'private_key_jwt' }),
    'invalid_client_metadata',
    /needs exactly one of jwks_uri and jwks/,
  ],
  [
    'redirect_uris repeated',
    `{"redirect_uris":["${REDIRECT}"],"token_endpoint_auth_method":"none","redirect_uris":["https://evil.example/cb"]}`,
    'invalid_client_metadata',
    /^Member "redirect_uris" is repeated$/,
  ],
  [
    'a member repeated under another spelling (\\u escape)',
    `{"redirect_uris":["${REDIRECT}"],"client_name":"A","client_n\\u0061me":"B"}`,
    'invalid_client_metadata',
    /^Member "client_name" is repeated$/,
  ],
  [
    'a member repeated inside a key of jwks',
    JSON.stringify({ ...valid, token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [publicKey] } }).replace(
      '"crv":"P-256"',
      '"crv":"P-256","crv":"P-384"',
    ),
    'invalid_client_metadata',
    /^Member "crv" is repeated$/,
  ],
];

describe('POST /register refuses malformed client metadata with the RFC 7591 §3.2.2 error, never a 500', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness({ env: { REGISTER_RATE_LIMIT_PER_HOUR: '1000' } });
  });

  for (const [label, body, error, description] of CASES) {
    it(`${label} → 400 ${error}`, async () => {
      const response = await h.fetch(`${BASE}/register`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      await assertOAuthError(response, 400, error, description);
    });
  }

  it('nothing malformed was registered, and the valid body still is', async () => {
    assert.equal((await h.store.listClients()).length, 0);
    const response = await h.fetch(`${BASE}/register`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: json({}) });
    assert.equal(response.status, 201, await response.clone().text());
    assert.equal((await h.store.listClients()).length, 1);
  });
});
