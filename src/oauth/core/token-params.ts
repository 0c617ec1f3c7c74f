import { z } from 'zod';
import { OAuthError, paramText as text, parseParams } from './errors.ts';

/** RFC 7523 §2.1 JWT bearer authorization grant, which carries the ID-JAG. */
export const ID_JAG_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

const required = (max: number) => text(max).min(1, 'must not be empty');

/**
 * Client authentication (RFC 6749 §2.3.1, RFC 7523 §2.2) and RFC 8707 `resource`, sent with every
 * grant. A `client_id` may be a metadata-document URL, so it gets the URL bound.
 */
const common = {
  client_id: text(2000).optional(),
  client_secret: text(512).optional(),
  client_assertion_type: text(200).optional(),
  client_assertion: text(16_384).optional(),
  resource: text(2000).optional(),
};

// Unknown parameters are ignored (RFC 6749 §3.2), hence loose objects. A malformed `code_verifier`
// stays the handler's `invalid_grant` (RFC 7636 §4.6); here it is only bounded.
const authorizationCode = z.looseObject({
  ...common,
  grant_type: z.literal('authorization_code'),
  code: required(512),
  redirect_uri: text(2000).optional(),
  code_verifier: text(1000).optional(),
});
const refreshToken = z.looseObject({
  ...common,
  grant_type: z.literal('refresh_token'),
  refresh_token: required(512),
  scope: text(1000).optional(),
});
const identityAssertion = z.looseObject({
  ...common,
  grant_type: z.literal(ID_JAG_GRANT),
  assertion: required(16_384),
  scope: text(1000).optional(),
});

export type AuthorizationCodeParams = z.output<typeof authorizationCode>;
export type RefreshTokenParams = z.output<typeof refreshToken>;
export type IdentityAssertionParams = z.output<typeof identityAssertion>;
export type TokenParams = AuthorizationCodeParams | RefreshTokenParams | IdentityAssertionParams;
export type GrantType = TokenParams['grant_type'];

const SCHEMAS: Record<GrantType, z.ZodType<TokenParams>> = {
  authorization_code: authorizationCode,
  refresh_token: refreshToken,
  [ID_JAG_GRANT]: identityAssertion,
};

/**
 * Validates a token request form (RFC 6749 §4.1.3, §6; RFC 7523 §2.1) against the grants this
 * server accepts. A missing `grant_type` or a malformed parameter is `invalid_request` naming the
 * field; a grant type it does not accept is `unsupported_grant_type` (RFC 6749 §5.2).
 */
export function parseTokenParams(form: Record<string, string>, grants: readonly GrantType[]): TokenParams {
  const grant = form.grant_type;
  if (grant === undefined || grant === '') throw new OAuthError('invalid_request', 'grant_type: is required');
  const accepted = grants.find((name) => name === grant);
  if (accepted === undefined) {
    throw new OAuthError('unsupported_grant_type', `grant_type must be ${grants.join(' or ')}`);
  }
  return parseParams(SCHEMAS[accepted], form);
}
