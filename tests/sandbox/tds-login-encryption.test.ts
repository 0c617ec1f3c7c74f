import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { duplexPair } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import { createRequire } from 'node:module';
import type { Backend, BatchEvent, Session } from '../../sandbox/backend.ts';
import { sandboxSecureContext } from '../../sandbox/tds/certificate.ts';
import { MessageFramer, type TdsMessage } from '../../sandbox/tds/packet.ts';
import { startTdsServer, type TdsServer } from '../../sandbox/tds/server.ts';

/**
 * Login-only encryption (MS-TDS 2.2.6.5): a client that answers ENCRYPT_OFF may still wrap its
 * LOGIN7 in TLS and continue in the clear afterwards, as ODBC and JDBC drivers do. tedious never
 * does this, so the client here is built from tedious' own PRELOGIN and LOGIN7 payload classes
 * and Node's TLS client.
 */

// tedious' payload classes are CommonJS modules that export the class itself.
const require = createRequire(import.meta.url);
const Login7Payload: typeof import('tedious/lib/login7-payload.js').default = require('tedious/lib/login7-payload.js');
const PreloginPayload: typeof import('tedious/lib/prelogin-payload.js').default = require('tedious/lib/prelogin-payload.js');

/** A PRELOGIN saying ENCRYPT_OFF (tedious itself says NOT_SUP when encrypt is false). */
function preloginEncryptOff(): Buffer {
  const data = Buffer.from(new PreloginPayload({ encrypt: false, version: { major: 0, minor: 0, build: 0, subbuild: 0 } }).data);
  for (let at = 0; data[at] !== 0xff; at += 5) {
    if (data[at] === 0x01) data[data.readUInt16BE(at + 1)] = 0x00;
  }
  return data;
}

const backend: Backend = {
  defaultDatabase: 'WireDB',
  authenticate: (user, password) => (user === 'plain' && password === 'Secret#123' ? { user, role: 'reader' } : null),
  hasDatabase: (name) => name === 'WireDB',
  async openSession(login): Promise<Session> {
    return {
      login,
      database: 'WireDB',
      async *batch(): AsyncIterable<BatchEvent> {
        yield { kind: 'columns', columns: [{ name: 'answer', type: { name: 'int' }, nullable: false }] };
        yield { kind: 'row', values: [42] };
        yield { kind: 'done', rowCount: 1 };
      },
      async *rpc(): AsyncIterable<BatchEvent> {},
      beginTransaction: async () => [],
      commitTransaction: async () => [],
      rollbackTransaction: async () => [],
      async close() {},
    };
  },
  async close() {},
};

function packet(type: number, payload: Buffer): Buffer {
  const header = Buffer.from([type, 0x01, 0, 0, 0, 0, 1, 0]);
  header.writeUInt16BE(payload.length + 8, 2);
  return Buffer.concat([header, payload]);
}

/** Reads whole TDS messages from a socket, one at a time. */
function messages(socket: Socket): () => Promise<TdsMessage> {
  const framer = new MessageFramer();
  const ready: TdsMessage[] = [];
  let waiting: ((message: TdsMessage) => void) | undefined;
  let failed: Error | undefined;
  let fail: ((error: Error) => void) | undefined;
  socket.on('close', () => {
    failed = new Error('the server closed the connection');
    fail?.(failed);
  });
  socket.on('data', (chunk: Buffer) => {
    for (const message of framer.push(chunk)) {
      if (waiting) {
        const wake = waiting;
        waiting = undefined;
        wake(message);
      } else ready.push(message);
    }
  });
  return () =>
    new Promise((resolve, reject) => {
      if (ready.length > 0) return resolve(ready.shift() as TdsMessage);
      if (failed) return reject(failed);
      waiting = resolve;
      fail = reject;
    });
}

describe('login-only encryption', () => {
  let server: TdsServer;

  before(async () => {
    server = await startTdsServer({
      backend,
      host: '127.0.0.1',
      port: 0,
      secureContext: await sandboxSecureContext({ host: '127.0.0.1' }),
    });
  });

  after(() => server.close());

  it('accepts a LOGIN7 wrapped in TLS after ENCRYPT_OFF, then talks in the clear', async () => {
    const socket = connect(server.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const next = messages(socket);

    socket.write(packet(0x12, preloginEncryptOff()));
    assert.equal(new PreloginPayload((await next()).payload).encryptionString, 'OFF');

    const [ours, theirs] = duplexPair();
    const tls = tlsConnect({ socket: ours, rejectUnauthorized: false, maxVersion: 'TLSv1.2' });
    // Handshake records travel inside PRELOGIN packets; once established, TLS records go raw.
    let established = false;
    theirs.on('data', (chunk: Buffer) => socket.write(established ? chunk : packet(0x12, chunk)));
    const secure = new Promise((resolve) => tls.once('secureConnect', resolve));
    // A full TLS 1.2 handshake is two server flights, each answering one client message.
    for (let flight = 0; flight < 2; flight++) theirs.write((await next()).payload);
    await secure;
    established = true;

    const login = new Login7Payload({
      tdsVersion: 0x74000004,
      packetSize: 4096,
      clientProgVer: 0,
      clientPid: 1,
      connectionId: 0,
      clientTimeZone: 0,
      clientLcid: 0x409,
    });
    // tedious always fills these; an absent host name would misplace its length field.
    Object.assign(login, {
      hostname: 'test-host',
      appName: 'login-only',
      serverName: '127.0.0.1',
      libraryName: 'node',
      language: 'us_english',
    });
    login.userName = 'plain';
    login.password = 'Secret#123';
    login.database = 'WireDB';
    tls.write(packet(0x10, login.toBuffer()));

    const response = await next();
    assert.equal(response.type, 0x04);
    assert.ok(response.payload.includes(Buffer.from('TDS Sandbox', 'utf16le')), 'LOGINACK arrives in the clear');

    const batch = Buffer.concat([
      Buffer.from([22, 0, 0, 0, 18, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]),
      Buffer.from('SELECT 42', 'utf16le'),
    ]);
    socket.write(packet(0x01, batch));
    const result = await next();
    assert.equal(result.payload[0], 0x81, 'the batch answer starts with COLMETADATA');
    assert.ok(result.payload.includes(Buffer.from('answer', 'utf16le')));
    tls.destroy();
    socket.destroy();
  });
});
