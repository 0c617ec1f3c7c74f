import { wellKnownFor } from '../target.ts';
import type { Check, DoctorContext } from '../types.ts';

/** The redirect URI ChatGPT registers (conformance item 9). */
export const CHATGPT_REDIRECT_URI = 'https://chatgpt.com/connector_platform_oauth_redirect';

/**
 * Dynamic client registration (RFC 7591) the way ChatGPT does it: its redirect URI and
 * client_secret_post, which must be echoed back. Registers one client named
 * "mssql-deep-research doctor" (revoke it with the OAuth admin tools if you mind).
 */
export const registrationCheck: Check = {
  name: 'registration',
  async run(ctx: DoctorContext) {
    if (!ctx.register) return [{ status: 'SKIP', name: 'registration', detail: 'skipped (--no-register)' }];
    const meta = await ctx.request(wellKnownFor(ctx.target.issuer, 'oauth-authorization-server'));
    let endpoint: unknown;
    try {
      endpoint = (JSON.parse(meta.body) as { registration_endpoint?: unknown }).registration_endpoint;
    } catch {
      /* below */
    }
    if (typeof endpoint !== 'string')
      return [
        {
          status: 'FAIL',
          name: 'registration',
          detail: 'no registration_endpoint in the authorization-server metadata',
          fix: 'ChatGPT registers itself (RFC 7591): enable OAuth in the connector (docs/chatgpt.md)',
        },
      ];
    const res = await ctx.request(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        client_name: 'mssql-deep-research doctor',
        redirect_uris: [CHATGPT_REDIRECT_URI],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      }),
    });
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(res.body) as Record<string, unknown>;
    } catch {
      /* below */
    }
    if (res.status === 429)
      return [{ status: 'WARN', name: 'registration', detail: 'rate limited (429)', fix: 'wait a minute and run doctor again' }];
    if (res.status !== 201 && res.status !== 200)
      return [
        {
          status: 'FAIL',
          name: 'registration',
          detail: `POST ${endpoint} → ${res.status} ${String(body.error ?? '')} ${String(body.error_description ?? '')}`.trim(),
          fix: 'the chatgpt.com redirect URI must be accepted (REDIRECT_URI policy, docs/security.md)',
        },
      ];
    if (typeof body.client_id !== 'string')
      return [
        {
          status: 'FAIL',
          name: 'registration',
          detail: 'registration answered without client_id',
          fix: 'see docker compose logs connector',
        },
      ];
    if (body.token_endpoint_auth_method !== 'client_secret_post')
      return [
        {
          status: 'FAIL',
          name: 'registration',
          detail: `token_endpoint_auth_method echoed as ${JSON.stringify(body.token_endpoint_auth_method)}`,
          fix: 'ChatGPT: "does not support client_secret_post token endpoint auth method" when it is not echoed',
        },
      ];
    return [
      {
        status: 'PASS',
        name: 'registration',
        detail: `${res.status}, client_id issued for ${CHATGPT_REDIRECT_URI} with client_secret_post`,
      },
    ];
  },
};
