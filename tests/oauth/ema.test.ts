/**
 * Enterprise-managed authorization: /token accepts an Identity Assertion JWT Authorization Grant
 * (ID-JAG) from a trusted IdP, whose metadata and key set are served over real https and fetched
 * through the connector's guarded fetch, and refuses every assertion that is not exactly for this
 * server, this client, once, from a trusted issuer, for an approved person.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { decodeJwt, SignJWT } from 'jose';
import { clientKey, outboundFor, startClientHost, type ClientHost, type ClientKey } from './client-host.ts';
import { registerClient, tokenRequest } from './flow.ts';
import { BASE, createHarness, type Harness } from './helpers.ts';

const ID_JAG_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
let host: ClientHost;
let issuer: string;
let idpKey: ClientKey;

const harness = (env: Record<string, string> = {}) =>
  createHarness({ outbound: outboundFor(host), env: { OAUTH_EMA_TRUSTED_ISSUERS: issuer, OIDC_ALLOWED_GROUPS: 'sql-readers', ...env } });

async function confidentialClient(h: Harness) {
  const client = await registerClient(h.fetch, {
    token_endpoint_auth_method: 'client_secret_post',
    grant_types: ['authorization_code', 'refresh_token', ID_JAG_GRANT],
  });
  return { clientId: client.client_id, secret: String(client.client_secret) };
}

/** An ID-JAG as the company IdP issues it after a token exchange; `change` edits claims or header. */
async function idJag(h: Harness, clientId: string, change: { claims?: Record<string, unknown>; typ?: string; key?: ClientKey } = {}) {
  const now = Math.floor(h.clock.now() / 1000);
  const key = change.key ?? idpKey;
  return new SignJWT({
    iss: issuer,
    sub: 'u-42',
    aud: BASE,
    client_id: clientId,
    jti: randomUUID(),
    iat: now,
    exp: now + 300,
    resource: `${BASE}/mcp`,
    scope: 'mssql:read',
    email: 'gina@corp.example',
    email_verified: true,
    groups: ['sql-readers'],
    ...change.claims,
  })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: change.typ ?? 'oauth-id-jag+jwt' })
    .sign(key.privateKey);
}

const present = (h: Harness, client: { clientId: string; secret: string }, assertion: string, extra: Record<string, string> = {}) =>
  tokenRequest(h.fetch, { grant_type: ID_JAG_GRANT, assertion, client_id: client.clientId, client_secret: client.secret, ...extra });

