import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { REDIRECT, registerClient } from './flow.ts';
import { BASE, createHarness, pkcePair, type Harness } from './helpers.ts';
import { assertNoInternals, formOf, rawForm } from './malformed.ts';

const long = (n: number) => 'a'.repeat(n);
type Pairs = ReadonlyArray<readonly [string, string]>;
/** Either an HTML error page (the redirect URI is not yet trusted) or an error redirected to the client. */
type Outcome = { page: RegExp } | { redirect: string; description: RegExp };

/** The valid request, with `change` replacing a parameter's value (undefined drops it) and `extra` appended. */
function request(valid: Record<string, string>, change: Record<string, string | undefined> = {}, extra: Pairs = []): Pairs {
  const merged = { ...valid, ...change };
  const pairs = Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return [...pairs, ...extra];
}

// RFC 6749 §4.1.2.1: while the client or the redirect URI is in doubt, the error is a page and never
// a redirect; once the redirect URI is trusted, errors go back to the client with state and iss.
const CASES: ReadonlyArray<readonly [string, (valid: Record<string, string>) => Pairs, Outcome]> = [
  ['client_id repeated', (v) => request(v, {}, [['client_id', 'other']]), { page: /Parameter client_id is repeated/ }],
  [
    'redirect_uri repeated',
    (v) => request(v, {}, [['redirect_uri', 'https://evil.example/cb']]),
    { page: /Parameter redirect_uri is repeated/ },
  ],
  ['state repeated', (v) => request(v, {}, [['state', 'second']]), { page: /Parameter state is repeated/ }],
  [
    'an over-long client_id',
    (v) => request(v, { client_id: `https://c.example/${long(2000)}` }),
    { page: /client_id: is too long \(at most 2000 characters\)/ },
  ],
  ['an over-long redirect_uri', (v) => request(v, { redirect_uri: `${REDIRECT}/${long(2000)}` }), { page: /redirect_uri: is too long/ }],
  ['no client_id', (v) => request(v, { client_id: undefined }), { page: /not registered/ }],
  ['an over-long state', (v) => request(v, { state: long(2001) }), { redirect: 'invalid_request', description: /^state: is too long/ }],
  ['an over-long scope', (v) => request(v, { scope: long(1001) }), { redirect: 'invalid_request', description: /^scope: is too long/ }],
  [
    'an over-long resource',
    (v) => request(v, { resource: long(2001) }),
    { redirect: 'invalid_request', description: /^resource: is too long/ },
  ],
  [
    'an over-long code_challenge',
    (v) => request(v, { code_challenge: long(129) }),
    { redirect: 'invalid_request', description: /^code_challenge: is too long/ },
  ],
  [
    'an over-long response_type',
    (v) => request(v, { response_type: long(101) }),
    { redirect: 'invalid_request', description: /^response_type: is too long/ },
  ],
  [
    'response_type token',
    (v) => request(v, { response_type: 'token' }),
    { redirect: 'unsupported_response_type', description: /must be code/ },
  ],
  [
    'no code_challenge',
    (v) => request(v, { code_challenge: undefined }),
    { redirect: 'invalid_request', description: /code_challenge is required/ },
  ],
  [
    'code_challenge_method plain',
    (v) => request(v, { code_challenge_method: 'plain' }),
    { redirect: 'invalid_request', description: /code_challenge_method must be S256/ },
  ],
];

async function expectOutcome(response: Response, outcome: Outcome, state: string | undefined): Promise<void> {
  const text = await response.text();
  assertNoInternals(text);
  if ('page' in outcome) {
    assert.equal(response.status, 400, text.slice(0, 300));
    assert.match(response.headers.get('Content-Type') ?? '', /^text\/html/);
    assert.equal(response.headers.get('Location'), null, 'never redirected');
    assert.match(text, outcome.page);
    return;
  }
  assert.equal(response.status, 302, text.slice(0, 300));
  const location = new URL(response.headers.get('Location') ?? '');
  assert.equal(`${location.origin}${location.pathname}`, REDIRECT);
  assert.equal(location.searchParams.get('error'), outcome.redirect);
  assert.match(location.searchParams.get('error_description') ?? '', outcome.description);
  assert.equal(location.searchParams.get('iss'), BASE);
  assert.equal(location.searchParams.get('state'), state ?? null);
}

describe('GET and POST /authorize refuse malformed requests with a page or an RFC 6749 §4.1.2.1 redirect', () => {
  let h: Harness;
  let valid: Record<string, string>;
  before(async () => {
    h = await createHarness();
    const client = await registerClient(h.fetch);
    valid = {
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: REDIRECT,
      code_challenge: pkcePair().challenge,
      code_challenge_method: 'S256',
      state: 'xyz',
    };
  });

  for (const [label, build, outcome] of CASES) {
    it(`GET with ${label} → ${'page' in outcome ? '400 page' : `redirect ${outcome.redirect}`}`, async () => {
      const pairs = build(valid);
      const state = pairs.find(([name]) => name === 'state')?.[1];
      await expectOutcome(await h.fetch(`${BASE}/authorize?${formOf(pairs)}`), outcome, state);
    });
    it(`POST form with ${label} → ${'page' in outcome ? '400 page' : `redirect ${outcome.redirect}`}`, async () => {
      const pairs = build(valid);
      const state = pairs.find(([name]) => name === 'state')?.[1];
      await expectOutcome(await h.fetch(`${BASE}/authorize`, rawForm(formOf(pairs))), outcome, state);
    });
  }

  for (const [label, extra, page] of [
    ['decision=maybe', [['decision', 'maybe']], /decision: must be approve or deny/],
    [
      'decision repeated',
      [
        ['decision', 'deny'],
        ['decision', 'approve'],
      ],
      /Parameter decision is repeated/,
    ],
    ['an over-long csrf token', [['csrf', long(201)]], /csrf: is too long/],
  ] as const) {
    it(`a consent form with ${label} → 400 page, nothing decided`, async () => {
      const response = await h.fetch(`${BASE}/authorize`, rawForm(formOf(request(valid, {}, extra))));
      await expectOutcome(response, { page }, undefined);
    });
  }

  it('a JSON body → 400 page naming the form encoding', async () => {
    const response = await h.fetch(`${BASE}/authorize`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(valid),
    });
    await expectOutcome(response, { page: /application\/x-www-form-urlencoded/ }, undefined);
  });
});
