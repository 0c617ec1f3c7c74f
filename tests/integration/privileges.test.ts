/**
 * Issue 10 item 14: the startup privilege check sees every level a write permission can come
 * from. Each case creates a login on the test database with real T-SQL (CREATE LOGIN, CREATE USER,
 * ALTER ROLE, GRANT, DENY, ALTER AUTHORIZATION — the sandbox implements them, and the same
 * statements run on SQL Server) and starts the real connector on it: refused or accepted.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import type sql from 'mssql';
import { startServer } from '../../src/index.ts';
import { createLogger } from '../../src/logger.ts';
import { databaseEnv, startTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { openPool } from '../sandbox/reader-pool.ts';

let database: TestDatabase;
/** The owner's own connection: these statements must commit, unlike the connector's read-only batches. */
let owner: sql.ConnectionPool;
before(async () => {
  database = await startTestDatabase({ fresh: true }); // creates logins, users and grants
  owner = await openPool(database, database.owner);
});
after(async () => {
  await owner?.close();
  await database?.close();
});

const PASSWORD = 'Read0nly!Check#2026';

/** Creates `name` as a login and database user in db_datareader, then runs `grants` as the owner. */
async function createLogin(name: string, grants: string[]): Promise<void> {
  for (const statement of [
    `CREATE LOGIN ${name} WITH PASSWORD = '${PASSWORD}'`,
    `CREATE USER ${name} FOR LOGIN ${name}`,
    `ALTER ROLE db_datareader ADD MEMBER ${name}`,
    ...grants.map((grant) => grant.replaceAll('$user', name)),
  ]) {
    await owner
      .request()
      .batch(statement)
      .catch((error: unknown) => {
        throw new Error(`${statement}: ${(error as Error).message}`);
      });
  }
}

async function startAs(name: string) {
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    MCP_API_KEY: randomBytes(18).toString('base64url'),
    ...databaseEnv(database, { user: name, password: PASSWORD }),
  });
  // The database is up, so the privilege check finishes within the startup wait and a writable login
  // stops the start (a login found writable only later keeps every query refused: lifecycle.test.ts).
  return startServer(config, { logger: createLogger({ level: 'silent' }), shutdownGraceMs: 500, startupWaitMs: 60_000 });
}

const cases: Array<{ name: string; grants: string[]; refused: RegExp | undefined }> = [
  { name: 'plain db_datareader', grants: [], refused: undefined },
  { name: 'INSERT on one table', grants: ['GRANT INSERT ON sales.Orders TO $user'], refused: /has INSERT on \[sales\]\.\[Orders\]/ },
  {
    name: 'UPDATE on one table, as OBJECT::',
    grants: ['GRANT UPDATE ON OBJECT::hr.Employees TO $user'],
    refused: /has UPDATE on \[hr\]\.\[Employees\]/,
  },
  { name: 'DELETE on a schema', grants: ['GRANT DELETE ON SCHEMA::sales TO $user'], refused: /has DELETE on schema \[sales\]/ },
  { name: 'EXECUTE on a schema', grants: ['GRANT EXECUTE ON SCHEMA::hr TO $user'], refused: /has EXECUTE on schema \[hr\]/ },
  { name: 'ALTER on one table', grants: ['GRANT ALTER ON sales.Customers TO $user'], refused: /has ALTER on \[sales\]\.\[Customers\]/ },
  { name: 'CONTROL on a schema', grants: ['GRANT CONTROL ON SCHEMA::hr TO $user'], refused: /has CONTROL on schema \[hr\]/ },
  {
    name: 'TAKE OWNERSHIP on one table',
    grants: ['GRANT TAKE OWNERSHIP ON sales.Orders TO $user'],
    refused: /has TAKE OWNERSHIP on \[sales\]\.\[Orders\]/,
  },
  { name: 'owning a schema', grants: ['ALTER AUTHORIZATION ON SCHEMA::hr TO $user'], refused: /has CONTROL on schema \[hr\]/ },
  { name: 'INSERT on the database', grants: ['GRANT INSERT TO $user'], refused: /has INSERT on the database/ },
  { name: 'EXECUTE on the database', grants: ['GRANT EXECUTE TO $user'], refused: /has EXECUTE on the database/ },
  { name: 'db_ddladmin', grants: ['ALTER ROLE db_ddladmin ADD MEMBER $user'], refused: /member of db_ddladmin/ },
  { name: 'db_datawriter', grants: ['ALTER ROLE db_datawriter ADD MEMBER $user'], refused: /member of db_datawriter/ },
  { name: 'db_securityadmin', grants: ['ALTER ROLE db_securityadmin ADD MEMBER $user'], refused: /member of db_securityadmin/ },
  { name: 'db_accessadmin', grants: ['ALTER ROLE db_accessadmin ADD MEMBER $user'], refused: /member of db_accessadmin/ },
  {
    name: 'INSERT granted then denied on the schema',
    grants: ['GRANT INSERT ON sales.Orders TO $user', 'DENY INSERT ON SCHEMA::sales TO $user'],
    refused: undefined,
  },
  {
    name: 'INSERT granted then revoked',
    grants: ['GRANT INSERT ON sales.Orders TO $user', 'REVOKE INSERT ON sales.Orders FROM $user'],
    refused: undefined,
  },
];

describe('startup privilege check over every securable class', () => {
  cases.forEach(({ name, grants, refused }, index) => {
    it(`a login with ${name} is ${refused ? 'refused at startup' : 'accepted'}`, { timeout: 120_000 }, async () => {
      const login = `pcheck_${index}_${randomBytes(3).toString('hex')}`;
      await createLogin(login, grants);
      if (refused) {
        // A server that starts after all is closed again, so the failure is reported instead of hanging the run.
        const attempt = async () => void (await (await startAs(login)).close());
        await assert.rejects(attempt(), (error: Error) => {
          assert.match(error.message, /can write/);
          assert.match(error.message, refused);
          return true;
        });
        return;
      }
      const server = await startAs(login);
      await server.close();
    });
  });
});
