import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { databaseEnv, startTestDatabase } from '../helpers/database.ts';

/** Runs `node src/index.ts` (what `npm start` runs after the build) with exactly this environment. */
function runCli(env: Record<string, string>) {
  const child = spawn(process.execPath, ['src/index.ts'], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

describe('the server CLI (node src/index.ts)', () => {
  it('stops with exit code 1 and a message naming the variable on a bad configuration', async () => {
    const run = runCli({
      MSSQL_HOST: 'h',
      MSSQL_USER: 'u',
      MSSQL_PASSWORD: 'p',
      MSSQL_DATABASE: 'd',
      MCP_API_KEY: 'k'.repeat(20),
      MSSQL_ENCRYPT: 'perhaps',
    });
    assert.equal(await run.exited, 1);
    assert.match(run.stderr(), /^Configuration error: MSSQL_ENCRYPT: must be true\/false\/1\/0\/yes\/no/);
  });

  it('logs JSON lines on stdout, serves health, and exits 0 on SIGTERM', { timeout: 120_000 }, async () => {
    const database = await startTestDatabase();
    const dataDir = mkdtempSync(join(tmpdir(), 'cli-'));
    const run = runCli({
      HOST: '127.0.0.1',
      PORT: '0',
      ...databaseEnv(database, database.reader),
      MCP_API_KEY: randomBytes(18).toString('base64url'),
      DATA_DIR: dataDir,
    });
    try {
      const lines = createInterface({ input: run.child.stdout });
      let listening: { url: string } | undefined;
      for await (const line of lines) {
        const record = JSON.parse(line) as { msg: string; url: string };
        if (record.msg === 'listening') {
          listening = record;
          break;
        }
      }
      assert.ok(listening, run.stderr());
      const health = await fetch(`${listening.url}/health`);
      assert.equal(health.status, 200);
      run.child.kill('SIGTERM');
      assert.equal(await run.exited, 0);
      assert.match(run.stderr(), /SIGTERM received/);
    } finally {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
      await database.close();
    }
  });
});
