/** Steps of a sign-in at the company IdP as a browser takes them, shared by the identity tests. */
import assert from 'node:assert/strict';
import { signInAtIdp } from './company-idp.ts';
import { actionUrl, authorizeUrl, REDIRECT, registerClient, tokenRequest, type Fetcher } from './flow.ts';
import { BASE, browser, formPost, ORIGIN, parseForm, pkcePair, type Harness } from './helpers.ts';

export type Agent = ReturnType<typeof browser>;

/** The connector's answer to the IdP's redirect back, and the browser that got it. */
export interface Returned {
  agent: Agent;
  /** The IdP's redirect to our callback (`code`, `state`, `iss`). */
  callback: string;
  pkce: { verifier: string; challenge: string };
}

/**
 * From the authorization request to the IdP's redirect back: /authorize → /signin (the choice page,
 * or straight on when only the IdP is configured) → /signin/oidc → the IdP's login and consent forms.
 */
export async function toIdpAndBack(
  fetcher: Fetcher,
  clientId: string,
  login: string,
  options: { base?: string; redirectUri?: string; rewriteIdp?: (location: string) => string } = {},
): Promise<Returned> {
  const base = options.base ?? BASE;
  const agent = browser(fetcher);
  const pkce = pkcePair();
  const url = authorizeUrl(
    {
      response_type: 'code',
      client_id: clientId,
      redirect_uri: options.redirectUri ?? REDIRECT,
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
      state: 'client-state',
    },
    base,
  );
  let response = await agent.go(url);
  assert.equal(response.status, 302);
  let location = new URL(response.headers.get('Location') ?? '', url).href;
  assert.match(location, /\/signin\?return_to=/);
  response = await agent.go(location);
  if (response.status === 200) {
    const page = await response.text();
    const href = /<a class="button" href="([^"]+)"/.exec(page)?.[1];
    assert.ok(href, 'the sign-in page offers the company IdP');
    response = await agent.go(new URL(href.replace(/&amp;/g, '&'), location).href);
  } else {
    assert.equal(response.status, 302, 'only the IdP: the sign-in page sends the browser straight on');
    response = await agent.go(new URL(response.headers.get('Location') ?? '', location).href);
  }
  assert.equal(response.status, 302);
  location = response.headers.get('Location') ?? '';
  const idpUrl = options.rewriteIdp ? options.rewriteIdp(location) : location;
  const callback = await signInAtIdp(agent, idpUrl, login);
  assert.ok(callback.startsWith(`${base}/signin/oidc/callback?`), callback);
  return { agent, callback, pkce };
}

/** Delivers the IdP's answer to our callback; returns the response (303 on success, a page otherwise). */
export function deliver(returned: Returned, callback = returned.callback) {
  return returned.agent.go(callback);
}

/** After a successful callback: follows back to /authorize, approves on the consent page, returns the code. */
export async function consentAfterCallback(returned: Returned, callbackResponse: Response, base = BASE): Promise<string> {
  assert.equal(callbackResponse.status, 303, await callbackResponse.clone().text());
  const back = new URL(callbackResponse.headers.get('Location') ?? '', base).href;
  const consent = await returned.agent.go(back);
  assert.equal(consent.status, 200);
  const form = parseForm(await consent.text());
  const approve = form.buttons.find((b) => b.value === 'approve');
  assert.ok(approve);
  const final = await returned.agent.go(actionUrl(back, form.action), formPost({ ...form.fields, [approve.name]: approve.value }));
  assert.equal(final.status, 302);
  const code = new URL(final.headers.get('Location') ?? '').searchParams.get('code');
  assert.ok(code, 'a code comes back to the client');
  return code;
}

/** A fetcher that sends the connector's URLs to `connector` and everything else (the IdP) over the network. */
export function splitFetch(connectorOrigin: string, connector: Fetcher): Fetcher {
  return (url, init) => (url.startsWith(connectorOrigin) ? connector(url, init) : fetch(url, init));
}

/** Registers a client, signs `login` in at the IdP, consents and exchanges the code; returns the tokens. */
export async function connect(h: Pick<Harness, 'fetch'>, login: string) {
  const client = await registerClient(h.fetch);
  const returned = await toIdpAndBack(splitFetch(ORIGIN, h.fetch), client.client_id, login);
  const code = await consentAfterCallback(returned, await deliver(returned));
  const token = await tokenRequest(h.fetch, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT,
    code_verifier: returned.pkce.verifier,
    client_id: client.client_id,
  });
  assert.equal(token.status, 200, JSON.stringify(token.body));
  return { client, tokens: token.body as { access_token: string; refresh_token: string } };
}
