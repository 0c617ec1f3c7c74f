import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rotateSigningKey } from '../../src/oauth/core/keys.ts';
import { exchange, registerClient, tokenRequest } from './flow.ts';
import { BASE, createHarness, formPost } from './helpers.ts';

const status = async (h: Awaited<ReturnType<typeof createHarness>>, token: string) =>
  (await h.fetch(`${BASE}/mcp`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } })).status;

describe('revocation (RFC 7009) and signing keys', () => {
  it('revoking the refresh token kills the grant: refresh and its access tokens stop working', async () => {
    const h = await createHarness();
    const { tokens, client } = await exchange(h);
    const response = await h.fetch(`${BASE}/revoke`, formPost({ token: tokens.refresh_token, client_id: client.client_id }));
    assert.equal(response.status, 200);
    assert.equal(await status(h, tokens.access_token), 401);
    const refresh = await tokenRequest(h.fetch, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: client.client_id,
    });
    assert.equal(refresh.body.error, 'invalid_grant');
    assert.ok(h.logger.lines.some((line) => line.event === 'oauth.revoked' && line.fields.operator === 'ann'));
  });

  it('revoking the access token revokes its grant too', async () => {
    const h = await createHarness();
    const { tokens, client } = await exchange(h);
    assert.equal(
      (
        await h.fetch(
          `${BASE}/revoke`,
          formPost({ token: tokens.access_token, token_type_hint: 'access_token', client_id: client.client_id }),
        )
      ).status,
      200,
    );
    assert.equal(await status(h, tokens.access_token), 401);
  });

  it('another client cannot revoke a token it does not own, and unknown tokens still get 200', async () => {
    const h = await createHarness();
    const { tokens } = await exchange(h);
    const other = await registerClient(h.fetch);
    assert.equal((await h.fetch(`${BASE}/revoke`, formPost({ token: tokens.refresh_token, client_id: other.client_id }))).status, 200);
    assert.equal(await status(h, tokens.access_token), 200, 'still valid');
    assert.equal((await h.fetch(`${BASE}/revoke`, formPost({ token: 'nonsense', client_id: other.client_id }))).status, 200);
  });

  it('revocation needs client authentication', async () => {
    const h = await createHarness();
    const { tokens } = await exchange(h);
    const response = await h.fetch(`${BASE}/revoke`, formPost({ token: tokens.refresh_token }));
    assert.equal(response.status, 401);
    assert.equal(((await response.json()) as { error: string }).error, 'invalid_client');
    assert.equal(await status(h, tokens.access_token), 200);
  });

  it('key rotation: the new key signs, tokens of the old key verify until they expire, then it is dropped', async () => {
    const h = await createHarness({ env: { ACCESS_TOKEN_TTL_SECONDS: '600' } });
    const before = await exchange(h);
    const oldKid = JSON.parse(Buffer.from(before.tokens.access_token.split('.')[0] ?? '', 'base64url').toString()).kid as string;
    const newKid = await rotateSigningKey(h.store, h.clock, 600);
    assert.notEqual(newKid, oldKid);
    const after = await exchange(h);
    const afterKid = JSON.parse(Buffer.from(after.tokens.access_token.split('.')[0] ?? '', 'base64url').toString()).kid as string;
    assert.equal(afterKid, newKid, 'the running server signs with the new key at once');
    assert.equal(await status(h, before.tokens.access_token), 200, 'old token still verifies');
    const jwks = (await (await h.fetch(`${BASE}/jwks.json`)).json()) as { keys: Array<{ kid: string }> };
    assert.deepEqual(jwks.keys.map((key) => key.kid).sort(), [oldKid, newKid].sort());
    h.clock.advance(601_000);
    const refreshed = await tokenRequest(h.fetch, {
      grant_type: 'refresh_token',
      refresh_token: after.tokens.refresh_token,
      client_id: after.client.client_id,
    });
    assert.equal(refreshed.status, 200);
    await rotateSigningKey(h.store, h.clock, 600);
    assert.equal(
      (await h.store.listKeys()).some((key) => key.kid === oldKid),
      false,
      'expired old key pruned',
    );
    assert.equal(await status(h, String(refreshed.body.access_token)), 200, 'tokens of the previous key still verify');
  });
});