describe('enterprise-managed authorization (ID-JAG at /token)', () => {
  before(async () => {
    host = await startClientHost();
    issuer = host.url('');
    idpKey = await clientKey('RS256');
    host.json('/.well-known/openid-configuration', { issuer, jwks_uri: host.url('/jwks') });
    host.json('/jwks', { keys: [idpKey.publicJwk] });
  });
  after(() => host.close());

  it('is advertised in grant_types_supported only when OAUTH_EMA_TRUSTED_ISSUERS is set', async () => {
    const on = await (await (await harness()).fetch(`${BASE}/.well-known/oauth-authorization-server`)).json();
    assert.ok((on as { grant_types_supported: string[] }).grant_types_supported.includes(ID_JAG_GRANT));
    const off = await (await (await createHarness()).fetch(`${BASE}/.well-known/oauth-authorization-server`)).json();
    assert.ok(!(off as { grant_types_supported: string[] }).grant_types_supported.includes(ID_JAG_GRANT));
  });

  it('a valid ID-JAG gets an access token for the person, without a consent page and without a refresh token', async () => {
    const h = await harness();
    const client = await confidentialClient(h);
    const token = await present(h, client, await idJag(h, client.clientId));
    assert.equal(token.status, 200, JSON.stringify(token.body));
    assert.equal(token.body.refresh_token, undefined);
    assert.equal(token.body.scope, 'mssql:read');
    const access = String(token.body.access_token);
    assert.equal(decodeJwt(access).sub, `${issuer}#u-42`);
    const call = await h.fetch(`${BASE}/mcp`, { headers: { Authorization: `Bearer ${access}` } });
    assert.equal(call.status, 200);
    const { principal } = (await call.json()) as { principal: Record<string, unknown> };
    assert.equal(principal.email, 'gina@corp.example');
    assert.deepEqual(principal.groups, ['sql-readers']);
    assert.equal(principal.clientId, client.clientId);
  });

  it('the same ID-JAG presented twice is refused the second time (jti single use)', async () => {
    const h = await harness();
    const client = await confidentialClient(h);
    const assertion = await idJag(h, client.clientId);
    assert.equal((await present(h, client, assertion)).status, 200);
    const again = await present(h, client, assertion);
    assert.equal(again.status, 400);
    assert.equal(again.body.error, 'invalid_grant');
    assert.match(String(again.body.error_description), /jti/);
  });

  const refusals: Array<[string, (h: Harness, clientId: string) => Promise<string>, string, RegExp]> = [
    ['an untrusted issuer', (h, id) => idJag(h, id, { claims: { iss: host.url('', 'other.test') } }), 'invalid_grant', /not trusted/],
    ['another audience', (h, id) => idJag(h, id, { claims: { aud: 'https://other.example/chatgpt' } }), 'invalid_grant', /aud/],
    ['another client_id', (h) => idJag(h, 'someone-else'), 'invalid_grant', /client_id/],
    ['typ JWT instead of oauth-id-jag+jwt', (h, id) => idJag(h, id, { typ: 'JWT' }), 'invalid_grant', /typ/],
    [
      'an expired assertion',
      (h, id) => idJag(h, id, { claims: { exp: Math.floor(h.clock.now() / 1000) - 120 } }),
      'invalid_grant',
      /expired/,
    ],
    [
      'a key the issuer does not publish',
      async (h, id) => idJag(h, id, { key: await clientKey('RS256') }),
      'invalid_grant',
      /signature or key/,
    ],
    [
      'a person outside the allowed groups',
      (h, id) => idJag(h, id, { claims: { groups: ['marketing'], email: 'x@else.example' } }),
      'invalid_grant',
      /not approved/,
    ],
    [
      'an unverified address as the only rule',
      (h, id) => idJag(h, id, { claims: { groups: [], email_verified: false } }),
      'invalid_grant',
      /not approved/,
    ],
    [
      'a resource of another server',
      (h, id) => idJag(h, id, { claims: { resource: 'https://other.example/mcp' } }),
      'invalid_target',
      /resource/,
    ],
  ];
  for (const [label, make, error, description] of refusals) {
    it(`refuses ${label} with ${error}`, async () => {
      const h = await harness({ OIDC_ALLOWED_EMAIL_DOMAINS: 'corp.example' });
      const client = await confidentialClient(h);
      const token = await present(h, client, await make(h, client.clientId));
      assert.equal(token.status, 400, JSON.stringify(token.body));
      assert.equal(token.body.error, error);
      assert.match(String(token.body.error_description), description);
      assert.equal(token.body.access_token, undefined);
    });
  }

  it('refuses a public client (the draft: confidential clients only)', async () => {
    const h = await harness();
    const client = await registerClient(h.fetch, { grant_types: ['authorization_code', ID_JAG_GRANT] });
    const token = await tokenRequest(h.fetch, {
      grant_type: ID_JAG_GRANT,
      assertion: await idJag(h, client.client_id),
      client_id: client.client_id,
    });
    assert.equal(token.status, 400);
    assert.equal(token.body.error, 'unauthorized_client');
  });

  it('is an unsupported grant type when no issuer is trusted', async () => {
    const h = await createHarness();
    const client = await confidentialClient(h);
    const token = await present(h, client, await idJag(h, client.clientId));
    assert.equal(token.body.error, 'unsupported_grant_type');
  });
});
