/**
 * `npm run sandbox`: runs the T-SQL sandbox in the foreground. Settings come from the environment
 * (this entry file is the only sandbox module that reads it). Once connections are accepted it
 * prints exactly one JSON line on stdout for scripts and CI to wait for, and a summary on stderr.
 */
import { DEFAULT_OWNER, DEFAULT_READER, startSandbox } from './index.ts';
import { closeOnSignals } from './close-on-signals.ts';
import { fedAuthFromEnv } from './fedauth-env.ts';

const env = process.env;
const port = Number(env.SANDBOX_PORT ?? 1433);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`SANDBOX_PORT must be a port number (0-65535), got ${JSON.stringify(env.SANDBOX_PORT)}\n`);
  process.exit(2);
}

try {
  const fedAuth = fedAuthFromEnv(env);
  const sandbox = await startSandbox({
    host: env.SANDBOX_HOST || '127.0.0.1',
    port,
    database: env.SANDBOX_DATABASE || 'RetailDB',
    owner: { user: env.SANDBOX_OWNER_USER || DEFAULT_OWNER.user, password: env.SANDBOX_OWNER_PASSWORD || DEFAULT_OWNER.password },
    reader: { user: env.SANDBOX_READER_USER || DEFAULT_READER.user, password: env.SANDBOX_READER_PASSWORD || DEFAULT_READER.password },
    ...(env.SANDBOX_CACHE_DIR ? { cacheDir: env.SANDBOX_CACHE_DIR } : {}),
    ...(fedAuth ? { fedAuth } : {}),
  });
  const { host, database, logins } = sandbox;
  process.stdout.write(`${JSON.stringify({ ready: true, host, port: sandbox.port, database, logins })}\n`);
  process.stderr.write(
    [
      `T-SQL sandbox (TDS 7.4 over PGlite; not SQL Server) listening on ${host}:${sandbox.port}`,
      `  database  ${database}`,
      `  owner     ${logins.owner.user}  (reads and writes)`,
      `  reader    ${logins.reader.user}  (SELECT only)`,
      `  connect   mssql with { server: '${host}', port: ${sandbox.port}, options: { encrypt: false } }`,
      `            or encrypt: true with trustServerCertificate: true (self-signed certificate)`,
      '  Ctrl+C stops it.',
      '',
    ].join('\n'),
  );
  closeOnSignals(
    () => sandbox.close(),
    (signal) => process.stderr.write(`${signal}: closing the sandbox\n`),
  );
} catch (error) {
  const reason = error instanceof Error ? error.message : String(error);
  process.stderr.write(`The sandbox could not start: ${reason}\n`);
  process.exit(1);
}
