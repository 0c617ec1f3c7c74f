/**
 * `npm run doctor -- <url> [options]`: checks a live deployment from the outside, the way ChatGPT
 * does, and prints one line per check: `PASS|WARN|FAIL|SKIP name — detail — fix`. Exits 1 when any
 * check FAILs. The only doctor module that reads argv and the environment.
 */
import { parseArgs } from 'node:util';
import { readCaFile } from './ca-file.ts';
import { defaultChecks } from './checks/index.ts';
import { createDoctorContext } from './context.ts';
import { exitCodeFor, formatResult, runChecks, summary } from './report.ts';
import { parseTarget } from './target.ts';

const usage = `usage: npm run doctor -- <url> [options]
  <url>                        what you give ChatGPT, e.g. https://data.example.com/chatgpt/mcp
  --api-key=KEY                also check the SSE stream and a search/fetch round trip
                               (write it with =, as a key may start with -; or DOCTOR_API_KEY)
  --ca FILE                    trust this CA too (a test or company CA); ChatGPT would not
  --insecure-skip-tls-verify   do not verify certificates for the checks after TLS
  --no-register                do not register an OAuth client
  --query TEXT                 the search to run (default: customer)
`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${usage}`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      'api-key': { type: 'string' },
      ca: { type: 'string' },
      'insecure-skip-tls-verify': { type: 'boolean', default: false },
      'no-register': { type: 'boolean', default: false },
      query: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (error) {
  fail((error as Error).message);
}
const { values, positionals } = parsed;
if (values.help) {
  process.stdout.write(usage);
  process.exit(0);
}
if (positionals.length !== 1 || positionals[0] === undefined) fail('give exactly one URL');

let target;
try {
  target = parseTarget(positionals[0]);
} catch (error) {
  fail((error as Error).message);
}
let ca: string | undefined;
if (values.ca !== undefined) {
  try {
    ca = readCaFile(values.ca);
  } catch (error) {
    fail((error as Error).message);
  }
}

const ctx = createDoctorContext({
  target,
  http: { ca, insecure: values['insecure-skip-tls-verify'] },
  apiKey: values['api-key'] ?? process.env.DOCTOR_API_KEY,
  register: !values['no-register'],
  ...(values.query === undefined ? {} : { searchQuery: values.query }),
});
process.stdout.write(`doctor: ${target.mcpUrl} (issuer ${target.issuer})\n`);
const results = await runChecks(ctx, defaultChecks);
for (const result of results) process.stdout.write(`${formatResult(result)}\n`);
process.stdout.write(`doctor: ${summary(results)}\n`);
process.exitCode = exitCodeFor(results);
