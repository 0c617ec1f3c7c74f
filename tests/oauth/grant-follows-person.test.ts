/**
 * The grant follows the person who signed in at the company IdP: a refresh asks the identity seam
 * again under the configuration of that moment, the IdP's group changes count from the next sign-in,
 * and OAUTH_MAX_GRANT_DAYS ends a grant however often it is refreshed. Also: how the sign-in page
 * presents the choice, and password sign-in switched off when AUTH_USERS is empty.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import { idpEnv, startCompanyIdp, type CompanyIdp } from './company-idp.ts';
import { tokenRequest } from './flow.ts';
import { BASE, createHarness, formPost, ORIGIN, steppingClock, type Harness } from './helpers.ts';
import { connect, deliver, splitFetch, toIdpAndBack } from './oidc-flow.ts';
import { createMemoryStore } from '../../src/oauth/core/store-memory.ts';

let idp: CompanyIdp;

const env = (extra: Record<string, string> = {}) => idpEnv(idp, extra);

const refresh = (h: Harness, clientId: string, refreshToken: string) =>
  tokenRequest(h.fetch, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId });

const callMcp = (h: Harness, accessToken: string) => h.fetch(`${BASE}/mcp`, { headers: { Authorization: `Bearer ${accessToken}` } });

describe('the grant follows the person', () => {
  before(async () => {
    idp = await startCompanyIdp({
      redirectUris: [`${BASE}/signin/oidc/callback`],
      people: {
        alice: { email: 'alice@corp.example', groups: ['sql-readers'] },
        frank: { email: 'frank@corp.example', groups: ['sql-readers'] },
      },
    });
  });
  after(() => idp.close());

  it('a group removed from OIDC_ALLOWED_GROUPS ends the grant at the next refresh and the access token at the next call', async () => {
    const store = createMemoryStore();
    const clock = steppingClock(Date.now());
    const first = await createHarness({ store, clock, env: env() });
    const { client, tokens } = await connect(first, 'alice');
    const renewed = await refresh(first, client.client_id, tokens.refresh_token);
    assert.equal(renewed.status, 200, 'still allowed: the refresh works');

    const restarted = await createHarness({ store, clock, env: env({ OIDC_ALLOWED_GROUPS: 'dba' }) });
    const refused = await refresh(restarted, client.client_id, String(renewed.body.refresh_token));
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error, 'invalid_grant');
    assert.match(String(refused.body.error_description), /not approved/);
    assert.equal((await callMcp(restarted, String(renewed.body.access_token))).status, 401);
  });

  it('a group change at the IdP counts from the next sign-in: the stored claims keep the grant until then', async () => {
    const h = await createHarness({ clock: steppingClock(Date.now()), env: env() });
    const { client, tokens } = await connect(h, 'frank');
    idp.people.set('frank', { email: 'frank@corp.example', groups: ['marketing'] });
    assert.equal((await refresh(h, client.client_id, tokens.refresh_token)).status, 200);
    const again = await toIdpAndBack(splitFetch(ORIGIN, h.fetch), client.client_id, 'frank');
    assert.equal((await deliver(again)).status, 403, 'the new sign-in carries the new groups');
  });

  it('OAUTH_MAX_GRANT_DAYS ends a grant that is refreshed every day', async () => {
    const clock = steppingClock(Date.now());
    const h = await createHarness({ clock, env: env({ OAUTH_MAX_GRANT_DAYS: '2', REFRESH_TOKEN_TTL_DAYS: '30' }) });
    const { client, tokens } = await connect(h, 'alice');
    let current = tokens.refresh_token;
    clock.advance(86_400_000);
    const day1 = await refresh(h, client.client_id, current);
    assert.equal(day1.status, 200);
    current = String(day1.body.refresh_token);
    clock.advance(86_400_000 + 60_000);
    const day2 = await refresh(h, client.client_id, current);
    assert.equal(day2.status, 400);
    assert.equal(day2.body.error, 'invalid_grant');
  });

  it('with local accounts and the IdP, the sign-in page offers both, the company account first', async () => {
    const h = await createHarness({ env: env() });
    const page = await (await h.fetch(`${BASE}/signin?return_to=${encodeURIComponent('/authorize?client_id=x')}`)).text();
    assert.match(page, /Sign in with Corp SSO/);
    assert.match(page, /operator account of this connector/);
    assert.ok(page.indexOf('Sign in with Corp SSO') < page.indexOf('name="password"'));
  });

  it('with AUTH_USERS empty, the sign-in page goes straight to the IdP and password posts are refused', async () => {
    const h = await createHarness({ env: env({ AUTH_USERS: '' }) });
    const response = await h.fetch(`${BASE}/signin?return_to=${encodeURIComponent('/authorize?client_id=x')}`);
    assert.equal(response.status, 302);
    assert.equal(response.headers.get('Location'), `${BASE}/signin/oidc?return_to=${encodeURIComponent('/authorize?client_id=x')}`);
    const post = await h.fetch(`${BASE}/signin`, formPost({ username: 'ann', password: 'x', csrf: 'x' }));
    assert.equal(post.status, 404);
  });
});

describe('reaching the company IdP: client authentication and availability', () => {
  for (const format of ['PKCS#8 PEM', 'private JWK'] as const) {
    it(`private_key_jwt with OIDC_CLIENT_PRIVATE_KEY_FILE (${format}) signs the person in`, async () => {
      const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
      const publicJwk = { ...(await exportJWK(publicKey)), kid: 'connector-key', alg: 'ES256', use: 'sig' };
      const file = join(mkdtempSync(join(tmpdir(), 'oidc-key-')), 'key');
      writeFileSync(
        file,
        format === 'PKCS#8 PEM'
          ? await exportPKCS8(privateKey)
          : JSON.stringify({ ...(await exportJWK(privateKey)), kid: 'connector-key', alg: 'ES256' }),
      );
      const keyIdp = await startCompanyIdp({
        redirectUris: [`${BASE}/signin/oidc/callback`],
        people: { alice: { email: 'alice@corp.example', groups: ['sql-readers'] } },
        clientJwks: { keys: [publicJwk] },
      });
      try {
        const h = await createHarness({
          clock: steppingClock(Date.now()),
          env: { ...idpEnv(keyIdp), OIDC_CLIENT_SECRET: '', OIDC_CLIENT_PRIVATE_KEY_FILE: file },
        });
        const { tokens } = await connect(h, 'alice');
        assert.equal((await callMcp(h, tokens.access_token)).status, 200);
      } finally {
        await keyIdp.close();
      }
    });
  }

  it('an IdP that cannot be reached gives a "sign-in unavailable" page', async () => {
    const h = await createHarness({ env: { ...idpEnv(idp), OIDC_ISSUER: 'http://127.0.0.1:1' } });
    const response = await h.fetch(`${BASE}/signin/oidc?return_to=${encodeURIComponent('/authorize?client_id=x')}`);
    assert.equal(response.status, 503);
    assert.match(await response.text(), /cannot be reached/);
    assert.ok(h.logger.lines.some((line) => line.event === 'oauth.oidc_unavailable'));
  });

  it('an unreadable OIDC_CLIENT_PRIVATE_KEY_FILE stops startup with a message naming it', async () => {
    await assert.rejects(
      createHarness({ env: { ...idpEnv(idp), OIDC_CLIENT_SECRET: '', OIDC_CLIENT_PRIVATE_KEY_FILE: '/nonexistent/key.pem' } }),
      /OIDC_CLIENT_PRIVATE_KEY_FILE cannot be read \(ENOENT\)/,
    );
  });
});
