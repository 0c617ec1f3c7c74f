import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actionUrl } from './flow.ts';
import { BASE, browser, createHarness, formPost, parseForm, PASSWORD, USER } from './helpers.ts';

describe('record pages for citation clicks', () => {
  it('without a session the record redirects to sign-in, then back to the record', async () => {
    const h = await createHarness();
    const agent = browser(h.fetch);
    const first = await agent.go(`${BASE}/records/t.dbo.Orders.42`);
    assert.equal(first.status, 302);
    const signinUrl = first.headers.get('Location') ?? '';
    assert.equal(new URL(signinUrl).searchParams.get('return_to'), '/records/t.dbo.Orders.42');
    const form = parseForm(await (await agent.go(signinUrl)).text());
    const back = await agent.go(actionUrl(signinUrl, form.action), formPost({ ...form.fields, username: USER, password: PASSWORD }));
    assert.equal(back.headers.get('Location'), `${BASE}/records/t.dbo.Orders.42`);
    const record = await agent.go(back.headers.get('Location') ?? '');
    assert.equal(record.status, 200);
    const page = await record.text();
    assert.match(page, /Record t\.dbo\.Orders\.42/);
    assert.match(page, /&lt;b&gt;row&lt;\/b&gt; for ann/, 'record text is escaped and rendered for the operator');
    assert.equal(record.headers.get('Cache-Control'), 'no-store');
    assert.equal(record.headers.get('X-Frame-Options'), 'DENY');
  });

  it('a bearer token is not a browser session: the record page still needs sign-in', async () => {
    const h = await createHarness();
    const response = await h.fetch(`${BASE}/records/x`, { headers: { Authorization: 'Bearer whatever' } });
    assert.equal(response.status, 302);
  });

  it('an unknown record is a 404 page; a forged session cookie does not pass', async () => {
    const h = await createHarness();
    const agent = browser(h.fetch);
    const form = parseForm(await (await agent.go(`${BASE}/signin`)).text());
    await agent.go(`${BASE}/signin`, formPost({ ...form.fields, username: USER, password: PASSWORD }));
    assert.equal((await agent.go(`${BASE}/records/missing`)).status, 404);
    const forged = await h.fetch(`${BASE}/records/x`, { headers: { Cookie: 'mdr_session=forged-value' } });
    assert.equal(forged.status, 302);
  });

  it('the session expires after SESSION_TTL_HOURS', async () => {
    const h = await createHarness({ env: { SESSION_TTL_HOURS: '1' } });
    const agent = browser(h.fetch);
    const form = parseForm(await (await agent.go(`${BASE}/signin`)).text());
    await agent.go(`${BASE}/signin`, formPost({ ...form.fields, username: USER, password: PASSWORD }));
    assert.equal((await agent.go(`${BASE}/records/a`)).status, 200);
    h.clock.advance(3_600_001);
    assert.equal((await agent.go(`${BASE}/records/a`)).status, 302);
  });

  it('without renderRecord the records route is not mounted', async () => {
    const h = await createHarness({ withRecords: false });
    assert.equal((await h.fetch(`${BASE}/records/a`)).status, 404);
  });
});
