import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestPki {
  /** PEM of the test CA: what a client must trust. */
  ca: string;
  caPath: string;
  /** Directory with fullchain.pem and privkey.pem, the layout nginx reads. */
  certDir: string;
}

/**
 * A throwaway CA and a server certificate it signed for `names` (DNS names or IP addresses), made
 * with the openssl CLI, written as fullchain.pem/privkey.pem in `dir` (nginx's layout).
 * A negative `days` makes an already expired certificate.
 */
export async function makeTestPki(dir: string, names: string[] = ['localhost', '127.0.0.1'], days = 30): Promise<TestPki> {
  await mkdir(dir, { recursive: true });
  const file = (name: string) => path.join(dir, name);
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=mssql-deep-research test CA',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await run('openssl', [
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-subj',
    `/CN=${names[0] ?? 'localhost'}`,
    '-keyout',
    file('privkey.pem'),
    '-out',
    file('server.csr'),
  ]);
  const san = names.map((n) => (/^[\d.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
  await writeFile(file('ext.cnf'), `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
  // A negative `days` puts notAfter before now: an expired certificate.
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    String(days),
    '-extfile',
    file('ext.cnf'),
    '-out',
    file('cert.pem'),
  ]);
  const cert = await readFile(file('cert.pem'), 'utf8');
  await writeFile(file('fullchain.pem'), cert);
  return { ca: await readFile(file('ca.pem'), 'utf8'), caPath: file('ca.pem'), certDir: dir };
}

/** A self-signed certificate for localhost (what nginx serves before certbot succeeds), in nginx's layout. */
export async function makeSelfSigned(dir: string): Promise<TestPki> {
  await mkdir(dir, { recursive: true });
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout',
    path.join(dir, 'privkey.pem'),
    '-out',
    path.join(dir, 'fullchain.pem'),
  ]);
  const pem = await readFile(path.join(dir, 'fullchain.pem'), 'utf8');
  return { ca: pem, caPath: path.join(dir, 'fullchain.pem'), certDir: dir };
}
