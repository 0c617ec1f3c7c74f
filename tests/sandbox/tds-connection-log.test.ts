import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import sql from 'mssql';
import { sandboxSecureContext } from '../../sandbox/tds/certificate.ts';
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

/** A client PRELOGIN payload: VERSION and ENCRYPTION options (MS-TDS 2.2.6.5), big-endian offsets. */
function prelogin(encryption: number): Buffer {
  const table = Buffer.from([0x00, 0, 11, 0, 6, 0x01, 0, 17, 0, 1, 0xff]);
  return Buffer.concat([table, Buffer.from([16, 0, 0, 0, 0, 0]), Buffer.from([encryption])]);
}

/** PRELOGIN → the server's answer; then garbage where the TLS ClientHello belongs, inside a PRELOGIN packet. */
async function garbageHandshake(encryption: number, port = server.port): Promise<void> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  const answered = new Promise<void>((resolve) => socket.once('data', () => resolve()));
  socket.write(packet(0x12, prelogin(encryption)));
  await answered;
  socket.write(packet(0x12, Buffer.from('this is not a TLS ClientHello, just bytes', 'latin1')));
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
    server = await startTdsServer({
      backend: scriptedBackend(script),
      host: '127.0.0.1',
      port: 0,
      secureContext: await sandboxSecureContext({ host: '127.0.0.1' }),
      log: (line) => lines.push(line),
    });
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
    await logged(/protocol error: expected PRELOGIN or LOGIN7, got packet type 1\b/);
  });

  test('a LOGIN7 asking for TDS 7.0 is logged as an unsupported version', async () => {
    const login = Buffer.alloc(94);
    login.writeUInt32LE(94, 0);
    login.writeUInt32LE(0x70000000, 4);
    await sendRaw(packet(0x10, login));
    await logged(/closed: unsupported TDS version 0x70000000 in LOGIN7/);
  });

  test('a packet header with an impossible length is logged as a protocol error', async () => {
    await sendRaw(Buffer.from([0x12, 0x01, 0x00, 0x02, 0, 0, 0, 0]));
    await logged(/closed: protocol error: /);
  });

  for (const [mode, encryption] of [
    ['full encryption (ENCRYPT_ON)', 1],
    ['login-only encryption (ENCRYPT_OFF)', 0],
  ] as const) {
    test(`a TLS handshake that fails in ${mode} is logged as a TLS failure with OpenSSL's reason`, async () => {
      const before = lines.length;
      await garbageHandshake(encryption);
      const line = await logged(/closed: TLS failure: /);
      assert.ok(lines.indexOf(line) >= before, 'logged for this connection');
      lines.splice(before);
      // The reason is the TLS library's, e.g. "…:SSL routines::wrong version number" or "…packet length too long".
      assert.match(line, /TLS failure: .*(ssl|tls|version|record|packet|length)/i);
    });
  }

  test('a connection whose TLS handshake failed does not hold up the server closing', async () => {
    const own = await startTdsServer({
      backend: scriptedBackend({ sessionsOpened: 0, rowsProduced: 0, transactions: [] }),
      host: '127.0.0.1',
      port: 0,
      secureContext: await sandboxSecureContext({ host: '127.0.0.1' }),
    });
    await garbageHandshake(1, own.port);
    const closed = await Promise.race([
      own.close().then(() => 'closed'),
      new Promise((resolve) => setTimeout(resolve, 5000, 'still open after 5 s')),
    ]);
    assert.equal(closed, 'closed');
  });

  test('a client that hangs up before logging in is logged with the phase it was in', async () => {
    const socket = connect(server.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.end();
    await logged(/the client closed the connection during prelogin/);
  });
});
