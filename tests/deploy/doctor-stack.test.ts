/**
 * `npm run doctor` (the real CLI) against the real nginx + connector + sandbox: a correct
 * deployment passes; one with a self-signed certificate and SSE buffering switched on reports
 * exactly those FAILs, with their fixes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runDoctorCli } from './helpers/doctor-cli.ts';
import { startDeployStack } from './helpers/stack.ts';
import type { DeployStack } from './helpers/stack.ts';

const doctor = runDoctorCli;

const statusOf = (lines: string[], name: string) => lines.find((l) => l.split(' — ')[0]?.replace(/^\w+ /, '') === name)?.split(' ')[0];

describe('doctor against a correct deployment', () => {
  let dir: string;
  let stack: DeployStack;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'doctor-good-'));
    stack = await startDeployStack(dir);
  });
  after(async () => {
    await stack?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('passes every check (the test CA only WARNs), including search and fetch, and exits 0', async () => {
    const result = await doctor([`${stack.origin}/chatgpt/mcp`, '--ca', stack.caPath, `--api-key=${stack.apiKey}`]);
    assert.equal(result.code, 0, result.output);
    assert.ok(!result.lines.some((l) => l.startsWith('FAIL')), result.output);
    assert.equal(statusOf(result.lines, 'tls'), 'WARN', result.output);
    for (const name of [
      'mcp HEAD',
      'mcp GET',
      'mcp OPTIONS',
      '401 challenge /chatgpt/mcp',
      '401 challenge /chatgpt/sse',
      'discovery /.well-known/oauth-authorization-server/chatgpt',
      'discovery /.well-known/oauth-protected-resource/chatgpt/mcp',
      'discovery HEAD',
      'issuer consistency',
      'registration',
      'sse unbuffered',
      'tools/list',
      'search',
      'fetch',
      'clock',
      'database',
    ]) {
      assert.equal(statusOf(result.lines, name), 'PASS', `${name}\n${result.output}`);
    }
  });

  test('without the test CA, TLS fails and says why ChatGPT would refuse the connector; other checks still run', async () => {
    const result = await doctor([`${stack.origin}/chatgpt/mcp`, '--no-register']);
    assert.equal(result.code, 1);
    const tls = result.lines.find((l) => l.startsWith('FAIL tls'));
    assert.match(String(tls), /not issued by a trusted CA.*Error creating connector/);
    assert.equal(statusOf(result.lines, 'discovery /.well-known/oauth-authorization-server/chatgpt'), 'PASS', result.output);
    assert.equal(statusOf(result.lines, 'registration'), 'SKIP');
  });

  test('a wrong prefix is a FAIL that names the URL to use', async () => {
    const result = await doctor([`${stack.origin}/wrong/mcp`, '--ca', stack.caPath, '--no-register']);
    assert.equal(result.code, 1);
    assert.match(result.output, /FAIL mcp GET — GET .*\/wrong\/mcp → 404/);
  });

  test('when the database goes away, the database check FAILs and names the variables to check (runs last)', async () => {
    await stack.server.database.close();
    // /health serves the last probe and probes the database at most every 5 s (issue 10 item 13).
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    const result = await doctor([`${stack.origin}/chatgpt/mcp`, '--ca', stack.caPath, '--no-register']);
    assert.equal(result.code, 1);
    assert.match(result.output, /^FAIL database — the connector cannot reach its database.* — check MSSQL_HOST/m);
  });
});

describe('doctor against a broken deployment (self-signed certificate, SSE buffered)', () => {
  let dir: string;
  let stack: DeployStack;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'doctor-broken-'));
    stack = await startDeployStack(dir, {
      selfSigned: true,
      transform: (name, text) =>
        name === 'streaming.conf'
          ? text.replace('proxy_buffering off;', 'proxy_buffering on;\nproxy_ignore_headers X-Accel-Buffering;')
          : text,
    });
  });
  after(async () => {
    await stack?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('reports the self-signed certificate and the buffered stream as FAILs with fixes, and exits 1', async () => {
    const result = await doctor([`${stack.origin}/chatgpt/mcp`, `--api-key=${stack.apiKey}`, '--no-register']);
    assert.equal(result.code, 1, result.output);
    assert.match(
      result.output,
      /^FAIL tls — self-signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\) — this is the most common reason ChatGPT says "Error creating connector"/m,
    );
    assert.match(result.output, /^FAIL sse unbuffered — .*buffer.* — proxy_buffering off/m);
    assert.equal(statusOf(result.lines, 'issuer consistency'), 'PASS', result.output);
  });
});
