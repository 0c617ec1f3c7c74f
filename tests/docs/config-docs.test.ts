import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseEnvExample, withTable } from '../../scripts/config-table.ts';
import { configVariableNames } from '../../src/config.ts';

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const envExample = read('.env.example');
const variables = parseEnvExample(envExample);
const names = new Set(variables.map((v) => v.name));
const compose = read('docker-compose.yml') + read('docker-compose.scale.yml');

/** Read by the connector for compatibility with the ecosystem's spelling; documented with MSSQL_TRUST_SERVER_CERTIFICATE. */
const ALIASES = new Set(['TrustServerCertificate']);

describe('configuration documentation', () => {
  it('lists in .env.example every variable the connector reads', () => {
    const missing = configVariableNames.filter((name) => !ALIASES.has(name) && !names.has(name));
    assert.deepEqual(missing, []);
  });

  it('lists in .env.example only variables the connector or the compose files read', () => {
    const known = new Set(configVariableNames);
    const unknown = [...names].filter((name) => !known.has(name) && !compose.includes(`\${${name}`));
    assert.deepEqual(unknown, []);
  });

  it('gives every variable in .env.example a one-line comment', () => {
    assert.deepEqual(
      variables.filter((v) => v.description.trim() === '').map((v) => v.name),
      [],
    );
  });

  it('has the README configuration table rendered from the current .env.example', () => {
    const readme = read('README.md');
    assert.equal(readme, withTable(readme, envExample), 'run: node scripts/config-table.ts --write');
  });

  it('names the alias TrustServerCertificate next to MSSQL_TRUST_SERVER_CERTIFICATE', () => {
    const v = variables.find((x) => x.name === 'MSSQL_TRUST_SERVER_CERTIFICATE');
    assert.match(v?.description ?? '', /TrustServerCertificate/);
  });
});
