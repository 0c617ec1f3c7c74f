import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSecureContext, type SecureContext } from 'node:tls';
import { generate } from 'selfsigned';

interface Pems {
  private: string;
  cert: string;
}

/**
 * A self-signed certificate for the sandbox's TLS, like the one SQL Server generates for itself
 * when none is configured; clients accept it with `trustServerCertificate: true`. Generated with
 * an EC key (milliseconds), and kept in `cacheDir` when given so restarts reuse it.
 */
export async function sandboxSecureContext(options: { host: string; cacheDir?: string }): Promise<SecureContext> {
  const file = options.cacheDir ? join(options.cacheDir, 'tls-certificate.json') : undefined;
  let pems: Pems | undefined;
  if (file) {
    try {
      pems = JSON.parse(await readFile(file, 'utf8')) as Pems;
    } catch {
      pems = undefined;
    }
  }
  if (!pems) {
    const notAfter = new Date(Date.now() + 365 * 24 * 3600 * 1000);
    const generated = await generate([{ name: 'commonName', value: 'tds-sandbox' }], {
      keyType: 'ec',
      notAfterDate: notAfter,
      extensions: [
        { name: 'basicConstraints', cA: false },
        {
          name: 'subjectAltName',
          altNames: [
            { type: 2, value: 'localhost' },
            { type: 7, ip: '127.0.0.1' },
          ],
        },
      ],
    });
    pems = { private: generated.private, cert: generated.cert };
    if (file && options.cacheDir) {
      await mkdir(options.cacheDir, { recursive: true });
      await writeFile(file, JSON.stringify(pems), { mode: 0o600 });
    }
  }
  // TLS inside PRELOGIN is at most 1.2 on SQL Server (1.3 only with TDS 8's TLS-first "strict"
  // mode); FreeTDS and ODBC drivers hang after a 1.3 handshake in PRELOGIN packets.
  return createSecureContext({ key: pems.private, cert: pems.cert, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' });
}
