import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { generate } from 'selfsigned';
import { certificateHealth } from '../../../src/oauth/core/admin-health.ts';
import { createActivityLog } from '../../../src/telemetry/activity.ts';
import { bearerMatches } from '../../../src/telemetry/metrics-server.ts';
import { toolOutcome } from '../../../src/telemetry/tool-observer.ts';

const dir = mkdtempSync(join(tmpdir(), 'console-parts-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const DAY = 86_400_000;

describe('certificate health on the console', async () => {
  const notAfter = new Date(Date.now() + 40 * DAY);
  const { cert } = await generate([{ name: 'commonName', value: 'data.example.com' }], { keySize: 2048, notAfterDate: notAfter });
  const file = join(dir, 'fullchain.pem');
  writeFileSync(file, cert);

  const cases: [string, number, 'ok' | 'warning' | 'failing', RegExp][] = [
    ['40 days ahead of expiry', Date.now(), 'ok', /^(39|40) day\(s\) left/],
    ['10 days ahead of expiry', notAfter.getTime() - 10 * DAY - 1000, 'warning', /^10 day\(s\) left/],
    ['after expiry', notAfter.getTime() + 3 * DAY + 1000, 'failing', /^expired 3 day\(s\) ago/],
  ];
  for (const [when, now, state, detail] of cases) {
    it(`reads the days left from the PEM file: ${when} → ${state}`, async () => {
      const item = await certificateHealth(file, now);
      assert.equal(item.state, state);
      assert.match(item.detail, detail);
    });
  }

  it('says unknown, and why, without a file, for a missing file and for a file that is not PEM', async () => {
    assert.match((await certificateHealth(undefined, Date.now())).detail, /^unknown: set TLS_CERT_FILE/);
    assert.match((await certificateHealth(join(dir, 'missing.pem'), Date.now())).detail, /^unknown: file not found/);
    writeFileSync(join(dir, 'junk.pem'), 'not a certificate');
    const junk = await certificateHealth(join(dir, 'junk.pem'), Date.now());
    assert.equal(junk.state, 'unknown');
    assert.match(junk.detail, /not a readable PEM certificate/);
  });
});

describe('recent activity ring', () => {
  it('keeps only the newest entries, newest first, and cuts long inputs', () => {
    const log = createActivityLog(3);
    for (let i = 1; i <= 5; i++)
      log.record({ at: i, tool: 'search', principal: 'p', outcome: 'ok', rows: i, durationMs: 1, input: 'x'.repeat(2000) });
    assert.deepEqual(
      log.recent().map((entry) => entry.rows),
      [5, 4, 3],
    );
    assert.equal(log.recent()[0]?.input?.length, 500);
  });
});

describe('tool outcome classification', () => {
  const table: [Parameters<typeof toolOutcome>[0], string][] = [
    [{ ok: true, stats: { rows: 1 } }, 'ok'],
    [{ ok: false, code: 'READ_ONLY_VIOLATION', stats: { rows: 0 } }, 'refused'],
    [{ ok: false, code: 'SQL_PARSE_ERROR', stats: { rows: 0 } }, 'refused'],
    [{ ok: false, code: 'SQL_TOO_LONG', stats: { rows: 0 } }, 'refused'],
    [{ ok: false, code: 'OBJECT_NOT_ALLOWED', stats: { rows: 0 } }, 'refused'],
    [{ ok: false, code: 'QUERY_TIMEOUT', stats: { rows: 0 } }, 'timeout'],
    [{ ok: false, code: 'NOT_FOUND', stats: { rows: 0 } }, 'tool_error'],
    [{ ok: false, code: 'BUSY', stats: { rows: 0 } }, 'tool_error'],
  ];
  for (const [outcome, expected] of table) {
    it(`${outcome.ok ? 'ok' : outcome.code} → ${expected}`, () => assert.equal(toolOutcome(outcome), expected));
  }
});

describe('metrics bearer check', () => {
  const token = 'a'.repeat(24);
  const table: [string | undefined, boolean][] = [
    [`Bearer ${token}`, true],
    [`bearer   ${token}`, true],
    [`Bearer ${token}a`, false],
    [`Bearer ${token.slice(1)}`, false],
    [`Basic ${token}`, false],
    ['Bearer ', false],
    [undefined, false],
  ];
  for (const [header, expected] of table) {
    it(`${JSON.stringify(header)} → ${expected}`, () => assert.equal(bearerMatches(header, token), expected));
  }
});
