import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { ERROR_STATUS, type EdgeErrorCode } from '../../../src/error-status.ts';
import { AppError } from '../../../src/errors.ts';
import { OAUTH_ERROR_STATUS, OAuthError, type OAuthErrorCode, parseParams } from '../../../src/oauth/core/errors.ts';
import { PAGE_ERROR_STATUS, type PageErrorCode } from '../../../src/oauth/http/pages.ts';

// The expected status of every code, written out independently of the product's table.
const EDGE: Array<[EdgeErrorCode, number]> = [
  ['BAD_REQUEST', 400],
  ['UNAUTHORIZED', 401],
  ['INVALID_TOKEN', 401],
  ['TOKEN_IN_QUERY', 400],
  ['INSUFFICIENT_SCOPE', 403],
  ['ORIGIN_NOT_ALLOWED', 403],
  ['NOT_FOUND', 404],
  ['SESSION_NOT_FOUND', 404],
  ['METHOD_NOT_ALLOWED', 405],
  ['NOT_ACCEPTABLE', 406],
  ['UNSUPPORTED_MEDIA_TYPE', 415],
  ['PAYLOAD_TOO_LARGE', 413],
  ['RATE_LIMITED', 429],
  ['SHUTTING_DOWN', 503],
  ['INTERNAL', 500],
  ['STATE_UNAVAILABLE', 503],
  ['READ_ONLY_VIOLATION', 400],
  ['SQL_PARSE_ERROR', 400],
  ['SQL_TOO_LONG', 400],
  ['INVALID_INPUT', 400],
  ['OBJECT_NOT_ALLOWED', 403],
  ['QUERY_FAILED', 502],
  ['RESULT_TOO_LARGE', 422],
  ['XML_NOT_BOUNDED', 422],
  ['QUERY_TIMEOUT', 504],
  ['BUSY', 503],
  ['DB_UNAVAILABLE', 503],
];

const OAUTH: Array<[OAuthErrorCode, number]> = [
  ['invalid_request', 400],
  ['invalid_client', 401],
  ['invalid_grant', 400],
  ['unauthorized_client', 400],
  ['unsupported_grant_type', 400],
  ['invalid_scope', 400],
  ['invalid_target', 400],
  ['access_denied', 400],
  ['unsupported_response_type', 400],
  ['invalid_redirect_uri', 400],
  ['invalid_client_metadata', 400],
  ['temporarily_unavailable', 503],
  ['server_error', 500],
];

const PAGES: Array<[PageErrorCode, number]> = [
  ['bad_request', 400],
  ['forbidden', 403],
  ['not_found', 404],
  ['upstream_failed', 502],
  ['unavailable', 503],
];

describe('HTTP status follows the stable error code', () => {
  it('the edge table covers exactly the listed codes', () => {
    assert.deepEqual(Object.keys(ERROR_STATUS).sort(), EDGE.map(([code]) => code).sort());
  });
  for (const [code, status] of EDGE) {
    it(`${code} → ${status}, with or without options`, () => {
      const plain = new AppError(code, 'message');
      assert.equal(plain.status, status);
      assert.equal(plain.message, 'message');
      const cause = new Error('driver detail');
      const detailed = new AppError(code, 'message', { cause, headers: { 'Retry-After': '1' } });
      assert.equal(detailed.status, status);
      assert.equal(detailed.cause, cause);
      assert.deepEqual(detailed.headers, { 'Retry-After': '1' });
      // @ts-expect-error the (code, status, message) overload is gone: no caller can pick a status
      assert.equal(new AppError(code, 418, 'message').status, status);
    });
  }

  it('the OAuth table covers exactly the listed codes', () => {
    assert.deepEqual(Object.keys(OAUTH_ERROR_STATUS).sort(), OAUTH.map(([code]) => code).sort());
  });
  for (const [code, status] of OAUTH) {
    it(`OAuth ${code} → ${status}`, () => {
      assert.equal(new OAuthError(code, 'description').status, status);
    });
  }

  it('HTML error pages: the table covers exactly the listed codes, each with its status', () => {
    assert.deepEqual(Object.keys(PAGE_ERROR_STATUS).sort(), PAGES.map(([code]) => code).sort());
    for (const [code, status] of PAGES) assert.equal(PAGE_ERROR_STATUS[code], status, code);
  });

  it('an OAuth throttle keeps its 429', () => {
    assert.equal(new OAuthError('temporarily_unavailable', 'slow down', { status: 429 }).status, 429);
  });
});

describe('OAuth request parameters validated with zod', () => {
  const schema = z.looseObject({
    grant_type: z.enum(['authorization_code', 'refresh_token']),
    code: z.string().min(1, 'must not be empty'),
  });
  for (const [label, params, description] of [
    ['a missing field', { code: 'c' }, /^grant_type: is required$/],
    ['a value outside the allowed set', { grant_type: 'password', code: 'c' }, /^grant_type: /],
    ['an empty field', { grant_type: 'refresh_token', code: '' }, /^code: must not be empty$/],
  ] as const) {
    it(`${label} is invalid_request (400) naming the field`, () => {
      assert.throws(
        () => parseParams(schema, params),
        (error: unknown) => {
          assert.ok(error instanceof OAuthError);
          assert.equal(error.code, 'invalid_request');
          assert.equal(error.status, 400);
          assert.match(error.message, description);
          return true;
        },
      );
    });
  }
  it('valid parameters come back typed, extra ones kept (client credentials pass through)', () => {
    assert.deepEqual(parseParams(schema, { grant_type: 'refresh_token', code: 'c', client_id: 'x' }), {
      grant_type: 'refresh_token',
      code: 'c',
      client_id: 'x',
    });
  });
});
