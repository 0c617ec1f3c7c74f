/**
 * End to end as ChatGPT would, with the company IdP: the real server (composition root, sqlite
 * store, bearer auth, MCP transports) and a real OpenID Provider (oidc-provider) on their own
 * 127.0.0.1 ports. Register, authorize, sign in at the IdP through its forms, consent, code, token,
 * an MCP `search` through the SDK client; a person outside the allowed groups gets no code; after a
 * restart that no longer allows the person's group, the refresh token is refused.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { memoryResearch } from '../http/fixtures.ts';
import { idpEnv, startCompanyIdp, type CompanyIdp } from '../oauth/company-idp.ts';
import { REDIRECT, registerClient } from '../oauth/flow.ts';
import { formPost } from '../oauth/helpers.ts';
import { consentAfterCallback, deliver, toIdpAndBack } from '../oauth/oidc-flow.ts';
import { startOAuthServer, type OAuthServer } from '../oauth/server.ts';
import { startTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { dbFor } from '../integration/stack.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'oidc-e2e-'));
let idp: CompanyIdp;
let port: number;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port: free } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return free;
}

function start(allowedGroups: string, research = memoryResearch()) {
  // Only the company IdP: AUTH_USERS empty, so local password sign-in is off.
  const env = idpEnv(idp, { AUTH_USERS: '', OIDC_ALLOWED_GROUPS: allowedGroups });
  return startOAuthServer({ dataDir, port, env, overrides: { research } });
}

async function token(server: OAuthServer, fields: Record<string, string>) {
  const response = await fetch(`${server.base}/token`, formPost(fields));
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

describe('company IdP sign-in end to end (real server, real OpenID Provider, MCP SDK client)', () => {
  before(async () => {
    port = await freePort();
    idp = await startCompanyIdp({
      redirectUris: [`http://127.0.0.1:${port}/chatgpt/signin/oidc/callback`],
      people: {
        alice: { email: 'alice@corp.example', groups: ['sql-readers'] },
        bob: { email: 'bob@corp.example', groups: ['marketing'] },
      },
    });
  });
  after(async () => {
    await idp.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('register, authorize, IdP forms, consent, token, MCP search as the person; an outsider gets no code; a group no longer allowed cannot refresh', async () => {
    const research = memoryResearch();
    let server = await start('sql-readers', research);
    try {
      const client = await registerClient(fetch, {}, server.base);
      const returned = await toIdpAndBack(fetch, client.client_id, 'alice', { base: server.base });
      const code = await consentAfterCallback(returned, await deliver(returned), server.base);
      const tokens = await token(server, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        code_verifier: returned.pkce.verifier,
        client_id: client.client_id,
      });
      assert.equal(tokens.status, 200, JSON.stringify(tokens.body));

      const mcp = new Client({ name: 'oidc-e2e', version: '1.0.0' });
      await mcp.connect(
        new StreamableHTTPClientTransport(server.mcpUrl, {
          requestInit: { headers: { Authorization: `Bearer ${tokens.body.access_token}` } },
        }),
      );
      const result = await mcp.callTool({ name: 'search', arguments: { query: 'Customers' } });
      assert.notEqual(result.isError, true);
      await mcp.close();
      // The call ran as the person: the research layer saw their principal, the audit line names them.
      assert.equal(research.calls[0]?.ctx.principal, `oauth:${client.client_id}:${idp.issuer}#alice`);
      assert.ok(server.logs.some((line) => line.tool === 'search' && line.subject === `${idp.issuer}#alice`));
      // SESSION_CONTEXT against a real database: the next test.

      // Bob is not in an allowed group: a "not approved" page, and no code for the client.
      const outsider = await toIdpAndBack(fetch, client.client_id, 'bob', { base: server.base });
      const refused = await deliver(outsider);
      assert.equal(refused.status, 403);
      assert.match(await refused.text(), /not approved for this connector/i);

      // The operator stops allowing sql-readers; after the restart alice's grant cannot be refreshed.
      await server.close();
      await delay(50); // pooled keep-alive sockets notice the previous server went away
      server = await start('dba');
      const refresh = await token(server, {
        grant_type: 'refresh_token',
        refresh_token: tokens.body.refresh_token ?? '',
        client_id: client.client_id,
      });
      assert.equal(refresh.status, 400);
      assert.equal(refresh.body.error, 'invalid_grant');
    } finally {
      await server.close();
    }
  });
  it("with MSSQL_SESSION_CONTEXT=true, SQL Server sees the signed-in person: SESSION_CONTEXT(N'mcp.email') is their address, and the sample security policy shows a sales rep only their orders", async () => {
    const database: TestDatabase = await startTestDatabase();
    const owner = dbFor(database, database.owner);
    const db = dbFor(database, database.reader, { sessionContext: true, poolMax: 1, maxConcurrent: 1 });
    let server: OAuthServer | undefined;
    let companyIdp: CompanyIdp | undefined;
    try {
      // A sales rep of the sample database, as the IdP knows them (their verified work e-mail).
      const rep = await owner.query(
        'SELECT TOP (1) e.Email, COUNT(*) AS n FROM sales.Orders AS o JOIN hr.Employees AS e ON e.EmployeeID = o.SalesRepID GROUP BY e.Email ORDER BY COUNT(*) DESC, e.Email',
        [],
        { maxRows: 1, timeoutMs: 10_000 },
      );
      const [repEmail, repOrders] = rep.rows[0] as [string, number];
      const total = Number((await owner.query('SELECT COUNT(*) FROM sales.Orders', [], { maxRows: 1, timeoutMs: 10_000 })).rows[0]?.[0]);
      assert.ok(Number(repOrders) > 0 && Number(repOrders) < total);
      companyIdp = await startCompanyIdp({
        redirectUris: [`http://127.0.0.1:${port}/chatgpt/signin/oidc/callback`],
        people: {
          alice: { email: 'alice@corp.example', groups: ['sql-readers'] },
          bob: { email: 'bob@corp.example', groups: ['sql-readers'] },
          carol: { email: repEmail, groups: ['sql-readers'] },
        },
      });
      const env = { ...idpEnv(companyIdp, { AUTH_USERS: '', OIDC_ALLOWED_GROUPS: 'sql-readers' }), MSSQL_SESSION_CONTEXT: 'true' };
      // The real research over the real database (the sandbox over TDS), not the in-memory seam.
      server = await startOAuthServer({ port, env, overrides: { db, research: undefined } });
      const client = await registerClient(fetch, {}, server.base);
      const searchAs = async (person: string, query: string): Promise<string> => {
        const returned = await toIdpAndBack(fetch, client.client_id, person, { base: (server as OAuthServer).base });
        const code = await consentAfterCallback(returned, await deliver(returned), (server as OAuthServer).base);
        const tokens = await token(server as OAuthServer, {
          grant_type: 'authorization_code',
          code,
          redirect_uri: REDIRECT,
          code_verifier: returned.pkce.verifier,
          client_id: client.client_id,
        });
        assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
        const mcp = new Client({ name: 'oidc-e2e', version: '1.0.0' });
        await mcp.connect(
          new StreamableHTTPClientTransport((server as OAuthServer).mcpUrl, {
            requestInit: { headers: { Authorization: `Bearer ${tokens.body.access_token}` } },
          }),
        );
        const result = await mcp.callTool({ name: 'search', arguments: { query } });
        await mcp.close();
        assert.notEqual(result.isError, true, JSON.stringify(result.content));
        return JSON.stringify(result.structuredContent ?? result.content);
      };
      const who =
        "SELECT CAST(SESSION_CONTEXT(N'mcp.email') AS nvarchar(200)) AS email, CAST(SESSION_CONTEXT(N'mcp.subject') AS nvarchar(400)) AS subject";
      for (const [person, email] of [
        ['alice', 'alice@corp.example'],
        ['bob', 'bob@corp.example'],
        ['alice', 'alice@corp.example'],
      ] as const) {
        const text = await searchAs(person, who);
        assert.ok(text.includes(email), `${person}: ${text}`);
        assert.ok(text.includes(`${companyIdp.issuer}#${person}`), `${person}: ${text}`);
        const other = person === 'alice' ? 'bob@corp.example' : 'alice@corp.example';
        assert.ok(!text.includes(other), `${person} sees ${other}: ${text}`);
      }
      // Row-level security: the rep sees exactly their own orders; alice (no orders) sees none.
      const count = 'SELECT COUNT(*) AS order_count, COUNT(DISTINCT SalesRepID) AS rep_count FROM sales.Orders';
      const carol = await searchAs('carol', count);
      assert.match(carol, new RegExp(`order_count[^0-9]+${Number(repOrders)}\\b`), carol);
      assert.match(carol, /rep_count[^0-9]+1\b/, carol);
      const alice = await searchAs('alice', count);
      assert.match(alice, /order_count[^0-9]+0\b/, alice);
    } finally {
      await server?.close();
      await companyIdp?.close();
      await db.close();
      await owner.close();
      await database.close();
    }
  });
});
