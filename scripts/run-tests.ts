/**
 * `npm test`: builds the sandbox's sample-database snapshot once (so test files running in
 * parallel do not all generate it), then runs every test file with node's test runner. The last
 * lines printed are the runner's summary.
 *
 * Arguments are passed on as file globs: `npm test -- tests/unit/**\/*.test.ts`.
 */
import { spawn } from 'node:child_process';
import { prepareSnapshot } from '../sandbox/engine/index.ts';

const patterns = process.argv.slice(2);
const files = patterns.length > 0 ? patterns : ['tests/**/*.test.ts'];

if (!process.env.MSSQL_TEST_HOST) {
  const started = Date.now();
  process.stderr.write('Preparing the sandbox sample database snapshot…\n');
  await prepareSnapshot();
  process.stderr.write(`Sandbox snapshot ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

const child = spawn(
  process.execPath,
  ['--test', '--test-concurrency=2', '--test-timeout=300000', ...files],
  { stdio: 'inherit' },
);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
