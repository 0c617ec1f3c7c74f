import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import sql from 'mssql';
import { startTdsServer, type TdsServer } from '../../sandbox/tds/server.ts';
import { PASSWORD, scriptedBackend, USER } from './tds-scripted-backend.ts';

let server: TdsServer;
const lines: string[] = [];

/** Waits until a log line matches (the server logs as the connection closes). */
async function logged(pattern: RegExp): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const line = lines.find((l) => pattern.test(l));
    if (line) return line;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`no log line matching ${pattern}; got:\n${lines.join('\n')}`);
}

/** Writes raw bytes on a fresh socket and waits for the server to close it. */
async function sendRaw(bytes: Buffer): Promise<void> {
  const socket = connect(server.port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  socket.write(bytes);
  await new Promise<void>((resolve) => socket.once('close', () => resolve()).on('error', () => {}));
}

/** A TDS packet header (type, EOM status, length) with a payload. */
function packet(type: number, payload: Buffer): Buffer {
  const header = Buffer.from([type, 0x01, 0, 0, 0, 0, 1, 0]);
  header.writeUInt16BE(8 + payload.length, 2);
  return Buffer.concat([header, payload]);
}

describe('the sandbox logs every refused or dropped connection with the reason', () => {
  before(async () => {
    const script = { sessionsOpened: 0, rowsProduced: 0, transactions: [] };
    server = await startTdsServer({ backend: scriptedBackend(script), host: '127.0.0.1', port: 0, log: (line) => lines.push(line) });
  });
  after(async () => {
    await server?.close();
  });

  test('a wrong password is logged as a failed login naming the user, without the password', async () => {
    const pool = new sql.ConnectionPool({
      server: '127.0.0.1',
      port: server.port,
      user: USER,
      password: 'wrong-Pass#1',
      database: 'WireDB',
      options: { encrypt: false },
    });
    await assert.rejects(pool.connect(), /Login failed/);
    const line = await logged(/login failed: wrong user name or password/);
    assert.match(line, new RegExp(`user '${USER}'`));
    assert.doesNotMatch(line, /wrong-Pass#1/);
    assert.doesNotMatch(line, new RegExp(PASSWORD.replace(/[#]/g, '\\$&')));
  });

  test('an unknown database is logged as a failed login naming the database', async () => {
    const pool = new sql.ConnectionPool({
      server: '127.0.0.1',
      port: server.port,
      user: USER,
      password: PASSWORD,
      database: 'NoSuchDB',
      options: { encrypt: false },
    });
    await assert.rejects(pool.connect());
    await logged(/login failed: unknown database "NoSuchDB"/);
  });

  test('a request before PRELOGIN is logged as a protocol error with the packet type', async () => {
    await sendRaw(packet(0x01, Buffer.from('SELECT 1', 'utf16le')));
    await logged(/protocol error: expected PRELOGIN, got packet type 1\b/);
  });

  test('a packet header with an impossible length is logged as a protocol error', async () => {
    await sendRaw(Buffer.from([0x12, 0x01, 0x00, 0x02, 0, 0, 0, 0]));
    await logged(/closed: protocol error: /);
  });

  test('a client that hangs up before logging in is logged with the phase it was in', async () => {
    const socket = connect(server.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.end();
    await logged(/the client closed the connection during prelogin/);
  });
});
