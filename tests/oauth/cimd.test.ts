/**
 * Client ID Metadata Documents (checklist items 46, 47, 49) through the real OAuth routes, with the
 * client's documents served by a real HTTPS server (test CA) and DNS replaced by a name map. The
 * attacks must be refused with an error page (the redirect URI cannot be trusted), leave nothing in
 * the client store, and be cached only briefly.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { authorizeUrl, codeFor, signInAndConsent, tokenRequest } from './flow.ts';
import { browser, createHarness, formPost, parseForm, PASSWORD, pkcePair, USER, type Harness } from './helpers.ts';
import { chatgptDocument, outboundFor, startClientHost, type ClientHost } from './client-host.ts';

const CHATGPT_REDIRECT = 'https://chatgpt.com/connector/oauth/c-123';
const CLAUDE_REDIRECT = 'https://claude.ai/api/mcp/auth_callback';

let host: ClientHost;
before(async () => {
  host = await startClientHost();
});
after(() => host.close());

const harness = () => createHarness({ outbound: outboundFor(host) });

/** Serves a Claude-like (`none`) document at `path` and returns its URL. */
function claudeDocument(path: string, overrides: Record<string, unknown> = {}, headers: Record<string, string> = {}): string {
  const id = host.url(path);
  host.json(
    path,
    { client_id: id, client_name: 'Claude', redirect_uris: [CLAUDE_REDIRECT], token_endpoint_auth_method: 'none', ...overrides },
    headers,
  );
  return id;
}

const authorizeAs = (h: Harness, clientId: string, redirectUri = CLAUDE_REDIRECT) =>
  h.fetch(
    authorizeUrl({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: redirectUri,
      code_challenge: pkcePair().challenge,
      code_challenge_method: 'S256',
      state: 's',
    }),
  );

const refusals = (h: Harness) => h.logger.lines.filter((line) => line.event === 'oauth.authorize_refused').map((line) => line.fields.code);
const hitsOf = (path: string) => host.hits.filter((hit) => hit === path).length;

