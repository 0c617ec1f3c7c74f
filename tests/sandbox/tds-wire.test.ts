import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import sql from 'mssql';
import tedious from 'tedious';
import type { Backend, BatchEvent, ColumnMeta, Login, RpcParam, Session, SqlValue } from '../../sandbox/backend.ts';
import { sandboxSecureContext } from '../../sandbox/tds/certificate.ts';
import { startTdsServer, type TdsServer } from '../../sandbox/tds/server.ts';

/**
 * The TDS layer on its own, through the real `mssql` driver over real sockets, in front of a
 * scripted Backend (a real alternative implementation of the seam): each batch keyword below
 * produces known engine events, and RPC parameters are echoed back as result columns. This pins
 * the wire encoding independently of the T-SQL engine.
 */

const USER = 'tds_owner';
const PASSWORD = 'Wire-Test#2024';

/** Engine-convention values (backend.ts) for every type, and what mssql must hand back. */
const COLUMN_CASES: Array<{ type: ColumnMeta['type']; value: SqlValue; expected: unknown }> = [
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

const columnsOf = (cases: typeof COLUMN_CASES): ColumnMeta[] =>
  cases.map((c, i) => ({ name: `c${i}`, type: c.type, nullable: true }));

interface Script {
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
      yield { kind: 'columns', columns: [{ name: 'id', type: { name: 'int' }, nullable: false }, { name: 'label', type: { name: 'nvarchar', length: 200 }, nullable: true }] };
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

function scriptedBackend(script: Script): Backend {
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
          const user = params.filter((p) => p.name !== '@statement' && p.name !== '@params');
          if (user.length === 0) {
            yield* run(script, String(params[0]?.value ?? ''), signal);
          } else {
            yield { kind: 'columns', columns: user.map((p) => ({ name: p.name.slice(1), type: p.type, nullable: true })) };
            yield { kind: 'row', values: user.map((p) => p.value) };
            yield { kind: 'done', rowCount: 1 };
          }
          yield { kind: 'return_status', value: 0 };
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

describe('TDS wire layer with the mssql driver', () => {
  const script: Script = { sessionsOpened: 0, rowsProduced: 0, transactions: [] };
  let server: TdsServer;
  let pool: sql.ConnectionPool;
  const config = (extra: Partial<sql.config> = {}): sql.config => ({
    server: '127.0.0.1',
    port: server.port,
    user: USER,
    password: PASSWORD,
    database: 'WireDB',
    options: { encrypt: false, trustServerCertificate: true },
    ...extra,
  });

  before(async () => {
    const secureContext = await sandboxSecureContext({ host: '127.0.0.1' });
    server = await startTdsServer({ backend: scriptedBackend(script), host: '127.0.0.1', port: 0, secureContext });
    pool = await new sql.ConnectionPool(config({ pool: { max: 20 } })).connect();
  });

  after(async () => {
    await pool.close();
    await server.close();
  });

  it('logs in with encrypt:false and with encrypt:true + trustServerCertificate', async () => {
    for (const encrypt of [false, true]) {
      const own = await new sql.ConnectionPool(config({ options: { encrypt, trustServerCertificate: true } })).connect();
      const result = await own.request().batch('MULTI');
      assert.equal(result.recordsets.length, 3, `encrypt=${encrypt}`);
      await own.close();
    }
  });

  it('rejects a wrong password with a login failure', async () => {
    const bad = new sql.ConnectionPool(config({ password: 'nope' }));
    await assert.rejects(bad.connect(), (error: sql.ConnectionError) => {
      assert.equal(error.code, 'ELOGIN');
      assert.match(error.message, /Login failed for user 'tds_owner'\./);
      return true;
    });
  });

  /** Logs in with tedious directly, which exposes each ERROR token and the connection's end. */
  async function loginErrors(user: string, password: string, database: string): Promise<{ numbers: number[]; ended: boolean }> {
    const connection = new tedious.Connection({
      server: '127.0.0.1',
      authentication: { type: 'default', options: { userName: user, password } },
      options: { port: server.port, database, encrypt: false },
    });
    const numbers: number[] = [];
    connection.on('errorMessage', (token) => numbers.push(token.number));
    const ended = new Promise<boolean>((resolve) => connection.once('end', () => resolve(true)));
    await new Promise<void>((resolve) => connection.connect(() => resolve()));
    return { numbers, ended: await Promise.race([ended, delay(2000).then(() => false)]) };
  }

  it('answers a wrong password with error 18456 and closes the connection', async () => {
    assert.deepEqual(await loginErrors(USER, 'nope', 'WireDB'), { numbers: [18456], ended: true });
  });

  it('answers an unknown database with error 4060, then 18456, and closes the connection', async () => {
    assert.deepEqual(await loginErrors(USER, PASSWORD, 'Nowhere'), { numbers: [4060, 18456], ended: true });
  });

  it('encodes every column type exactly, and NULLs through NBCROW', async () => {
    const result = await pool.request().batch('TYPES');
    const [values, nulls] = result.recordset;
    COLUMN_CASES.forEach((c, i) => {
      assert.deepEqual(values[`c${i}`], c.expected, `${c.type.name} ${JSON.stringify(c.type)}`);
      assert.equal(nulls[`c${i}`], null, `NULL ${c.type.name}`);
    });
    assert.deepEqual(result.rowsAffected, [2]);
  });

  it('returns several result sets from one batch with their row counts', async () => {
    const result = await pool.request().batch('MULTI');
    assert.deepEqual(
      (result.recordsets as unknown as Array<Array<{ n: number }>>).map((set) => set.map((row) => row.n)),
      [[10], [20, 21], [30, 31, 32]],
    );
    assert.deepEqual(result.rowsAffected, [1, 2, 3]);
  });

  it('delivers INFO messages and DML row counts', async () => {
    const request = pool.request();
    const infos: Array<{ number: number; message: string }> = [];
    request.on('info', (info: { number: number; message: string }) => infos.push({ number: info.number, message: info.message }));
    const result = await request.batch('INFO');
    assert.deepEqual(infos, [{ number: 50000, message: 'hello from PRINT' }]);
    assert.deepEqual(result.rowsAffected, [7]);
  });

  for (const packetSize of [512, 32767]) {
    it(`negotiates a packet size of ${packetSize} and splits large values across packets`, async () => {
      const own = await new sql.ConnectionPool(config({ options: { encrypt: true, trustServerCertificate: true, packetSize } })).connect();
      const [values] = (await own.request().batch('TYPES')).recordset;
      COLUMN_CASES.forEach((c, i) => assert.deepEqual(values[`c${i}`], c.expected, c.type.name));
      await own.close();
    });
  }

  it('reports engine errors with their number, line and severity', async () => {
    await assert.rejects(pool.request().batch('RAISE 208 3'), (error: sql.RequestError) => {
      assert.equal(error.number, 208);
      assert.equal(error.lineNumber, 3);
      assert.equal(error.class, 16);
      assert.equal(error.message, 'scripted 208');
      return true;
    });
  });

  /** Typed sp_executesql parameters, echoed back by the scripted backend as columns. */
  const PARAM_CASES: Array<{ name: string; type: sql.ISqlType | (() => sql.ISqlType); value: unknown; expected?: unknown }> = [
    { name: 'bit', type: sql.Bit, value: true },
    { name: 'tinyint', type: sql.TinyInt, value: 255 },
    { name: 'smallint', type: sql.SmallInt, value: -32768 },
    { name: 'int', type: sql.Int, value: 2147483647 },
    { name: 'bigint', type: sql.BigInt, value: '-9223372036854775808' },
    { name: 'decimal', type: sql.Decimal(18, 4), value: 12345.6789 },
    { name: 'numeric', type: sql.Numeric(10, 2), value: -99.5 },
    { name: 'money', type: sql.Money, value: -12345.6789 },
    { name: 'smallmoney', type: sql.SmallMoney, value: 214748.3647 },
    { name: 'real', type: sql.Real, value: -0.5 },
    { name: 'float', type: sql.Float, value: Math.PI },
    { name: 'nvarchar', type: sql.NVarChar(50), value: 'héllo 世界 🎉' },
    { name: 'nvarcharmax', type: sql.NVarChar(sql.MAX), value: 'n'.repeat(200_000) },
    { name: 'varchar', type: sql.VarChar(20), value: 'café' },
    { name: 'varcharmax', type: sql.VarChar(sql.MAX), value: 'y'.repeat(70_000) },
    { name: 'nchar', type: sql.NChar(5), value: 'abcde' },
    { name: 'char', type: sql.Char(3), value: 'xyz' },
    { name: 'date', type: sql.Date, value: new Date('2024-02-29T00:00:00Z') },
    { name: 'time', type: sql.Time(7), value: new Date('1970-01-01T13:45:30.123Z') },
    { name: 'datetime', type: sql.DateTime, value: new Date('2024-05-06T07:08:09.997Z') },
    { name: 'datetime2', type: sql.DateTime2(7), value: new Date('2024-05-06T07:08:09.123Z') },
    { name: 'datetimeoffset', type: sql.DateTimeOffset(7), value: new Date('2024-05-06T07:08:09.123Z') },
    { name: 'uniqueidentifier', type: sql.UniqueIdentifier, value: '6F9619FF-8B86-D011-B42D-00C04FC964FF' },
    { name: 'varbinary', type: sql.VarBinary(10), value: Buffer.from([1, 2, 3]) },
    { name: 'varbinarymax', type: sql.VarBinary(sql.MAX), value: Buffer.alloc(100_000, 9) },
    { name: 'binary', type: (sql.Binary as unknown as sql.ISqlTypeFactoryWithLength)(4), value: Buffer.from([0, 1, 254, 255]) },
  ];

  it('decodes every sp_executesql parameter type exactly, NULL included', async () => {
    const request = pool.request();
    const nulls = pool.request();
    for (const c of PARAM_CASES) {
      request.input(c.name, c.type, c.value);
      nulls.input(c.name, c.type, null);
    }
    const [row] = (await request.query('ECHO')).recordset;
    const [nullRow] = (await nulls.query('ECHO')).recordset;
    for (const c of PARAM_CASES) {
      assert.deepEqual(row[c.name], c.expected ?? c.value, c.name);
      assert.equal(nullRow[c.name], null, `NULL ${c.name}`);
    }
  });

  it('times out a slow request with requestTimeout and keeps the connection usable', async () => {
    const single = await new sql.ConnectionPool(config({ requestTimeout: 200, pool: { max: 1 } })).connect();
    const started = Date.now();
    await assert.rejects(single.request().batch('WAIT 10000'), (error: sql.RequestError) => error.code === 'ETIMEOUT');
    assert.ok(Date.now() - started < 3000);
    const again = await single.request().batch('WAIT 1');
    assert.deepEqual(again.recordset, [{ waited: 1 }]);
    await single.close();
  });

  it('cancels a request with request.cancel(), even mid-stream, and keeps the connection usable', async () => {
    const single = await new sql.ConnectionPool(config({ pool: { max: 1 } })).connect();
    const waiting = single.request();
    const pending = waiting.batch('WAIT 10000');
    setTimeout(() => waiting.cancel(), 100);
    await assert.rejects(pending, (error: sql.RequestError) => error.code === 'ECANCEL');

    const streaming = single.request();
    streaming.stream = true;
    let rows = 0;
    const finished = new Promise<unknown>((resolve) => {
      streaming.on('row', () => {
        if (++rows === 1000) streaming.cancel();
      });
      streaming.on('error', resolve);
      streaming.on('done', () => resolve(undefined));
    });
    void streaming.batch('ROWS 5000000');
    const error = (await finished) as sql.RequestError | undefined;
    assert.equal(error?.code, 'ECANCEL');
    assert.ok(rows < 5_000_000);
    const again = await single.request().batch('MULTI');
    assert.equal(again.recordsets.length, 3);
    await single.close();
  });

  it('begins, commits and rolls back through the transaction manager', async () => {
    script.transactions.length = 0;
    const committed = new sql.Transaction(pool);
    await committed.begin();
    await new sql.Request(committed).batch('MULTI');
    await committed.commit();
    const rolledBack = new sql.Transaction(pool);
    await rolledBack.begin();
    await rolledBack.rollback();
    assert.deepEqual(script.transactions, ['begin', 'commit', 'begin', 'rollback']);
  });

  it('serves a pool of 20 concurrent connections', async () => {
    const opened = script.sessionsOpened;
    const wide = await new sql.ConnectionPool(config({ pool: { max: 20, min: 0 } })).connect();
    const started = Date.now();
    const results = await Promise.all(Array.from({ length: 20 }, () => wide.request().batch('WAIT 300')));
    assert.ok(Date.now() - started < 3000, 'the 20 waits overlapped');
    assert.equal(results.length, 20);
    assert.ok(script.sessionsOpened - opened >= 20);
    await wide.close();
  });

  it('streams 200 000 rows, producing them only as fast as the client reads (backpressure)', async () => {
    const request = pool.request();
    request.stream = true;
    let rows = 0;
    let lastId = -1;
    let producedWhilePaused = Number.NaN;
    const producedBefore = script.rowsProduced;
    const done = new Promise<void>((resolve, reject) => {
      request.on('row', (row: { id: number }) => {
        rows++;
        lastId = row.id;
        if (rows === 1000) {
          request.pause();
          setTimeout(() => {
            producedWhilePaused = script.rowsProduced - producedBefore;
            request.resume();
          }, 500);
        }
      });
      request.on('error', reject);
      request.on('done', () => resolve());
    });
    void request.batch('ROWS 200000');
    await done;
    assert.equal(rows, 200_000);
    assert.equal(lastId, 199_999);
    // 200 000 rows of ~420 bytes are ~84 MB; while the client pauses, only what fits in socket
    // buffers may be produced.
    assert.ok(producedWhilePaused < 60_000, `produced ${producedWhilePaused} rows while the client was paused`);
  });

  it('closes a connection that sends garbage and keeps serving others', async () => {
    const socket = connect(server.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(Buffer.from([0x12, 0x01, 0x00, 0x03, 0, 0, 0, 0]));
    await new Promise((resolve) => socket.once('close', resolve));
    const result = await pool.request().batch('MULTI');
    assert.equal(result.recordsets.length, 3);
  });
});
