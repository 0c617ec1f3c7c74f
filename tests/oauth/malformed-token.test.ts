import { describe, it } from 'node:test';
import { registerClient } from './flow.ts';
import { BASE, createHarness } from './helpers.ts';
import { assertOAuthError, formOf, rawForm } from './malformed.ts';

const ID_JAG = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const long = (n: number) => 'a'.repeat(n);

const h = await createHarness();
const clientId = (await registerClient(h.fetch)).client_id;

type Pairs = ReadonlyArray<readonly [string, string]>;
/** [what is wrong, form pairs (client_id is added), error code, description]. */
const CASES: ReadonlyArray<readonly [string, Pairs, string, RegExp]> = [
  ['no grant_type', [], 'invalid_request', /^grant_type: is required$/],
  ['an empty grant_type', [['grant_type', '']], 'invalid_request', /^grant_type: is required$/],
  ['grant_type sent as an array (grant_type[])', [['grant_type[]', 'authorization_code']], 'invalid_request', /^grant_type: is required$/],
  [
    'grant_type repeated',
    [
      ['grant_type', 'authorization_code'],
      ['grant_type', 'refresh_token'],
    ],
    'invalid_request',
    /^Parameter grant_type is repeated$/,
  ],
  [
    'code repeated',
    [
      ['grant_type', 'authorization_code'],
      ['code', 'a'],
      ['code', 'b'],
    ],
    'invalid_request',
    /^Parameter code is repeated$/,
  ],
  [
    'the password grant',
    [['grant_type', 'password']],
    'unsupported_grant_type',
    /^grant_type must be authorization_code or refresh_token$/,
  ],
  ['the client_credentials grant', [['grant_type', 'client_credentials']], 'unsupported_grant_type', /^grant_type must be /],
  ['the ID-JAG grant while no issuer is trusted', [['grant_type', ID_JAG]], 'unsupported_grant_type', /^grant_type must be /],
  ['an over-long unknown grant type (not echoed)', [['grant_type', long(5000)]], 'unsupported_grant_type', /^grant_type must be /],
  ['grant_type in another case', [['grant_type', 'Authorization_Code']], 'unsupported_grant_type', /^grant_type must be /],
  ['authorization_code without code', [['grant_type', 'authorization_code']], 'invalid_request', /^code: is required$/],
  [
    'authorization_code with an empty code',
    [
      ['grant_type', 'authorization_code'],
      ['code', ''],
    ],
    'invalid_request',
    /^code: must not be empty$/,
  ],
  [
    'an over-long code',
    [
      ['grant_type', 'authorization_code'],
      ['code', long(513)],
    ],
    'invalid_request',
    /^code: is too long \(at most 512 characters\)$/,
  ],
  [
    'an over-long redirect_uri',
    [
      ['grant_type', 'authorization_code'],
      ['code', 'c'],
      ['redirect_uri', `https://chatgpt.com/${long(2000)}`],
    ],
    'invalid_request',
    /^redirect_uri: is too long \(at most 2000 characters\)$/,
  ],
  [
    'an over-long code_verifier',
    [
      ['grant_type', 'authorization_code'],
      ['code', 'c'],
      ['code_verifier', long(1001)],
    ],
    'invalid_request',
    /^code_verifier: is too long/,
  ],
  ['refresh_token without refresh_token', [['grant_type', 'refresh_token']], 'invalid_request', /^refresh_token: is required$/],
  [
    'an over-long refresh_token',
    [
      ['grant_type', 'refresh_token'],
      ['refresh_token', long(513)],
    ],
    'invalid_request',
    /^refresh_token: is too long/,
  ],
  [
    'an over-long scope',
    [
      ['grant_type', 'refresh_token'],
      ['refresh_token', 'r'],
      ['scope', long(1001)],
    ],
    'invalid_request',
    /^scope: is too long/,
  ],
  [
    'an over-long resource',
    [
      ['grant_type', 'refresh_token'],
      ['refresh_token', 'r'],
      ['resource', long(2001)],
    ],
    'invalid_request',
    /^resource: is too long/,
  ],
  [
    'an over-long client_assertion',
    [
      ['grant_type', 'refresh_token'],
      ['refresh_token', 'r'],
      ['client_assertion', long(16_385)],
    ],
    'invalid_request',
    /^client_assertion: is too long/,
  ],
];

