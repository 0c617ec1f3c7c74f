/**
 * `private_key_jwt` client authentication (checklist items 47, 48; RFC 7523 §2.2 and §3) at the
 * token and revocation endpoints, for a ChatGPT-like metadata-document client whose key set is
 * served by a real HTTPS server, and for a registered client with inline keys. Assertions are
 * signed with the test's own keys (jose); every attack is 401 `invalid_client`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { createSqliteStore } from '../../src/oauth/core/store-sqlite.ts';
import {
  chatgptDocument,
  clientAssertion,
  clientKey,
  outboundFor,
  startClientHost,
  type ClientHost,
  type ClientKey,
} from './client-host.ts';
import { codeFor, registerClient, tokenRequest } from './flow.ts';
import { BASE, createHarness, formPost, type Harness } from './helpers.ts';

const REDIRECT = 'https://chatgpt.com/connector/oauth/c-123';
const TOKEN_ENDPOINT = `${BASE}/token`;
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

let host: ClientHost;
let keyA: ClientKey;
let keyB: ClientKey;
let chatgpt: string;
let other: string;

before(async () => {
  host = await startClientHost();
  [keyA, keyB] = await Promise.all([clientKey('RS256'), clientKey('ES256')]);
  chatgpt = host.url('/oauth/c-123/client.json');
  other = host.url('/oauth/other/client.json');
  host.json('/oauth/c-123/client.json', chatgptDocument(chatgpt, host.url('/oauth/jwks-a.json'), REDIRECT));
  host.json('/oauth/other/client.json', chatgptDocument(other, host.url('/oauth/jwks-b.json'), REDIRECT));
  host.json('/oauth/jwks-a.json', { keys: [keyA.publicJwk] });
  host.json('/oauth/jwks-b.json', { keys: [keyB.publicJwk] });
});
after(() => host.close());

const harness = (options: Parameters<typeof createHarness>[0] = {}) => createHarness({ outbound: outboundFor(host), ...options });

/** A code for `clientId` and the exchange body, minus client authentication. */
async function codeExchange(h: Harness, clientId = chatgpt) {
  const { code, pkce } = await codeFor(h.fetch, clientId, REDIRECT);
  return { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: pkce.verifier, client_id: clientId };
}

