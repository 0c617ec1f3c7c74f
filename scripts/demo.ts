/**
 * `npm run demo`: the T-SQL sandbox and the connector together, on one machine, no SQL Server.
 * The connector logs in with the sandbox's read-only login. Prints exactly one JSON line on stdout
 * once both accept connections —
 *   {"ready":true,"mcpUrl":…,"sseUrl":…,"healthUrl":…,"apiKey":…,
 *    "operator":{"user":"operator","password":…},"sandbox":{…the sandbox's ready line…}}
 * — and a friendly summary on stderr. Logs go to stderr so stdout stays machine-readable.
 *
 * OAuth is on as well (issue 4): a fresh operator account (random password, scrypt-hashed into
 * AUTH_USERS) can sign in and consent, so the ChatGPT flow — discovery, registration, sign-in,
 * consent, PKCE exchange — can be walked locally. PUBLIC_BASE_URL stays unset: the server then uses
 * its loopback listening address as the public origin; config accepts plain http only for loopback
 * hosts outside production. The API key keeps working next to OAuth.
 *
 * Environment (this entry file reads it; the server itself gets a Config): PORT (default 8008) and
 * SANDBOX_PORT (default 0), 0 = any free port; LOG_LEVEL (default warn); MCP_API_KEY to fix the
 * key (else one is generated); ENVIRONMENT_PATH (default '', e.g. /chatgpt). Every other connector
 * variable set in the environment (QUERY_TIMEOUT_MS, RATE_LIMIT_PER_MINUTE, …; see .env.example)
 * is passed through and overrides the demo's own value (scripts/demo-env.ts) — MSSQL_* too, which
 * points the demo's connector away from the sandbox.
 */
import { randomBytes } from 'node:crypto';
import { startSandbox } from '../sandbox/index.ts';
import { loadConfig } from '../src/config.ts';
import { ConfigError } from '../src/errors.ts';
import { startServer } from '../src/index.ts';
import { createLogger } from '../src/logger.ts';
import { hashPassword } from '../src/oauth/core/password.ts';
import { prmUrlFor } from '../src/oauth/core/urls.ts';
import { closeOnSignals } from '../sandbox/close-on-signals.ts';
import { demoEnvironment } from './demo-env.ts';

const env = process.env;
const stderr = (text: string): void => void process.stderr.write(`${text}\n`);

function port(name: string, fallback: number): number {
  const text = env[name]?.trim();
  const value = text ? Number(text) : fallback;
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    stderr(`${name} must be a port number (0-65535, 0 = any free port), got ${JSON.stringify(env[name])}`);
    process.exit(2);
  }
  return value;
}

const serverPort = port('PORT', 8008);
const sandboxPort = port('SANDBOX_PORT', 0);
const apiKey = env.MCP_API_KEY?.trim() || randomBytes(24).toString('base64url');
const logLevel = env.LOG_LEVEL?.trim() || 'warn';
const operator = { user: 'operator', password: randomBytes(18).toString('base64url') };

stderr('Starting the T-SQL sandbox (first run builds the sample database; this can take a minute)…');
const sandbox = await startSandbox({ host: '127.0.0.1', port: sandboxPort });
const { host, database, logins } = sandbox;
const sandboxReady = { ready: true, host, port: sandbox.port, database, logins };