describe('Client ID Metadata Documents (checklist items 46, 47, 49)', () => {
  it("item 47: ChatGPT's document: the consent page names the verified host beside the claimed name; nothing is stored", async () => {
    const h = await harness();
    const id = host.url('/oauth/c-123/client.json');
    host.json('/oauth/c-123/client.json', chatgptDocument(id, host.url('/oauth/jwks.json'), CHATGPT_REDIRECT));
    const agent = browser(h.fetch);
    const first = await agent.go(
      authorizeUrl({
        response_type: 'code',
        client_id: id,
        redirect_uri: CHATGPT_REDIRECT,
        code_challenge: pkcePair().challenge,
        code_challenge_method: 'S256',
      }),
    );
    const signin = await agent.go(first.headers.get('Location') ?? '');
    const form = parseForm(await signin.text());
    const back = await agent.go(
      signin.url || (first.headers.get('Location') ?? ''),
      formPost({ ...form.fields, username: USER, password: PASSWORD }),
    );
    const consent = await (await agent.go(back.headers.get('Location') ?? '')).text();
    assert.match(consent, new RegExp(`Verified origin</dt><dd><strong>client\\.test:${host.port}</strong>`));
    assert.match(consent, /“ChatGPT” <small>\(as the application names itself, not verified\)<\/small>/);
    assert.match(consent, /chatgpt\.com/, 'the redirect host is shown');
    assert.deepEqual(await h.store.listClients(), [], 'a document client is never written to the client store');
    const fetched = h.logger.lines.find((line) => line.event === 'oauth.cimd_fetched');
    assert.deepEqual(fetched?.fields, { client_id: id, client_name: 'ChatGPT', auth_method: 'private_key_jwt' });
  });

  it("item 49: Claude's document (none): code with iss, exchange with client_id alone, refresh; the log names the path", async () => {
    const h = await harness();
    const id = claudeDocument('/oauth/mcp-oauth-client-metadata');
    const { code, pkce, location } = await codeFor(h.fetch, id, CLAUDE_REDIRECT);
    assert.equal(location.searchParams.get('iss'), 'https://data.example.com/chatgpt');
    const tokens = await tokenRequest(h.fetch, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: CLAUDE_REDIRECT,
      code_verifier: pkce.verifier,
      client_id: id,
    });
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    const refreshed = await tokenRequest(h.fetch, {
      grant_type: 'refresh_token',
      refresh_token: String(tokens.body.refresh_token),
      client_id: id,
    });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    const issued = h.logger.lines.filter((line) => line.event === 'oauth.token_issued').map((line) => line.fields);
    assert.deepEqual(
      issued.map((f) => [f.grant, f.registration, f.auth_method]),
      [
        ['authorization_code', 'cimd', 'none'],
        ['refresh_token', 'cimd', 'none'],
      ],
    );
    assert.equal(h.logger.lines.find((line) => line.event === 'oauth.consent_granted')?.fields.registration, 'cimd');
  });

  it('item 46: a redirect URI not in the document gets the error page, never a redirect', async () => {
    const h = await harness();
    const id = claudeDocument('/doc-redirect.json');
    const response = await authorizeAs(h, id, 'https://claude.ai/api/mcp/other_callback');
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('Location'), null);
    assert.deepEqual(refusals(h), ['unregistered_redirect_uri']);
  });

  const attacks: Array<[string, () => string, string]> = [
    [
      'a document over http (not a CIMD client id: unknown client, no fetch)',
      () => host.url('/http-doc.json').replace('https:', 'http:'),
      'unknown_client',
    ],
    [
      'client_id in the document differs from its URL',
      () => claudeDocument('/mismatch.json', { client_id: host.url('/other.json') }),
      'cimd_invalid_document',
    ],
    [
      'a document redirect URI outside ALLOWED_REDIRECT_HOSTS',
      () => claudeDocument('/evil-redirect.json', { redirect_uris: ['https://evil.example/cb'] }),
      'cimd_invalid_document',
    ],
    ['a document carrying a client_secret', () => claudeDocument('/secret.json', { client_secret: 'x' }), 'cimd_invalid_document'],
    [
      'a shared-secret auth method',
      () => claudeDocument('/post.json', { token_endpoint_auth_method: 'client_secret_post' }),
      'cimd_invalid_document',
    ],
    [
      'private_key_jwt without keys',
      () => claudeDocument('/nokeys.json', { token_endpoint_auth_method: 'private_key_jwt' }),
      'cimd_invalid_document',
    ],
    ['a document larger than 64 KiB', () => claudeDocument('/large.json', { padding: 'x'.repeat(70_000) }), 'cimd_too_large'],
    [
      'a document that is not JSON',
      () => {
        host.routes.set('/html.json', (_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>challenge</html>'));
        return host.url('/html.json');
      },
      'cimd_invalid_document',
    ],
    ['a name that resolves to a private address', () => host.url('/dns.json', 'private.test'), 'cimd_forbidden_address'],
    ...(
      [
        ['127.0.0.1', `https://127.0.0.1:PORT/doc.json`],
        ['10.0.0.0/8', 'https://10.20.30.40/doc.json'],
        ['169.254.169.254', 'https://169.254.169.254/latest/meta-data/iam/'],
        ['[::1]', `https://[::1]:PORT/doc.json`],
      ] as const
    ).map(([label, target]): [string, () => string, string] => [
      `a redirect to ${label}`,
      () => {
        const path = `/redirect-${label.replace(/\W/g, '')}.json`;
        host.routes.set(path, (_req, res) => res.writeHead(302, { Location: target.replace('PORT', String(host.port)) }).end());
        return host.url(path);
      },
      'cimd_forbidden_address',
    ]),
    [
      'more than 3 redirects',
      () => {
        for (let hop = 0; hop < 4; hop += 1) {
          host.routes.set(`/loop${hop}.json`, (_req, res) => res.writeHead(307, { Location: `/loop${hop + 1}.json` }).end());
        }
        return host.url('/loop0.json');
      },
      'cimd_too_many_redirects',
    ],
  ];

  for (const [label, setup, code] of attacks) {
    it(`refuses ${label}: error page with ${code}, nothing stored`, async () => {
      const h = await harness();
      const id = setup();
      const response = await authorizeAs(h, id);
      assert.equal(response.status, 400);
      assert.equal(response.headers.get('Location'), null, 'never a redirect to an unverified redirect URI');
      const page = await response.text();
      assert.match(page, /Cannot continue/);
      assert.doesNotMatch(page, /\b\d+\.\d+\.\d+\.\d+\b|::1/, 'resolved addresses stay in the log, not on the page');
      assert.deepEqual(refusals(h), [code]);
      assert.deepEqual(await h.store.listClients(), []);
      const token = await tokenRequest(h.fetch, { grant_type: 'refresh_token', refresh_token: 'x', client_id: id });
      assert.equal(token.body.error, 'invalid_client', 'the token endpoint refuses the same client');
    });
  }

  it('the log keeps the detail the page leaves out: which address a name resolved to', async () => {
    const h = await harness();
    await authorizeAs(h, host.url('/dns-detail.json', 'private.test'));
    const refused = h.logger.lines.find((line) => line.event === 'oauth.cimd_refused');
    assert.equal(refused?.fields.code, 'cimd_forbidden_address');
    assert.match(String(refused?.fields.reason), /10\.0\.0\.7 is private/);
  });

  it('refuses a document that does not arrive within 5 s', async () => {
    const h = await harness();
    host.routes.set('/slow.json', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      setTimeout(() => res.end('{}'), 7_000).unref();
    });
    const started = Date.now();
    const response = await authorizeAs(h, host.url('/slow.json'));
    assert.equal(response.status, 400);
    assert.deepEqual(refusals(h), ['cimd_timeout']);
    assert.ok(Date.now() - started < 6_500);
  });

  it('a refusal is cached for 30 s only: no refetch inside, a corrected document works after', async () => {
    const h = await harness();
    const id = claudeDocument('/fixed-later.json', { client_id: host.url('/elsewhere.json') });
    assert.equal((await authorizeAs(h, id)).status, 400);
    claudeDocument('/fixed-later.json');
    h.clock.advance(20_000);
    assert.equal((await authorizeAs(h, id)).status, 400, 'still the cached refusal');
    assert.equal(hitsOf('/fixed-later.json'), 1);
    h.clock.advance(11_000);
    assert.equal((await authorizeAs(h, id)).status, 302, 'refetched and accepted');
    assert.equal(hitsOf('/fixed-later.json'), 2);
  });

  for (const [label, cacheControl, reusedAfter, refetchedAfter] of [
    ['max-age=600 is honoured', 'max-age=600', 9 * 60_000, 11 * 60_000],
    ['no max-age gets the 5 minute floor', undefined, 4 * 60_000, 6 * 60_000],
    ['max-age=1 is raised to 5 minutes', 'public, max-age=1', 4 * 60_000, 6 * 60_000],
    ['no-store still lives 5 minutes (the flow needs it at /token)', 'no-store', 4 * 60_000, 6 * 60_000],
    ['a week is capped at 24 hours', 'max-age=604800', 23 * 3_600_000, 25 * 3_600_000],
  ] as const) {
    it(`document caching: ${label}`, async () => {
      const h = await harness();
      const path = `/cache-${label.replace(/\W/g, '')}.json`;
      const id = claudeDocument(path, {}, cacheControl ? { 'Cache-Control': cacheControl } : {});
      assert.equal((await authorizeAs(h, id)).status, 302);
      h.clock.advance(reusedAfter);
      assert.equal((await authorizeAs(h, id)).status, 302);
      assert.equal(hitsOf(path), 1, 'reused from the cache');
      h.clock.advance(refetchedAfter - reusedAfter);
      assert.equal((await authorizeAs(h, id)).status, 302);
      assert.equal(hitsOf(path), 2, 'fetched again after its lifetime');
    });
  }

  it('one address may cause at most 30 document fetches per 10 minutes; cached documents and other addresses are unaffected', async () => {
    const h = await harness();
    const cached = claudeDocument('/budget-cached.json');
    const from = (peer: string) => ({ headers: { 'x-test-peer': peer } });
    const authorize = (id: string, peer: string) =>
      h.fetch(
        authorizeUrl({
          response_type: 'code',
          client_id: id,
          redirect_uri: CLAUDE_REDIRECT,
          code_challenge: pkcePair().challenge,
          code_challenge_method: 'S256',
        }),
        from(peer),
      );
    assert.equal((await authorize(cached, '198.51.100.7')).status, 302);
    for (let i = 1; i < 30; i += 1) await authorize(host.url(`/budget-${i}.json`), '198.51.100.7');
    const before = host.hits.length;
    assert.equal((await authorize(host.url('/budget-over.json'), '198.51.100.7')).status, 400);
    assert.equal(host.hits.length, before, 'no fetch beyond the budget');
    assert.equal(refusals(h).at(-1), 'cimd_rate_limited');
    assert.equal((await authorize(cached, '198.51.100.7')).status, 302, 'a cached document still works');
    assert.equal((await authorize(host.url('/budget-over.json'), '203.0.113.9')).status, 400);
    assert.equal(refusals(h).at(-1), 'cimd_http_status', 'another address fetches it: the refusal was not cached');
    h.clock.advance(10 * 60_000 + 1);
    await authorize(host.url('/budget-later.json'), '198.51.100.7');
    assert.equal(refusals(h).at(-1), 'cimd_http_status', 'the budget renews');
  });

  it("item 46: today's client redirects work out of the box, from documents as from registrations", async () => {
    const h = await harness();
    const uris = [
      'https://chatgpt.com/connector/oauth/abc-123',
      'https://chatgpt.com/connector_platform_oauth_redirect',
      'https://claude.ai/api/mcp/auth_callback',
      'https://claude.com/api/mcp/auth_callback',
    ];
    const id = claudeDocument('/all-redirects.json', { redirect_uris: uris });
    for (const uri of uris) {
      const location = await signInAndConsent(
        h.fetch,
        authorizeUrl({
          response_type: 'code',
          client_id: id,
          redirect_uri: uri,
          code_challenge: pkcePair().challenge,
          code_challenge_method: 'S256',
        }),
      );
      assert.equal(`${location.origin}${location.pathname}`, uri);
      assert.ok(location.searchParams.get('code'));
    }
  });
});