const withAssertion = (body: Record<string, string>, assertion: string) => ({
  ...body,
  client_assertion_type: ASSERTION_TYPE,
  client_assertion: assertion,
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('private_key_jwt client authentication (checklist items 47, 48)', () => {
  it("item 47: ChatGPT's flow: the code exchange and a refresh authenticate with assertions (aud = token endpoint or issuer)", async () => {
    const h = await harness();
    const exchange = await codeExchange(h);
    const tokens = await tokenRequest(
      h.fetch,
      withAssertion(exchange, await clientAssertion(keyA, chatgpt, TOKEN_ENDPOINT, h.clock.now())),
    );
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    const refreshed = await tokenRequest(
      h.fetch,
      withAssertion(
        { grant_type: 'refresh_token', refresh_token: String(tokens.body.refresh_token) },
        await clientAssertion(keyA, chatgpt, BASE, h.clock.now()),
      ),
    );
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    const issued = h.logger.lines
      .filter((line) => line.event === 'oauth.token_issued')
      .map((line) => [line.fields.registration, line.fields.auth_method]);
    assert.deepEqual(issued, [
      ['cimd', 'private_key_jwt'],
      ['cimd', 'private_key_jwt'],
    ]);
    assert.equal(host.hits.filter((hit) => hit === '/oauth/jwks-a.json').length >= 1, true);
  });

  it('item 48: a client that declared only private_key_jwt cannot authenticate with client_id alone', async () => {
    const h = await harness();
    const response = await tokenRequest(h.fetch, await codeExchange(h));
    assert.equal(response.status, 401);
    assert.equal(response.body.error, 'invalid_client');
  });

  it('item 47: a document that also lists none in token_endpoint_auth_methods_supported may use either', async () => {
    const h = await harness();
    const id = host.url('/oauth/both/client.json');
    host.json('/oauth/both/client.json', {
      ...chatgptDocument(id, host.url('/oauth/jwks-a.json'), REDIRECT),
      token_endpoint_auth_methods_supported: ['none', 'private_key_jwt'],
    });
    const plain = await tokenRequest(h.fetch, await codeExchange(h, id));
    assert.equal(plain.status, 200, JSON.stringify(plain.body));
    const signed = await tokenRequest(
      h.fetch,
      withAssertion(await codeExchange(h, id), await clientAssertion(keyA, id, BASE, h.clock.now())),
    );
    assert.equal(signed.status, 200, JSON.stringify(signed.body));
  });

  const attacks: Array<[string, (now: number) => Promise<string>]> = [
    ['a wrong aud', (now) => clientAssertion(keyA, chatgpt, 'https://elsewhere.example/token', now)],
    ['an expired assertion', (now) => clientAssertion(keyA, chatgpt, TOKEN_ENDPOINT, now, { exp: Math.floor(now / 1000) - 120 })],
    ['exp more than 5 minutes ahead', (now) => clientAssertion(keyA, chatgpt, TOKEN_ENDPOINT, now, { exp: Math.floor(now / 1000) + 3600 })],
    ['iss naming another client', (now) => clientAssertion(keyA, chatgpt, TOKEN_ENDPOINT, now, { iss: other })],
    ["a key from another client's JWKS", (now) => clientAssertion({ ...keyB, kid: keyB.kid }, chatgpt, TOKEN_ENDPOINT, now)],
    [
      "another client's key under our kid",
      (now) => clientAssertion({ ...keyB, kid: keyA.kid, alg: 'ES256' }, chatgpt, TOKEN_ENDPOINT, now),
    ],
    [
      'alg none',
      async (now) => {
        const s = Math.floor(now / 1000);
        return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: chatgpt, sub: chatgpt, aud: TOKEN_ENDPOINT, exp: s + 60, iat: s, jti: 'none-1' })}.`;
      },
    ],
    [
      'HS256 signed with the public key',
      async (now) => {
        const secret = new TextEncoder().encode(JSON.stringify(keyA.publicJwk));
        const s = Math.floor(now / 1000);
        return new SignJWT({ jti: 'hs-1' })
          .setProtectedHeader({ alg: 'HS256', kid: keyA.kid })
          .setIssuer(chatgpt)
          .setSubject(chatgpt)
          .setAudience(TOKEN_ENDPOINT)
          .setIssuedAt(s)
          .setExpirationTime(s + 60)
          .sign(secret);
      },
    ],
    [
      'no jti',
      async (now) => {
        const s = Math.floor(now / 1000);
        return new SignJWT({})
          .setProtectedHeader({ alg: 'RS256', kid: keyA.kid })
          .setIssuer(chatgpt)
          .setSubject(chatgpt)
          .setAudience(TOKEN_ENDPOINT)
          .setIssuedAt(s)
          .setExpirationTime(s + 60)
          .sign(keyA.privateKey);
      },
    ],
    [
      'a tampered payload',
      async (now) => {
        const [header, , signature] = (await clientAssertion(keyA, chatgpt, TOKEN_ENDPOINT, now)).split('.');
        return `${header}.${b64({ iss: chatgpt, sub: chatgpt, aud: TOKEN_ENDPOINT, exp: Math.floor(now / 1000) + 60, jti: 'x' })}.${signature}`;
      },
    ],
  ];

  for (const [label, make] of attacks) {
    it(`item 48: refuses ${label} with 401 invalid_client, and the code stays usable`, async () => {
      const h = await harness();
      const exchange = await codeExchange(h);
      const refused = await tokenRequest(h.fetch, withAssertion(exchange, await make(h.clock.now())));
      assert.equal(refused.status, 401, JSON.stringify(refused.body));
      assert.equal(refused.body.error, 'invalid_client');
      const good = await tokenRequest(
        h.fetch,
        withAssertion(exchange, await clientAssertion(keyA, chatgpt, TOKEN_ENDPOINT, h.clock.now())),
      );
      assert.equal(good.status, 200, 'client authentication failed before the code was consumed');
    });
  }

  it('item 48: a replayed assertion (same jti) is refused, also after a restart on the same store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jti-'));
    try {
      const first = await harness({ store: createSqliteStore(dir) });
      const assertion = await clientAssertion(keyA, chatgpt, TOKEN_ENDPOINT, first.clock.now(), { jti: 'once-only' });
      assert.equal((await tokenRequest(first.fetch, withAssertion(await codeExchange(first), assertion))).status, 200);
      const again = await tokenRequest(first.fetch, withAssertion(await codeExchange(first), assertion));
      assert.equal(again.status, 401);
      assert.match(String(again.body.error_description), /jti was already used/);
      await first.store.close();

      const restarted = await harness({ store: createSqliteStore(dir), clock: first.clock });
      const replay = await tokenRequest(restarted.fetch, withAssertion(await codeExchange(restarted), assertion));
      assert.equal(replay.status, 401);
      assert.match(String(replay.body.error_description), /jti was already used/);
      restarted.clock.advance(10 * 60_000);
      await restarted.store.purge(restarted.clock.now());
      const fresh = await clientAssertion(keyA, chatgpt, TOKEN_ENDPOINT, restarted.clock.now(), { jti: 'once-only' });
      assert.equal(
        (await tokenRequest(restarted.fetch, withAssertion(await codeExchange(restarted), fresh))).status,
        200,
        'markers end with the assertion',
      );
      await restarted.store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('item 48: a jwks_uri on a private address is refused and not fetched', async () => {
    const h = await harness();
    const id = host.url('/oauth/private-keys/client.json');
    host.json('/oauth/private-keys/client.json', chatgptDocument(id, host.url('/oauth/jwks-a.json', 'private.test'), REDIRECT));
    const response = await tokenRequest(
      h.fetch,
      withAssertion(await codeExchange(h, id), await clientAssertion(keyA, id, BASE, h.clock.now())),
    );
    assert.equal(response.status, 401);
    assert.equal(response.body.error, 'invalid_client');
    assert.equal(h.logger.lines.find((line) => line.event === 'oauth.jwks_refused')?.fields.code, 'forbidden_address');
  });

  it('item 48: an unknown kid refetches the key set once (rotation), at most every 30 s', async () => {
    const h = await harness();
    const id = host.url('/oauth/rotating/client.json');
    host.json('/oauth/rotating/client.json', chatgptDocument(id, host.url('/oauth/jwks-rotating.json'), REDIRECT));
    host.json('/oauth/jwks-rotating.json', { keys: [keyA.publicJwk] });
    const fetches = () => host.hits.filter((hit) => hit === '/oauth/jwks-rotating.json').length;
    assert.equal(
      (await tokenRequest(h.fetch, withAssertion(await codeExchange(h, id), await clientAssertion(keyA, id, BASE, h.clock.now())))).status,
      200,
    );
    const rotated = await clientKey('PS256');
    host.json('/oauth/jwks-rotating.json', { keys: [keyA.publicJwk, rotated.publicJwk] });
    const early = await tokenRequest(
      h.fetch,
      withAssertion(await codeExchange(h, id), await clientAssertion(rotated, id, BASE, h.clock.now())),
    );
    assert.equal(early.status, 401, 'within the cooldown the cached set answers');
    assert.equal(fetches(), 1);
    h.clock.advance(31_000);
    const late = await tokenRequest(
      h.fetch,
      withAssertion(await codeExchange(h, id), await clientAssertion(rotated, id, BASE, h.clock.now())),
    );
    assert.equal(late.status, 200, JSON.stringify(late.body));
    assert.equal(fetches(), 2);
  });

  it('item 48: a registered (RFC 7591) client with inline jwks signs at /token and /revoke', async () => {
    const h = await harness();
    const key = await clientKey('ES256');
    const client = await registerClient(h.fetch, {
      redirect_uris: [REDIRECT],
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [key.publicJwk] },
    });
    const tokens = await tokenRequest(
      h.fetch,
      withAssertion(await codeExchange(h, client.client_id), await clientAssertion(key, client.client_id, TOKEN_ENDPOINT, h.clock.now())),
    );
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    const unsigned = await h.fetch(`${BASE}/revoke`, formPost({ token: String(tokens.body.refresh_token), client_id: client.client_id }));
    assert.equal(unsigned.status, 401);
    const revoke = await h.fetch(
      `${BASE}/revoke`,
      formPost(
        withAssertion(
          { token: String(tokens.body.refresh_token) },
          await clientAssertion(key, client.client_id, `${BASE}/revoke`, h.clock.now()),
        ),
      ),
    );
    assert.equal(revoke.status, 200);
    const after = await tokenRequest(
      h.fetch,
      withAssertion(
        { grant_type: 'refresh_token', refresh_token: String(tokens.body.refresh_token) },
        await clientAssertion(key, client.client_id, TOKEN_ENDPOINT, h.clock.now()),
      ),
    );
    assert.equal(after.body.error, 'invalid_grant', 'the revoked grant is gone');
  });

  it('item 48: an assertion with a mismatching client_id, or mixed with a secret or Basic, is refused', async () => {
    const h = await harness();
    const exchange = await codeExchange(h);
    const assertion = await clientAssertion(keyA, chatgpt, TOKEN_ENDPOINT, h.clock.now());
    const mismatch = await tokenRequest(h.fetch, withAssertion({ ...exchange, client_id: other }, assertion));
    assert.equal(mismatch.body.error, 'invalid_client');
    const mixed = await tokenRequest(h.fetch, withAssertion({ ...exchange, client_secret: 's' }, assertion));
    assert.equal(mixed.body.error, 'invalid_request');
    const wrongType = await tokenRequest(h.fetch, { ...exchange, client_assertion_type: 'urn:other', client_assertion: assertion });
    assert.equal(wrongType.body.error, 'invalid_client');
  });
});
