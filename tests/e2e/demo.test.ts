import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { connectClient, search } from './mcp-client.ts';

interface ReadyLine {
  ready: boolean;
  mcpUrl: string;
  sseUrl: string;
  healthUrl: string;
  apiKey: string;
  sandbox: { ready: boolean; host: string; port: number; database: string; logins: { reader: { user: string } } };
}

describe('npm run demo', { skip: process.env.MSSQL_TEST_HOST ? 'the demo always runs the sandbox' : false }, () => {
  it('prints one ready line on stdout, serves MCP with the printed key, and stops cleanly on SIGTERM', { timeout: 300_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'demo-'));
    const child = spawn(process.execPath, ['scripts/demo.ts'], {
      env: { ...process.env, PORT: '0', SANDBOX_PORT: '0', DATA_DIR: dataDir, MCP_API_KEY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const lines = createInterface({ input: child.stdout });
      const first = await new Promise<string>((resolve, reject) => {
        lines.once('line', resolve);
        child.once('exit', () => reject(new Error(`demo exited before ready:\n${stderr}`)));
      });
      const ready = JSON.parse(first) as ReadyLine;
      assert.equal(ready.ready, true);
      assert.equal(ready.sandbox.ready, true);
      assert.ok(ready.sandbox.port > 0);
      assert.ok(ready.apiKey.length >= 16);
      assert.match(ready.mcpUrl, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
      assert.match(ready.sseUrl, /\/sse$/);

      const health = await fetch(ready.healthUrl);
      assert.equal(health.status, 200);
      const client = await connectClient(new URL(ready.mcpUrl), ready.apiKey);
      const { isError, body } = await search(client, 'list tables');
      assert.equal(isError, false);
      assert.ok(body.results.length > 0);
      await client.close();
      assert.match(stderr, /Inspector/);
      assert.match(stderr, /curl/);

      let extra = '';
      lines.on('line', (line) => (extra += line));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
      assert.equal(extra, '', 'stdout carries the ready line only');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
