/**
 * `npm run clients -- list [--json]` and `npm run clients -- revoke <client_id>` (`--data-dir` or
 * DATA_DIR, the server's default `./.data`): the operator's view of the OAuth clients registered in the sqlite
 * store (in Redis when STATE_STORE_URL is set), and the way to cut one off. Safe while the server runs (WAL, busy timeout): a revoked
 * client's access tokens are refused at its next request. DATA_DIR is parsed by the server's schema.
 * Exit codes: 0 done, 1 unknown client, 2 usage.
 */
import { parseArgs } from 'node:util';
import { loadCliSettings } from '../../config.ts';
import { listClientSummaries, revokeClient, type ClientSummary } from '../core/client-admin.ts';
import { type CliStore, openCliStore } from './open-store.ts';

const USAGE = 'usage: npm run clients -- list [--json] | revoke <client_id>   (--data-dir <dir> or DATA_DIR)';

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function table(rows: ClientSummary[]): string {
  const header = ['CLIENT ID', 'NAME', 'REDIRECT HOSTS', 'CREATED', 'LAST USED', 'ACTIVE GRANTS'];
  const cells = rows.map((row) => [
    row.clientId,
    row.clientName ?? '-',
    row.redirectHosts.join(',') || '-',
    row.createdAt.slice(0, 16).replace('T', ' '),
    row.lastUsedAt?.slice(0, 16).replace('T', ' ') ?? '-',
    String(row.activeGrants),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...cells.map((cell) => (cell[i] ?? '').length)));
  const line = (cols: string[]) =>
    cols
      .map((col, i) => col.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...cells.map(line)].join('\n');
}

let parsed;
try {
  parsed = parseArgs({ allowPositionals: true, options: { 'data-dir': { type: 'string' }, json: { type: 'boolean' } } });
} catch (error) {
  fail(`${(error as Error).message}\n${USAGE}`, 2);
}
const { values, positionals } = parsed;
const [command, clientId, ...extra] = positionals;
if ((command !== 'list' && command !== 'revoke') || (command === 'list' ? clientId !== undefined : !clientId) || extra.length > 0) {
  fail(USAGE, 2);
}
let settings;
try {
  settings = loadCliSettings();
} catch (error) {
  fail(`clients: ${(error as Error).message}`, 2);
}
const dataDir = values['data-dir'] ?? settings.dataDir;
let opened: CliStore | undefined;
try {
  // Listing must not create an empty store where the operator mistyped the directory.
  opened = await openCliStore(settings, dataDir, { mustExist: true });
} catch (error) {
  fail(`clients: ${(error as Error).message}`, 2);
}
const { store } = opened;
try {
  if (command === 'list') {
    const rows = await listClientSummaries(store);
    if (values.json) for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
    else process.stdout.write(rows.length > 0 ? `${table(rows)}\n` : 'No registered clients.\n');
  } else {
    const result = await revokeClient(store, clientId ?? '');
    process.stdout.write(`${JSON.stringify({ clientId, ...result })}\n`);
    if (!result.deleted && result.grantsRevoked === 0) {
      process.stderr.write(`clients: no client ${clientId} and no active grants for it\n`);
      process.exitCode = 1;
    }
  }
} finally {
  await opened.close();
}
