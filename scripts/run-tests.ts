/**
 * `npm test`: builds the sandbox's sample-database snapshot once (so test files running in
 * parallel do not all generate it), then runs every test file with node's test runner.
 *
 * The spec reporter writes to the terminal; a TAP copy goes to a temporary file from which the
 * last line is printed as a plain `N passed, N failed, N skipped` summary (the spec reporter lists
 * failing and todo tests after its own summary, so its summary is not always last).
 *
 * One sandbox serves every test file that only reads (its address and logins go to the files in
 * TEST_SHARED_SANDBOX, see tests/helpers/database.ts); files that write start their own. At the
 * end the run's wall-clock duration and the peak memory of its whole process tree are printed.
 *
 * Arguments are passed on as file globs: `npm test -- 'tests/unit/**\/*.test.ts'`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareSnapshot } from '../sandbox/engine/index.ts';
import { startSandbox, type Sandbox } from '../sandbox/index.ts';
import { SHARED_SANDBOX_ENV, type SharedSandbox } from '../tests/helpers/database.ts';
import { sampleTreeMemory } from './tree-memory.ts';

const patterns = process.argv.slice(2);
const files = patterns.length > 0 ? patterns : ['tests/**/*.test.ts'];

const runStarted = performance.now();
const memory = sampleTreeMemory(process.pid);
let shared: Sandbox | undefined;
const childEnv: NodeJS.ProcessEnv = { ...process.env };
if (!process.env.MSSQL_TEST_HOST) {
  const started = Date.now();
  process.stderr.write('Preparing the sandbox sample database snapshot…\n');
  await prepareSnapshot();
  // A cancelled statement gets a second before the shared engine thread is replaced: a
  // replacement would also end the sessions of the other files running at that moment.
  shared = await startSandbox({ host: '127.0.0.1', port: 0, cancelGraceMs: 1_000 });
  const address: SharedSandbox = { host: shared.host, port: shared.port, database: shared.database, ...shared.logins };
  childEnv[SHARED_SANDBOX_ENV] = JSON.stringify(address);
  process.stderr.write(`Sandbox snapshot and shared sandbox ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

const dir = mkdtempSync(join(tmpdir(), 'mssql-dr-tests-'));
const tap = join(dir, 'report.tap');
const child = spawn(
  process.execPath,
  [
    '--test',
    '--test-concurrency=2',
    '--test-timeout=300000',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...files,
  ],
  { stdio: 'inherit', env: childEnv },
);
const code = await new Promise<number>((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
await shared?.close();
const peak = memory.stop();
const took = `${((performance.now() - runStarted) / 1000).toFixed(1)} s`;
process.stdout.write(`\nnpm test took ${took}${peak ? `, peak memory ${(peak / 2 ** 20).toFixed(0)} MiB (all processes)` : ''}\n`);

const counts = (() => {
  try {
    const text = readFileSync(tap, 'utf8');
    const read = (name: string): number => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
    return { pass: read('pass'), fail: read('fail') + read('cancelled'), skipped: read('skipped') + read('todo') };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})();
if (counts && Number.isFinite(counts.pass) && Number.isFinite(counts.fail)) {
  process.stdout.write(`\n${counts.pass} passed, ${counts.fail} failed, ${counts.skipped} skipped\n`);
  process.exit(code !== 0 && counts.fail === 0 ? code : counts.fail > 0 ? 1 : code);
}
process.exit(code === 0 ? 1 : code);
