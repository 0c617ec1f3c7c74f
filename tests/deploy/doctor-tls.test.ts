/**
 * The doctor's TLS check over real TLS sockets: a local HTTPS server presents certificates from a
 * throwaway CA (trusted through --ca, as in a test) that are valid, expired or for another name.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { tlsCheck } from '../../src/doctor/checks/network.ts';
import { createDoctorContext } from '../../src/doctor/context.ts';
import { parseTarget } from '../../src/doctor/target.ts';
import { makeTestPki } from './helpers/tls.ts';

let dir: string;
const servers: https.Server[] = [];
before(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'doctor-tls-'));
});
after(async () => {
  for (const s of servers) await new Promise((r) => s.close(r));
  await rm(dir, { recursive: true, force: true });
});

/** An HTTPS server on 127.0.0.1 with a certificate for `names`, valid for `days`; returns its URL and CA. */
async function serve(name: string, names: string[], days: number): Promise<{ url: string; ca: string }> {
  const pki = await makeTestPki(path.join(dir, name), names, days);
  const server = https.createServer(
    { key: await readFile(path.join(pki.certDir, 'privkey.pem')), cert: await readFile(path.join(pki.certDir, 'fullchain.pem')) },
    (_req, res) => res.end('ok'),
  );
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `https://localhost:${(server.address() as AddressInfo).port}/chatgpt/mcp`, ca: pki.ca };
}

const table: { name: string; names: string[]; days: number; useCa: boolean; status: string; detail: RegExp }[] = [
  {
    name: 'valid, CA trusted through --ca',
    names: ['localhost'],
    days: 30,
    useCa: true,
    status: 'WARN',
    detail: /trusted only through --ca/,
  },
  { name: 'valid, CA not trusted', names: ['localhost'], days: 30, useCa: false, status: 'FAIL', detail: /not issued by a trusted CA/ },
  { name: 'expired', names: ['localhost'], days: -1, useCa: true, status: 'FAIL', detail: /certificate expired/ },
  { name: 'for another name', names: ['data.example.com'], days: 30, useCa: true, status: 'FAIL', detail: /does not name localhost/ },
];

for (const row of table) {
  test(`a certificate ${row.name} is ${row.status}: ${row.detail.source}`, async () => {
    const { url, ca } = await serve(row.name.replace(/\W+/g, '-'), row.names, row.days);
    const ctx = createDoctorContext({ target: parseTarget(url), http: row.useCa ? { ca } : {} });
    const [result] = await tlsCheck.run(ctx);
    assert.equal(result?.status, row.status, JSON.stringify(result));
    assert.match(String(result?.detail), row.detail);
    if (row.status === 'FAIL') {
      assert.match(String(result?.fix), /Error creating connector/);
      assert.equal(ctx.http.insecure, true, 'later checks go on without verification');
    }
  });
}
