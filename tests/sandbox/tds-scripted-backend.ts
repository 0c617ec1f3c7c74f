import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import type sql from 'mssql';
import type { Backend, BatchEvent, ColumnMeta, Login, RpcParam, Session, SqlValue } from '../../sandbox/backend.ts';
import { sandboxSecureContext } from '../../sandbox/tds/certificate.ts';
import { startTdsServer, type TdsServer } from '../../sandbox/tds/server.ts';

/**
 * A scripted Backend for testing the TDS layer on its own: a real alternative implementation of
 * the seam, in front of which the real `mssql` driver talks over real sockets. Each batch keyword
 * below produces known engine events, and sp_executesql parameters are echoed back as result
 * columns, so the wire encoding is pinned independently of the T-SQL engine.
 */

export const USER = 'tds_owner';
export const PASSWORD = 'Wire-Test#2024';

/** Engine-convention values (backend.ts) for every type, and what mssql must hand back. */
export const COLUMN_CASES: Array<{ type: ColumnMeta['type']; value: SqlValue; expected: unknown }> = [
  { type: { name: 'bit' }, value: true, expected: true },
  { type: { name: 'tinyint' }, value: 255, expected: 255 },
  { type: { name: 'smallint' }, value: -32768, expected: -32768 },
  { type: { name: 'int' }, value: -2147483648, expected: -2147483648 },
  { type: { name: 'bigint' }, value: 9223372036854775807n, expected: '9223372036854775807' },
  { type: { name: 'decimal', precision: 38, scale: 4 }, value: '-12345.6789', expected: -12345.6789 },
  { type: { name: 'numeric', precision: 5, scale: 2 }, value: '999.99', expected: 999.99 },
  { type: { name: 'money' }, value: '-922337203685.4775', expected: -922337203685.4775 },
  { type: { name: 'smallmoney' }, value: '214748.3647', expected: 214748.3647 },
  { type: { name: 'real' }, value: 3.5, expected: 3.5 },
  { type: { name: 'float' }, value: 1.7976931348623157e308, expected: 1.7976931348623157e308 },
  { type: { name: 'char', length: 5 }, value: 'ab   ', expected: 'ab   ' },
  { type: { name: 'varchar', length: 20 }, value: 'café €', expected: 'café €' },
  { type: { name: 'varchar', length: 'max' }, value: 'v'.repeat(100_000), expected: 'v'.repeat(100_000) },
  { type: { name: 'nchar', length: 3 }, value: 'xyz', expected: 'xyz' },
  { type: { name: 'nvarchar', length: 40 }, value: 'héllo 世界 🎉', expected: 'héllo 世界 🎉' },
  { type: { name: 'nvarchar', length: 'max' }, value: 'ü'.repeat(70_000), expected: 'ü'.repeat(70_000) },
  { type: { name: 'date' }, value: '2024-02-29', expected: new Date('2024-02-29T00:00:00Z') },
  { type: { name: 'date' }, value: '0001-01-01', expected: new Date('0001-01-01T00:00:00Z') },
  { type: { name: 'time', scale: 7 }, value: '13:45:30.1234567', expected: new Date('1970-01-01T13:45:30.123Z') },
  { type: { name: 'datetime' }, value: '2024-05-06 07:08:09.997', expected: new Date('2024-05-06T07:08:09.997Z') },
  { type: { name: 'smalldatetime' }, value: '2024-05-06 07:08:00', expected: new Date('2024-05-06T07:08:00Z') },
  { type: { name: 'datetime2', scale: 3 }, value: '1999-12-31 23:59:59.999', expected: new Date('1999-12-31T23:59:59.999Z') },
  { type: { name: 'datetimeoffset', scale: 7 }, value: '2024-05-06 01:00:00.5+02:00', expected: new Date('2024-05-05T23:00:00.500Z') },
  { type: { name: 'uniqueidentifier' }, value: '6f9619ff-8b86-d011-b42d-00c04fc964ff', expected: '6F9619FF-8B86-D011-B42D-00C04FC964FF' },
  { type: { name: 'binary', length: 4 }, value: Uint8Array.of(0, 1, 254, 255), expected: Buffer.from([0, 1, 254, 255]) },
  { type: { name: 'varbinary', length: 'max' }, value: new Uint8Array(100_000).fill(7), expected: Buffer.alloc(100_000, 7) },
];

const columnsOf = (cases: typeof COLUMN_CASES): ColumnMeta[] => cases.map((c, i) => ({ name: `c${i}`, type: c.type, nullable: true }));

export interface Script {
  sessionsOpened: number;
  rowsProduced: number;
  transactions: string[];
}

