import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import sql from 'mssql';

/** `npm run sandbox` as scripts and CI use it: one JSON ready line, then a clean stop on SIGTERM. */

const MAIN = fileURLToPath(new URL('../../sandbox/main.ts', import.meta.url));

describe('npm run sandbox', { skip: process.env.MSSQL_TEST_HOST ? 'runs the sandbox itself, not the real server' : false }, () => {
  it('prints one ready line with the logins, serves mssql, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, SANDBOX_PORT: '0', SANDBOX_READER_PASSWORD: 'Cli#Reader2024' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const line = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          if (stdout.includes('\n')) resolve(stdout.slice(0, stdout.indexOf('\n')));
        });
        child.once('exit', (code) => reject(new Error(`exited with ${code} before ready: ${stderr}`)));
      });
      const ready = JSON.parse(line);
      assert.equal(ready.ready, true);
      assert.equal(ready.host, '127.0.0.1');
      assert.equal(typeof ready.port, 'number');
      assert.equal(ready.database, 'RetailDB');
      assert.deepEqual(ready.logins.reader, { user: 'retail_reader', password: 'Cli#Reader2024' });

      const pool = await new sql.ConnectionPool({
        server: ready.host,
        port: ready.port,
        database: ready.database,
        user: ready.logins.reader.user,
        password: ready.logins.reader.password,
        options: { encrypt: false },
      }).connect();
      const [row] = (await pool.request().query('SELECT 1 AS one')).recordset;
      assert.deepEqual(row, { one: 1 });
      await pool.close();

      // The human summary goes to stderr alongside the ready line.
      assert.match(stderr, /not SQL Server/);
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      assert.equal(code, 0);
      assert.equal(stdout.trim().split('\n').length, 1, 'exactly one line on stdout');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses a SANDBOX_PORT that is not a port, naming the variable', async () => {
    const child = spawn(process.execPath, [MAIN], { env: { ...process.env, SANDBOX_PORT: 'abc' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'exit');
    assert.equal(code, 2);
    assert.match(stderr, /SANDBOX_PORT/);
  });
});
