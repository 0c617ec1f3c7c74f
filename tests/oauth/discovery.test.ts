import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BASE, createHarness, ORIGIN } from './helpers.ts';

const h = await createHarness();
const getJson = async (path: string, method = 'GET') => {
  const response = await h.fetch(`${ORIGIN}${path}`, { method });
  const text = await response.text();
  return { response, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
};

describe('discovery (checklist items 1-7, 36)', () => {
  for (const [path, resource] of [
    ['/.well-known/oauth-protected-resource/chatgpt/mcp', `${BASE}/mcp`],
    ['/.well-known/oauth-protected-resource/chatgpt/sse', `${BASE}/sse`],
  ]) {
    it(`item 1: ${path} names the resource it was derived from`, async () => {
      const { response, body } = await getJson(path as string);
      assert.equal(response.status, 200);
      assert.equal(body?.resource, resource);
      assert.deepEqual(body?.authorization_servers, [BASE]);
      assert.deepEqual(body?.bearer_methods_supported, ['header']);
      assert.ok(Array.isArray(body?.scopes_supported) && (body.scopes_supported as string[]).length > 0);
    });
  }

  it('item 2: root protected resource metadata is a same-origin path prefix of the MCP URL', async () => {
    for (const path of ['/.well-known/oauth-protected-resource', '/chatgpt/.well-known/oauth-protected-resource']) {
      const { response, body } = await getJson(path);
      assert.equal(response.status, 200, path);
      const resource = String(body?.resource);
      assert.ok(`${BASE}/mcp`.startsWith(resource), `${resource} prefixes the MCP URL`);
      assert.equal(new URL(resource).origin, ORIGIN);
    }
  });

  it('item 3: path-inserted AS metadata has the exact issuer, absolute endpoints and S256', async () => {
    const { response, body } = await getJson('/.well-known/oauth-authorization-server/chatgpt');
    assert.equal(response.status, 200);
    assert.equal(body?.issuer, BASE);
    assert.equal(body?.authorization_endpoint, `${BASE}/authorize`);
    assert.equal(body?.token_endpoint, `${BASE}/token`);
    assert.equal(body?.registration_endpoint, `${BASE}/register`);
    assert.equal(body?.revocation_endpoint, `${BASE}/revoke`);
    assert.equal(body?.jwks_uri, `${BASE}/jwks.json`);
    assert.deepEqual(body?.response_types_supported, ['code']);
    assert.deepEqual(body?.grant_types_supported, ['authorization_code', 'refresh_token']);
    assert.deepEqual(body?.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(body?.token_endpoint_auth_methods_supported, ['none', 'client_secret_post', 'client_secret_basic', 'private_key_jwt']);
    assert.equal(body?.authorization_response_iss_parameter_supported, true);
  });

  it('items 46, 48, 50: CIMD, private_key_jwt with exactly the accepted algorithms, and RFC 9207 iss are advertised', async () => {
    const { body } = await getJson('/.well-known/oauth-authorization-server/chatgpt');
    assert.equal(body?.client_id_metadata_document_supported, true);
    assert.deepEqual(body?.token_endpoint_auth_signing_alg_values_supported, ['RS256', 'PS256', 'ES256']);
    assert.deepEqual(body?.revocation_endpoint_auth_methods_supported, body?.token_endpoint_auth_methods_supported);
    assert.deepEqual(body?.revocation_endpoint_auth_signing_alg_values_supported, ['RS256', 'PS256', 'ES256']);
    assert.equal(body?.authorization_response_iss_parameter_supported, true);
    const openid = (await getJson('/.well-known/openid-configuration/chatgpt')).body;
    assert.equal(openid?.client_id_metadata_document_supported, true);
  });

  it('item 52: without OAUTH_EMA_TRUSTED_ISSUERS no JWT-bearer (ID-JAG) grant is advertised or accepted (with them: tests/oauth/ema.test.ts)', async () => {
    const { body } = await getJson('/.well-known/oauth-authorization-server/chatgpt');
    assert.deepEqual(body?.grant_types_supported, ['authorization_code', 'refresh_token']);
    const token = await h.fetch(`${BASE}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: 'x.y.z' }).toString(),
    });
    assert.equal(token.status, 400);
    assert.equal(((await token.json()) as Record<string, unknown>).error, 'unsupported_grant_type');
  });

  it('item 46: OAUTH_CIMD=false stops advertising CIMD', async () => {
    const off = await createHarness({ env: { OAUTH_CIMD: 'false' } });
    const body = (await (await off.fetch(`${ORIGIN}/.well-known/oauth-authorization-server/chatgpt`)).json()) as Record<string, unknown>;
    assert.ok(!('client_id_metadata_document_supported' in body));
  });

  for (const path of [
    '/.well-known/oauth-authorization-server',
    '/chatgpt/.well-known/oauth-authorization-server',
    '/.well-known/oauth-authorization-server/chatgpt/mcp',
    '/.well-known/oauth-authorization-server/chatgpt/sse',
  ]) {
    it(`item 4: ${path} answers HEAD and GET with the same issuer`, async () => {
      const head = await h.fetch(`${ORIGIN}${path}`, { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal(await head.text(), '');
      const { response, body } = await getJson(path);
      assert.equal(response.status, 200);
      assert.equal(body?.issuer, BASE);
    });
  }

  for (const path of [
    '/.well-known/openid-configuration/chatgpt',
    '/chatgpt/.well-known/openid-configuration',
    '/.well-known/openid-configuration',
    '/.well-known/openid-configuration/chatgpt/mcp',
  ]) {
    it(`item 5: ${path} is a complete OpenID discovery document`, async () => {
      const { response, body } = await getJson(path);
      assert.equal(response.status, 200);
      assert.equal(body?.issuer, BASE);
      assert.equal(body?.jwks_uri, `${BASE}/jwks.json`);
      assert.deepEqual(body?.subject_types_supported, ['public']);
      assert.deepEqual(body?.id_token_signing_alg_values_supported, ['ES256']);
      assert.deepEqual(body?.code_challenge_methods_supported, ['S256']);
      const jwks = await h.fetch(String(body?.jwks_uri));
      assert.equal(jwks.status, 200, 'the advertised jwks_uri exists');
    });
  }

  for (const path of [
    '/.well-known/unknown',
    '/.well-known/oauth-authorization-server/other',
    '/.well-known/oauth-protected-resource/chatgpt/elsewhere',
    '/chatgpt/sse/.well-known/oauth-protected-resource',
    '/chatgpt/mcp/.well-known/openid-configuration',
  ]) {
    it(`item 6: unknown ${path} is a fast JSON 404`, async () => {
      for (const method of ['GET', 'POST']) {
        const response = await h.fetch(`${ORIGIN}${path}`, { method });
        assert.equal(response.status, 404, `${method} ${path}`);
        assert.match(response.headers.get('Content-Type') ?? '', /application\/json/);
      }
    });
  }

  it('item 7: URLs come from the configured public base, not from X-Forwarded-Host', async () => {
    const response = await h.fetch(`${ORIGIN}/.well-known/oauth-authorization-server/chatgpt`, {
      headers: { 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'http', Host: 'evil.example' },
    });
    const body = (await response.json()) as Record<string, string>;
    assert.equal(body.issuer, BASE);
    for (const key of ['authorization_endpoint', 'token_endpoint', 'registration_endpoint']) {
      assert.ok(body[key]?.startsWith(`${BASE}/`), key);
    }
  });

  it('item 36: metadata, register and token allow any origin and answer preflight with 204', async () => {
    for (const path of ['/.well-known/oauth-authorization-server/chatgpt', '/chatgpt/register', '/chatgpt/token', '/chatgpt/revoke']) {
      const preflight = await h.fetch(`${ORIGIN}${path}`, {
        method: 'OPTIONS',
        headers: { Origin: 'https://inspector.example', 'Access-Control-Request-Method': 'POST' },
      });
      assert.equal(preflight.status, 204, path);
      assert.equal(preflight.headers.get('Access-Control-Allow-Origin'), '*', path);
    }
    const get = await h.fetch(`${ORIGIN}/.well-known/oauth-protected-resource/chatgpt/mcp`, {
      headers: { Origin: 'https://inspector.example' },
    });
    assert.equal(get.headers.get('Access-Control-Allow-Origin'), '*');
  });

  it('jwks.json publishes the ES256 signing key with its kid', async () => {
    const body = (await (await h.fetch(`${BASE}/jwks.json`)).json()) as { keys: Array<Record<string, string>> };
    assert.equal(body.keys.length, 1);
    assert.equal(body.keys[0]?.alg, 'ES256');
    assert.equal(body.keys[0]?.kty, 'EC');
    assert.ok(body.keys[0]?.kid);
    assert.ok(!('d' in (body.keys[0] ?? {})), 'no private part');
  });

  it('without a prefix: root documents, /mcp and /sse path suffixes, issuer without a trailing slash', async () => {
    const root = await createHarness({ publicBase: ORIGIN });
    const as = (await (await root.fetch(`${ORIGIN}/.well-known/oauth-authorization-server`)).json()) as Record<string, string>;
    assert.equal(as.issuer, ORIGIN);
    assert.equal(as.token_endpoint, `${ORIGIN}/token`);
    for (const path of ['/mcp', '/sse']) {
      const prm = (await (await root.fetch(`${ORIGIN}/.well-known/oauth-protected-resource${path}`)).json()) as Record<string, unknown>;
      assert.equal(prm.resource, `${ORIGIN}${path}`);
      assert.deepEqual(prm.authorization_servers, [ORIGIN]);
    }
    assert.equal((await root.fetch(`${ORIGIN}/.well-known/oauth-protected-resource/chatgpt/mcp`)).status, 404);
  });
});
