import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { httpRequest } from '../../../src/doctor/http.ts';
import { freePort } from './nginx.ts';
import { makeTestPki } from './tls.ts';

export interface RunningPebble {
  /** ACME directory URL, for certbot --server. */
  directoryUrl: string;
  /** CA bundle that verifies pebble's own HTTPS listener (REQUESTS_CA_BUNDLE for certbot). */
  listenerCaPath: string;
  /** PEM of the root that signs the certificates pebble issues (from its management API). */
  issuingRoot(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Debian's pebble (a real ACME server, RFC 8555) on free loopback ports. http-01 challenges are
 * validated against `httpPort` on the requested name, so pointing it at nginx's port 80 stand-in
 * exercises the real webroot path. No random sleeps or nonce rejections: tests stay fast.
 */
export async function startPebble(dir: string, httpPort: number): Promise<RunningPebble> {
  const pki = await makeTestPki(path.join(dir, 'pebble-tls'), ['localhost', '127.0.0.1', 'pebble']);
  const port = await freePort();
  const management = await freePort();
  const config = path.join(dir, 'pebble-config.json');
  await writeFile(
    config,
    JSON.stringify({
      pebble: {
        listenAddress: `127.0.0.1:${port}`,
        managementListenAddress: `127.0.0.1:${management}`,
        certificate: path.join(pki.certDir, 'fullchain.pem'),
        privateKey: path.join(pki.certDir, 'privkey.pem'),
        httpPort,
        tlsPort: await freePort(),
        ocspResponderURL: '',
        externalAccountBindingRequired: false,
      },
    }),
  );
  const child = spawn('/usr/bin/pebble', ['-config', config], {
    env: { ...process.env, PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0', PEBBLE_VA_ALWAYS_VALID: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  const directoryUrl = `https://127.0.0.1:${port}/dir`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const res = await httpRequest(directoryUrl, {}, { ca: pki.ca, timeoutMs: 1000 });
      if (res.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`pebble did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    directoryUrl,
    listenerCaPath: pki.caPath,
    issuingRoot: async () => (await httpRequest(`https://127.0.0.1:${management}/roots/0`, {}, { ca: pki.ca })).body,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
