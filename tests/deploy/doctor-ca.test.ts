/** `npm run doctor -- --ca FILE`: a file that cannot serve as a CA is refused up front, saying why. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { generate } from 'selfsigned';
import { readCaFile } from '../../src/doctor/ca-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'doctor-ca-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const pem = (await generate([{ name: 'commonName', value: 'test-ca' }], { keySize: 2048 })).cert;

describe('doctor --ca', () => {
  const cases: Array<[string, () => string, RegExp]> = [
    ['a missing file', () => join(dir, 'nope.pem'), /cannot read --ca .*nope\.pem: no such file$/],
    ['a directory', () => dir, /is a directory/],
    ['an empty file', () => file('empty.pem', ''), /is empty/],
    ['a file of blanks', () => file('blank.pem', ' \n\n'), /is empty/],
    [
      'a private key instead of a certificate',
      () => file('key.pem', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'),
      /holds no PEM certificate/,
    ],
    ['DER bytes', () => file('ca.der', '0\u0082\u0003\u00e70\u0082'), /holds no PEM certificate.*openssl x509 -inform der/],
    [
      'a damaged certificate',
      () => file('bad.pem', '-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n'),
      /certificate 1 of 1 cannot be parsed/,
    ],
  ];
  for (const [name, path, message] of cases) {
    it(`refuses ${name} with a message that says so`, () => {
      assert.throws(() => readCaFile(path()), message);
    });
  }

  it('refuses an unreadable file (permission denied) when not running with root privileges', {
    skip: process.getuid?.() === 0 ? 'root reads any file' : false,
  }, () => {
    const path = file('secret.pem', pem);
    chmodSync(path, 0o000);
    assert.throws(() => readCaFile(path), /permission denied/);
  });

  it('accepts a bundle of PEM certificates with text around them', () => {
    const text = readCaFile(file('bundle.pem', `# company CA\n${pem}\nsome note\n${pem}`));
    assert.equal(text.match(/BEGIN CERTIFICATE/g)?.length, 2);
  });

  it('the CLI exits 2 with the reason before contacting anything', () => {
    const run = spawnSync(process.execPath, ['src/doctor/main.ts', '--ca', file('empty2.pem', ''), 'https://127.0.0.1:9/chatgpt/mcp'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^--ca .*empty2\.pem is empty/);
    assert.equal(run.stdout, '');
  });
});