let server;
try {
  const defaults: Record<string, string> = {
    NODE_ENV: 'development',
    LOG_LEVEL: logLevel,
    HOST: '127.0.0.1',
    PORT: String(serverPort),
    ENVIRONMENT_PATH: '',
    MSSQL_HOST: host,
    MSSQL_PORT: String(sandbox.port),
    MSSQL_DATABASE: database,
    MSSQL_USER: logins.reader.user,
    MSSQL_PASSWORD: logins.reader.password,
    MSSQL_ENCRYPT: 'true',
    MSSQL_TRUST_SERVER_CERTIFICATE: 'true',
    MCP_API_KEY: apiKey,
    DATA_DIR: './.data/demo',
    // The generated operator account turns OAuth on (issue 4); PUBLIC_BASE_URL stays unset so the
    // public origin is the loopback listening address (http is refused anywhere else).
    AUTH_USERS: `${operator.user}:${await hashPassword(operator.password)}`,
  };
  const config = loadConfig(demoEnvironment(defaults, env));
  const logger = createLogger({ level: config.logLevel, write: (line) => void process.stderr.write(`${line}\n`) });
  server = await startServer(config, { logger });
} catch (error) {
  stderr(`${error instanceof ConfigError ? 'Configuration error' : 'The connector could not start'}: ${(error as Error).message}`);
  await sandbox.close();
  process.exit(1);
}

const mcpUrl = `${server.publicBase}/mcp`;
const sseUrl = `${server.publicBase}/sse`;
const healthUrl = `${server.publicBase}/health`;
const discoveryUrl = `${server.publicBase}/.well-known/oauth-authorization-server`;
// The connector serves before its database is proven (it starts without one); "ready" promises a
// working demo, so wait until /health says the sandbox answered and the login is read-only.
const healthyBy = Date.now() + 120_000;
for (;;) {
  const status = await fetch(healthUrl).then(
    (r) => r.status,
    () => 0,
  );
  if (status === 200) break;
  if (Date.now() > healthyBy) {
    stderr(`The connector did not turn healthy within 2 minutes (GET ${healthUrl} answers ${status}).`);
    await server.close();
    await sandbox.close();
    process.exit(1);
  }
  await new Promise((resolve) => setTimeout(resolve, 250));
}
const resourceMetadataUrl = prmUrlFor(server.publicBase, '/mcp');
process.stdout.write(`${JSON.stringify({ ready: true, mcpUrl, sseUrl, healthUrl, apiKey, operator, sandbox: sandboxReady })}\n`);
stderr(
  [
    '',
    `mssql-deep-research demo is running (sandbox ${database} on ${host}:${sandbox.port}, reader login ${logins.reader.user}).`,
    '',
    `  MCP (Streamable HTTP)  ${mcpUrl}`,
    `  MCP (legacy SSE)       ${sseUrl}`,
    `  Health                 ${healthUrl}`,
    `  API key                ${apiKey}`,
    '',
    'Try it with MCP Inspector:',
    `  npx @modelcontextprotocol/inspector   → Transport "Streamable HTTP", URL ${mcpUrl},`,
    `                                          header Authorization: Bearer ${apiKey}`,
    'or with curl:',
    `  curl -s ${mcpUrl} -H 'Authorization: Bearer ${apiKey}' -H 'Content-Type: application/json' \\`,
    `    -H 'Accept: application/json' -d '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search","arguments":{"query":"list tables"}}}'`,
    '',
    'OAuth, as ChatGPT uses it (the operator account below signs in and consents):',
    `  Operator               ${operator.user} / ${operator.password}`,
    `  Discovery              ${discoveryUrl}`,
    `  Resource metadata      ${resourceMetadataUrl}`,
    `  Sign-in page           ${server.publicBase}/signin`,
    '  Walk it: POST /register with a loopback redirect URI (http://127.0.0.1:<port>/callback), open',
    '  /authorize?response_type=code&client_id=…&redirect_uri=…&code_challenge=…&code_challenge_method=S256',
    '  in a browser, sign in and approve, then POST /token with the code and the PKCE verifier.',
    '  MCP Inspector does all of this: choose "OAuth" instead of the header and use the operator account.',
    '',
    'Searches to try: "list tables", "describe sales.Orders", "sample sales.Customers limit 5",',
    '"SELECT TOP 5 Name, Price FROM dbo.Products ORDER BY Price DESC", "parcel never arrived".',
    'Ctrl+C stops both.',
    '',
  ].join('\n'),
);

closeOnSignals(
  () => server.close().then(() => sandbox.close()),
  (signal) => stderr(`${signal}: stopping the connector and the sandbox`),
);
