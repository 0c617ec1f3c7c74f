import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createGuard } from '../../../src/sql-guard/index.ts';
import { RESERVED } from '../../../src/sql-guard/word-rules.ts';

/** SQL Server's system objects, shipped as data (tests/data/sqlserver-system-objects.txt). */
const objects = readFileSync(new URL('../../data/sqlserver-system-objects.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '' && !l.startsWith('#'))
  .map((l) => {
    const [name = '', type = '', cls = ''] = l.split('\t');
    return { name, type, cls };
  });

const guard = createGuard({ maxLength: 20_000, rowCap: 100, denySchemas: [], denyTables: [] });
const CLASS_TAG = /\((log|sessions|secrets|server|procedures|external|databases)\)/;
const mixed = (s: string): string => [...s].map((ch, i) => (i % 2 === 0 ? ch.toUpperCase() : ch.toLowerCase())).join('');

/** Every way a query can name the object: schema-qualified, bracketed, quoted, any case, another database, nested. */
function spellings(name: string, type: string): string[] {
  const upper = name.toUpperCase();
  const lower = name.toLowerCase();
  if (type === 'FN') {
    return [
      `SELECT ${name}(1) AS x`,
      `SELECT ${lower}(1) AS x`,
      `SELECT ${mixed(name)}(1, 2) AS x`,
      `SELECT sys.${lower}(1) AS x`,
      `SELECT o.name FROM sys.objects AS o WHERE ${upper}(o.name) IS NOT NULL`,
      `SELECT (SELECT ${lower}(1)) AS x`,
    ];
  }
  const call = type === 'TF' || type === 'IF' ? '(NULL, NULL)' : '';
  const forms = [
    `SELECT * FROM sys.${lower}${call}`,
    `SELECT * FROM [sys].[${lower}]${call}`,
    `SELECT * FROM "sys"."${lower}"${call}`,
    `SELECT * FROM SYS.${upper}${call}`,
    `SELECT * FROM Sys.${mixed(name)}${call}`,
    `SELECT * FROM master.sys.${lower}${call}`,
    `SELECT * FROM [ｓｙｓ].[${lower}]${call}`,
    `SELECT * FROM ${'RetailDB'}.[sys].${upper}${call}`,
    `SELECT name FROM sys.objects WHERE EXISTS (SELECT 1 FROM sys.${lower}${call})`,
    `WITH c AS (SELECT * FROM sys.${lower}${call}) SELECT * FROM c`,
  ];
  // One-part names: built-in table functions and the backward-compatibility and DM views resolve without a schema.
  if (type !== 'V' || /^(sys|dm_)/i.test(name)) forms.push(`SELECT * FROM ${lower}${call}`, `SELECT * FROM master..${lower}${call}`);
  // Backward-compatibility views also live in dbo of every database.
  if (/^sys/i.test(name)) forms.push(`SELECT * FROM dbo.${lower}`, `SELECT * FROM master.dbo.${upper}`);
  return forms;
}

describe('SQL Server system objects shipped as data: dangerous ones refused in every spelling, the rest accepted', () => {
  const byClass = Map.groupBy(objects, (o) => o.cls);
  test('the data file lists every class and several hundred objects', () => {
    assert.ok(objects.length > 400);
    for (const cls of ['allowed', 'log', 'sessions', 'secrets', 'server', 'procedures', 'external'])
      assert.ok((byClass.get(cls)?.length ?? 0) > 0, cls);
  });
  for (const [cls, group] of byClass) {
    if (cls === 'allowed') continue;
    test(`refuses every "${cls}" object (${group.length}) in every spelling, naming its class`, () => {
      const accepted: string[] = [];
      for (const o of group) {
        for (const sql of spellings(o.name, o.type)) {
          const v = guard.check(sql);
          if (v.ok) accepted.push(sql);
          else if (!RESERVED.has(o.name.toUpperCase()) && !CLASS_TAG.test(v.reason))
            accepted.push(`${sql} (refused for another reason: ${v.reason})`);
        }
      }
      assert.deepEqual(accepted, []);
    });
  }
  test(`accepts the catalog views and metadata functions that describe this database (${byClass.get('allowed')?.length})`, () => {
    const refused: string[] = [];
    for (const o of byClass.get('allowed') ?? []) {
      const sql =
        o.type === 'FN'
          ? `SELECT ${o.name}(1) AS x`
          : o.type === 'V'
            ? `SELECT * FROM sys.${o.name}`
            : `SELECT * FROM sys.${o.name}(NULL, NULL)`;
      const v = guard.check(sql);
      if (!v.ok) refused.push(`${sql}: ${v.reason}`);
    }
    assert.deepEqual(refused, []);
  });
});
