import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, it } from 'node:test';

/**
 * The entry points must tell a person on an older Node exactly what is wrong, before Node trips
 * over the TypeScript sources. This runs them with the machine's own older Node (Debian's or the
 * image's /usr/bin/node), found at run time.
 */
const root = new URL('../../', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { scripts: Record<string, string> };

function findOldNode(): { bin: string; version: string } | undefined {
  for (const bin of ['/usr/bin/node', '/usr/local/bin/node']) {
    if (!existsSync(bin)) continue;
    const version = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
    if (Number(version.slice(1).split('.')[0]) < 24) return { bin, version };
  }
  return undefined;
}

const oldNode = findOldNode();
const nodeScripts = Object.entries(pkg.scripts).filter(([, command]) => command.startsWith('node '));

describe('Node version check', () => {
  it('every npm script that starts node preloads the version check first', () => {
    assert.ok(nodeScripts.length >= 8);
    // `--watch` runs the preload in its child only and would keep waiting, so `dev` checks first.
    for (const [name, command] of nodeScripts)
      assert.match(command, /^node (-r \.\/scripts\/require-node\.cjs |scripts\/require-node\.cjs && node )/, name);
  });

  it('engine-strict makes npm ci refuse an older Node (.npmrc)', () => {
    assert.match(readFileSync(`${root}.npmrc`, 'utf8'), /^engine-strict=true$/m);
  });

  const older = oldNode ? `with the machine's ${oldNode.version}` : 'skipped: no Node older than 24 on this machine';
  it(`npm run <script> ${older} prints the requirement and exits 1 for every entry point`, { skip: !oldNode }, () => {
    const env = { ...process.env, PATH: `${dirname(oldNode!.bin)}:/usr/bin:/bin` };
    for (const [name] of nodeScripts) {
      const run = spawnSync('npm', ['run', '-s', name], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
      assert.equal(run.status, 1, `${name}: ${run.stderr}`);
      assert.match(
        run.stderr,
        new RegExp(`^Node\\.js 24 or later is required \\(found ${oldNode!.version.replace(/\./g, '\\.')}\\)`),
        name,
      );
      assert.doesNotMatch(run.stderr, /ERR_UNKNOWN_FILE_EXTENSION/, name);
    }
  });

  it(`npm ci ${older} refuses with the required engine`, { skip: !oldNode }, () => {
    const env = { ...process.env, PATH: `${dirname(oldNode!.bin)}:/usr/bin:/bin` };
    const run = spawnSync('npm', ['ci', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund'], {
      cwd: root,
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /EBADENGINE/);
    assert.match(run.stderr, /"node":">=24"/);
  });
});
