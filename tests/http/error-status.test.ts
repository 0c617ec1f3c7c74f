import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ERROR_STATUS } from '../../src/error-status.ts';
import type { Outcome, Research, ResearchErrorCode } from '../../src/research/types.ts';
import { tokenRequest } from '../oauth/flow.ts';
import { BASE, createHarness } from '../oauth/helpers.ts';
import { API_KEY, memoryResearch, testApp } from './fixtures.ts';

const RESEARCH_CODES: ResearchErrorCode[] = [
  'READ_ONLY_VIOLATION',
  'SQL_PARSE_ERROR',
  'SQL_TOO_LONG',
  'OBJECT_NOT_ALLOWED',
  'INVALID_INPUT',
  'NOT_FOUND',
  'QUERY_TIMEOUT',
  'QUERY_FAILED',
  'RESULT_TOO_LARGE',
  'XML_NOT_BOUNDED',
  'BUSY',
  'DB_UNAVAILABLE',
  'STATE_UNAVAILABLE',
];

/** A Research whose fetch fails with the code named by the id (the seam's alternative implementation). */
function failingResearch(): Research {
  const base = memoryResearch();
  return {
    ...base,
    async fetch(id): Promise<Outcome<never>> {
      return {
        ok: false,
        code: id as ResearchErrorCode,
        message: `failed with ${id}`,
        stats: { form: 'table', rows: 0, bytes: 0, durationMs: 0 },
      };
    },
  };
}

describe('error statuses over HTTP', () => {
  const { app } = testApp({ research: failingResearch() });
  for (const code of RESEARCH_CODES) {
    it(`GET /records answers a ${code} failure with ${ERROR_STATUS[code]} and the same code`, async () => {
      const response = await app.request(`/chatgpt/records/${code}`, { headers: { authorization: `Bearer ${API_KEY}` } });
      const body = (await response.json()) as { error: { code: string; message: string } };
      assert.equal(response.status, ERROR_STATUS[code]);
      assert.equal(body.error.code, code);
      assert.equal(body.error.message, `failed with ${code}`);
    });
  }
  it('BUSY and QUERY_TIMEOUT are server-side (5xx), not the caller’s fault', async () => {
    for (const [code, status] of [
      ['BUSY', 503],
      ['QUERY_TIMEOUT', 504],
    ] as const) {
      const response = await app.request(`/chatgpt/records/${code}`, { headers: { authorization: `Bearer ${API_KEY}` } });
      assert.equal(response.status, status);
    }
  });

  it('OAuth /token: an unknown client is 401 invalid_client, a missing grant_type 400 invalid_request', async () => {
    const h = await createHarness();
    const unknown = await tokenRequest(h.fetch, {
      grant_type: 'authorization_code',
      code: 'x',
      client_id: 'nobody',
      code_verifier: 'v'.repeat(43),
    });
    assert.equal(unknown.status, 401);
    assert.equal(unknown.body.error, 'invalid_client');
    const missing = await h.fetch(`${BASE}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    assert.equal(missing.status, 400);
    assert.equal(((await missing.json()) as { error: string }).error, 'invalid_request');
  });

  for (const [label, fields, field] of [
    ['without token', {}, 'token'],
    ['with an empty token', { token: '' }, 'token'],
  ] as const) {
    it(`OAuth /revoke ${label}: 400 invalid_request naming the field`, async () => {
      const h = await createHarness();
      const response = await h.fetch(`${BASE}/revoke`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: 'someone', ...fields }).toString(),
      });
      const body = (await response.json()) as { error: string; error_description: string };
      assert.equal(response.status, 400);
      assert.equal(body.error, 'invalid_request');
      assert.match(body.error_description, new RegExp(`^${field}: `));
    });
  }
});
