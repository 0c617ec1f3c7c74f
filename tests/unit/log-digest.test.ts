import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadLogDigestKey, logDigest } from '../../src/log-digest.ts';
import { createLogger } from '../../src/logger.ts';

function lineOf(key: Uint8Array | undefined, text: string): Record<string, unknown> {
  const lines: string[] = [];
  const logger = createLogger({ level: 'info', write: (line) => lines.push(line), ...(key ? { digestKey: key } : {}) });
  logger.info('event', { input_hmac: logDigest(text) });
  return JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
}

describe('log digests of query text and usernames', () => {
  const texts = ['SELECT * FROM hr.Employees', 'SELECT 1', 'alice', '', 'ünïcødé 𝔘', 'x'.repeat(100_000)];
  for (const text of texts) {
    it(`writes ${JSON.stringify(text.slice(0, 30))} as a 128-bit keyed digest, never the text or its unkeyed hash`, () => {
      const line = JSON.stringify(lineOf(Buffer.alloc(32, 7), text));
      const digest = String(lineOf(Buffer.alloc(32, 7), text).input_hmac);
      assert.match(digest, /^[0-9a-f]{32}$/);
      if (text.length > 3) assert.ok(!line.includes(text));
      for (const bits of [16, 32, 64]) assert.ok(!line.includes(createHash('sha256').update(text).digest('hex').slice(0, bits)));
    });
  }

  it('the same text gives the same digest under one key and different digests under two keys', () => {
    const a = Buffer.alloc(32, 1);
    const b = Buffer.alloc(32, 2);
    assert.equal(lineOf(a, 'SELECT 1').input_hmac, lineOf(a, 'SELECT 1').input_hmac);
    assert.notEqual(lineOf(a, 'SELECT 1').input_hmac, lineOf(b, 'SELECT 1').input_hmac);
    assert.notEqual(
      lineOf(undefined, 'SELECT 1').input_hmac,
      lineOf(undefined, 'SELECT 1').input_hmac,
      'without a key: a random one per logger',
    );
  });

  it('child loggers digest with their parent key', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', write: (line) => lines.push(line) });
    logger.info('a', { d: logDigest('q') });
    logger.child({ request_id: 'r' }).info('b', { d: logDigest('q') });
    const [first, second] = lines.map((line) => (JSON.parse(line) as { d: string }).d);
    assert.equal(first, second);
  });

  it('generates the key once in DATA_DIR (mode 0600) and reads the same key after a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'log-key-'));
    try {
      const dataDir = join(dir, 'data');
      const first = loadLogDigestKey({ dataDir });
      const second = loadLogDigestKey({ dataDir });
      assert.deepEqual(Buffer.from(second), Buffer.from(first));
      assert.equal(first.length, 32);
      assert.equal(statSync(join(dataDir, 'log-hash.key')).mode & 0o777, 0o600);
      assert.ok(readFileSync(join(dataDir, 'log-hash.key'), 'utf8').trim().length >= 43);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uses LOG_HASH_SECRET when configured, so replicas agree, and writes no key file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'log-key-'));
    try {
      const secret = 's'.repeat(40);
      assert.deepEqual(Buffer.from(loadLogDigestKey({ secret, dataDir: dir })), Buffer.from(secret));
      assert.throws(() => statSync(join(dir, 'log-hash.key')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
