/**
 * Which host addresses docker-compose.yml publishes on, read statically (no Docker engine here):
 * each `ports:` entry is expanded with compose's `${VAR:-default}` rule against an env file.
 * The demo carries a published API key and operator password, so it must stay on loopback.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

function parseEnv(text: string): Map<string, string> {
  const env = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match?.[1]) env.set(match[1], (match[2] ?? '').replace(/^'(.*)'$/, '$1'));
  }
  return env;
}

/** Every published port of the compose file, expanded (compose's `${VAR:-default}`: unset or empty → default). */
function publishedPorts(compose: string, env: Map<string, string>): string[] {
  const entries: string[] = [];
  const lines = compose.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s+ports:\s*$/.test(lines[i] ?? '')) continue;
    for (let j = i + 1; j < lines.length && /^\s+- /.test(lines[j] ?? ''); j++) {
      const raw = (lines[j] ?? '').replace(/^\s+- /, '').replace(/^"(.*)"$/, '$1');
      entries.push(
        raw.replace(/\$\{([A-Z_]+)(?::-([^}]*))?\}/g, (_m, name: string, fallback?: string) => env.get(name) || (fallback ?? '')),
      );
    }
  }
  return entries;
}

const compose = read('docker-compose.yml');

describe('docker-compose.yml published ports', () => {
  const cases: Array<{ envFile: string; address: string }> = [
    { envFile: '.env.demo', address: '127.0.0.1' },
    { envFile: '.env.example', address: '0.0.0.0' },
  ];
  for (const { envFile, address } of cases) {
    it(`publishes every port on ${address} with ${envFile}`, () => {
      const ports = publishedPorts(compose, parseEnv(read(envFile)));
      assert.ok(ports.length >= 2, `expected the nginx ports, found ${JSON.stringify(ports)}`);
      for (const port of ports) assert.match(port, new RegExp(`^${address.replaceAll('.', '\\.')}:\\d+:\\d+$`), port);
    });
  }

  it('publishes nothing on an address that is not configurable (every entry starts with ${PUBLISH_ADDRESS})', () => {
    const ports = publishedPorts(compose, new Map([['PUBLISH_ADDRESS', 'ADDR']]));
    assert.deepEqual(
      ports.filter((port) => !port.startsWith('ADDR:')),
      [],
    );
  });
});