async function* run(script: Script, text: string, signal: AbortSignal): AsyncIterable<BatchEvent> {
  const [keyword, ...args] = text.trim().split(/\s+/);
  switch (keyword?.toUpperCase()) {
    case 'TYPES':
      yield { kind: 'columns', columns: columnsOf(COLUMN_CASES) };
      yield { kind: 'row', values: COLUMN_CASES.map((c) => c.value) };
      yield { kind: 'row', values: COLUMN_CASES.map(() => null) };
      yield { kind: 'done', rowCount: 2 };
      return;
    case 'MULTI':
      for (let set = 1; set <= 3; set++) {
        yield { kind: 'columns', columns: [{ name: 'n', type: { name: 'int' }, nullable: false }] };
        for (let i = 0; i < set; i++) yield { kind: 'row', values: [set * 10 + i] };
        yield { kind: 'done', rowCount: set };
      }
      return;
    case 'RAISE': {
      const message = { number: Number(args[0]), state: 1, severity: 16, message: `scripted ${args[0]}`, line: Number(args[1]) };
      yield { kind: 'error', message };
      yield { kind: 'done', error: true };
      return;
    }
    case 'INFO':
      yield { kind: 'info', message: { number: 50000, state: 1, severity: 0, message: 'hello from PRINT', line: 1 } };
      yield { kind: 'done' };
      yield { kind: 'done', rowCount: 7 };
      return;
    case 'WAIT':
      await delay(Number(args[0]), undefined, { signal }).catch(() => {});
      if (signal.aborted) return;
      yield { kind: 'columns', columns: [{ name: 'waited', type: { name: 'int' }, nullable: false }] };
      yield { kind: 'row', values: [Number(args[0])] };
      yield { kind: 'done', rowCount: 1 };
      return;
    case 'ROWS': {
      const count = Number(args[0]);
      yield {
        kind: 'columns',
        columns: [
          { name: 'id', type: { name: 'int' }, nullable: false },
          { name: 'label', type: { name: 'nvarchar', length: 200 }, nullable: true },
        ],
      };
      for (let i = 0; i < count && !signal.aborted; i++) {
        script.rowsProduced++;
        yield { kind: 'row', values: [i, `row number ${i} `.padEnd(200, '.')] };
      }
      yield { kind: 'done', rowCount: count };
      return;
    }
    default:
      yield { kind: 'done' };
  }
}

export function scriptedBackend(script: Script): Backend {
  return {
    defaultDatabase: 'WireDB',
    authenticate: (user, password): Login | null => (user === USER && password === PASSWORD ? { user, role: 'owner' } : null),
    hasDatabase: (name) => name.toLowerCase() === 'wiredb',
    async openSession(login, database): Promise<Session> {
      script.sessionsOpened++;
      let descriptor = 0n;
      const tx = (state: 'begin' | 'commit' | 'rollback'): BatchEvent[] => {
        script.transactions.push(state);
        if (state === 'begin') descriptor = BigInt(script.transactions.length);
        return [{ kind: 'transaction', state, descriptor }];
      };
      return {
        login,
        database: database ?? 'WireDB',
        batch: (text, signal) => run(script, text, signal),
        async *rpc(procedure: string, params: RpcParam[], signal: AbortSignal): AsyncIterable<BatchEvent> {
          assert.equal(procedure, 'sp_executesql');
          const user = params.filter((p) => p.name !== '@statement' && p.name !== '@params' && !p.output);
          if (user.length === 0) {
            yield* run(script, String(params[0]?.value ?? ''), signal);
          } else {
            yield { kind: 'columns', columns: user.map((p) => ({ name: p.name.slice(1), type: p.type, nullable: true })) };
            yield { kind: 'row', values: user.map((p) => p.value) };
            yield { kind: 'done', rowCount: 1 };
          }
          yield { kind: 'return_status', value: 0 };
          // OUTPUT parameters come back doubled (numbers) or as sent.
          for (const [ordinal, p] of params.entries()) {
            if (p.output)
              yield {
                kind: 'return_value',
                name: p.name,
                type: p.type,
                ordinal,
                value: typeof p.value === 'number' ? p.value * 2 : p.value,
              };
          }
        },
        beginTransaction: async () => tx('begin'),
        commitTransaction: async () => tx('commit'),
        rollbackTransaction: async () => tx('rollback'),
        async close() {},
      };
    },
    async close() {},
  };
}

export interface ScriptedServer {
  server: TdsServer;
  script: Script;
  /** mssql settings for the scripted server, owner login, no encryption unless overridden. */
  config(extra?: Partial<sql.config>): sql.config;
  close(): Promise<void>;
}

/** Starts a TDS server (with TLS available) in front of a fresh scripted backend on a free port. */
export async function startScriptedServer(): Promise<ScriptedServer> {
  const script: Script = { sessionsOpened: 0, rowsProduced: 0, transactions: [] };
  const secureContext = await sandboxSecureContext({ host: '127.0.0.1' });
  const server = await startTdsServer({ backend: scriptedBackend(script), host: '127.0.0.1', port: 0, secureContext });
  return {
    server,
    script,
    config: (extra = {}) => ({
      server: '127.0.0.1',
      port: server.port,
      user: USER,
      password: PASSWORD,
      database: 'WireDB',
      options: { encrypt: false, trustServerCertificate: true },
      ...extra,
    }),
    close: () => server.close(),
  };
}