describe('POST /token refuses malformed forms with the RFC 6749 §5.2 error, never a 500', () => {
  for (const [label, pairs, error, description] of CASES) {
    it(`${label} → 400 ${error}`, async () => {
      const response = await h.fetch(`${BASE}/token`, rawForm(formOf([...pairs, ['client_id', clientId]])));
      await assertOAuthError(response, 400, error, description);
    });
  }

  it('an over-long client_id → 400 invalid_request, before any client lookup', async () => {
    const body = formOf([
      ['grant_type', 'refresh_token'],
      ['refresh_token', 'r'],
      ['client_id', `https://client.example.com/${long(2000)}`],
    ]);
    await assertOAuthError(await h.fetch(`${BASE}/token`, rawForm(body)), 400, 'invalid_request', /^client_id: is too long/);
  });

  for (const [label, type, body] of [
    ['a JSON body', 'application/json', JSON.stringify({ grant_type: 'refresh_token', refresh_token: 'r' })],
    [
      'a multipart body',
      'multipart/form-data; boundary=x',
      '--x\r\nContent-Disposition: form-data; name="grant_type"\r\n\r\nrefresh_token\r\n--x--',
    ],
    ['a text body', 'text/plain', 'grant_type=refresh_token'],
  ] as const) {
    it(`${label} → 400 invalid_request naming the form encoding`, async () => {
      const response = await h.fetch(`${BASE}/token`, { method: 'POST', headers: { 'Content-Type': type }, body });
      await assertOAuthError(response, 400, 'invalid_request', /application\/x-www-form-urlencoded/);
    });
  }

  it('with trusted issuers, an ID-JAG grant without assertion → 400 invalid_request naming assertion', async () => {
    const ema = await createHarness({ env: { OAUTH_EMA_TRUSTED_ISSUERS: 'https://idp.example.com', OIDC_ALLOWED_GROUPS: 'sql-readers' } });
    const body = formOf([
      ['grant_type', ID_JAG],
      ['client_id', 'x'],
    ]);
    await assertOAuthError(await ema.fetch(`${BASE}/token`, rawForm(body)), 400, 'invalid_request', /^assertion: is required$/);
    const tooLong = formOf([
      ['grant_type', ID_JAG],
      ['assertion', long(16_385)],
    ]);
    await assertOAuthError(await ema.fetch(`${BASE}/token`, rawForm(tooLong)), 400, 'invalid_request', /^assertion: is too long/);
  });
});

describe('POST /revoke refuses malformed forms with invalid_request naming the field (RFC 7009 §2.2.1)', () => {
  for (const [label, pairs, description] of [
    ['no token', [], /^token: is required$/],
    ['an empty token', [['token', '']], /^token: must not be empty$/],
    [
      'token repeated',
      [
        ['token', 'a'],
        ['token', 'b'],
      ],
      /^Parameter token is repeated$/,
    ],
    ['an over-long token', [['token', long(8193)]], /^token: is too long \(at most 8192 characters\)$/],
    [
      'an over-long token_type_hint',
      [
        ['token', 'a'],
        ['token_type_hint', long(101)],
      ],
      /^token_type_hint: is too long/,
    ],
  ] as const) {
    it(`${label} → 400 invalid_request`, async () => {
      const response = await h.fetch(`${BASE}/revoke`, rawForm(formOf([...pairs, ['client_id', clientId]])));
      await assertOAuthError(response, 400, 'invalid_request', description);
    });
  }
});
