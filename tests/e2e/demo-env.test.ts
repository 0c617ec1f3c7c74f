import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';

/** One tools/call as ChatGPT sends it (2025 era, plain JSON). */
function searchCall(mcpUrl: string, apiKey: string) {
  return fetch(mcpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'search', arguments: { query: 'list tables' } } }),
  });
}

describe('npm run demo with connector variables in its environment (issue 9, item 6)', {
  skip: process.env.MSSQL_TEST_HOST ? 'the demo always runs the sandbox' : false,
}, () => {
  it('applies RATE_LIMIT_PER_MINUTE, ENVIRONMENT_PATH and LOG_LEVEL from the environment over its own defaults', {
    timeout: 300_000,
  }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'demo-env-'));
    const child = spawn(process.execPath, ['scripts/demo.ts'], {
      env: {
        ...process.env,
        PORT: '0',
        SANDBOX_PORT: '0',
        DATA_DIR: dataDir,
        MCP_API_KEY: '',
        RATE_LIMIT_PER_MINUTE: '2',
        ENVIRONMENT_PATH: '/chatgpt',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const first = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once('line', resolve);
        child.once('exit', () => reject(new Error(`demo exited before ready:\n${stderr}`)));
      });
      const ready = JSON.parse(first) as { mcpUrl: string; apiKey: string };
      assert.match(ready.mcpUrl, /\/chatgpt\/mcp$/, 'ENVIRONMENT_PATH reached the connector');
      const statuses: number[] = [];
      for (let call = 0; call < 3; call += 1) {
        const response = await searchCall(ready.mcpUrl, ready.apiKey);
        await response.arrayBuffer();
        statuses.push(response.status);
      }
      assert.deepEqual(statuses, [200, 200, 429], 'RATE_LIMIT_PER_MINUTE=2 reached the connector');
      assert.match(stderr, /"msg":"tool_call"/, 'LOG_LEVEL=info (the demo default is warn) reached the connector');
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
