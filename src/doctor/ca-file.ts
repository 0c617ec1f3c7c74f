import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Reads the `--ca` file: PEM certificates the doctor trusts besides the system's. An unreadable,
 * empty or non-certificate file is an error that says which, instead of a TLS failure later that
 * would blame the server.
 */
export function readCaFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'is a directory'
            : (error as Error).message;
    throw new Error(`cannot read --ca ${path}: ${why}`, { cause: error });
  }
  if (text.trim() === '') throw new Error(`--ca ${path} is empty: give the PEM file of the CA that signed the server's certificate`);
  const blocks = text.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0)
    throw new Error(
      `--ca ${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----); convert DER with: openssl x509 -inform der -in ca.cer -out ca.pem`,
    );
  for (const [index, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch {
      throw new Error(`--ca ${path}: certificate ${index + 1} of ${blocks.length} cannot be parsed`);
    }
  }
  return blocks.join('\n');
}
