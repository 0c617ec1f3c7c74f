import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import sql from 'mssql';
import tedious from 'tedious';
import { COLUMN_CASES, PASSWORD, startScriptedServer, USER, type ScriptedServer } from './tds-scripted-backend.ts';

/** Logins, encryption, every type as column and parameter, result sets and errors, through mssql. */
describe('TDS wire layer with the mssql driver', () => {
  let scripted: ScriptedServer;
  let pool: sql.ConnectionPool;
  const config = (extra: Partial<sql.config> = {}): sql.config => scripted.config(extra);

  before(async () => {
    scripted = await startScriptedServer();
    pool = await new sql.ConnectionPool(config({ pool: { max: 20 } })).connect();
  });

  after(async () => {
    await pool.close();
    await scripted.close();
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
      options: { port: scripted.server.port, database, encrypt: false },
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

  it('returns OUTPUT parameter values as RETURNVALUE tokens', async () => {
    const request = pool.request();
    request.input('plain', sql.Int, 1);
    request.output('doubled', sql.Int, 21);
    request.output('text', sql.NVarChar(sql.MAX), 'kept é');
    request.output('nothing', sql.DateTime2(3), null);
    const result = await request.query('ECHO');
    assert.deepEqual(result.output, { doubled: 42, text: 'kept é', nothing: null });
    assert.deepEqual(result.recordset, [{ plain: 1 }]);
  });

  it('answers a parameter it cannot decode (table-valued) with error 8009 and stays usable', async () => {
    const single = await new sql.ConnectionPool(config({ pool: { max: 1 } })).connect();
    const ids = new sql.Table('dbo.IdList');
    ids.columns.add('id', sql.Int, { nullable: false });
    ids.rows.add(1);
    const request = single.request();
    request.input('ids', ids);
    await assert.rejects(request.query('ECHO'), (error: sql.RequestError) => error.number === 8009);
    const again = await single.request().batch('MULTI');
    assert.equal(again.recordsets.length, 3);
    await single.close();
  });

  it('prepares, executes and unprepares statements (sp_prepare / sp_execute / sp_unprepare)', async () => {
    const single = await new sql.ConnectionPool(config({ pool: { max: 1 } })).connect();
    const statement = new sql.PreparedStatement(single);
    statement.input('n', sql.Int);
    statement.input('label', sql.NVarChar(20));
    await statement.prepare('ECHO');
    const first = await statement.execute({ n: 5, label: 'five' });
    const second = await statement.execute({ n: 6, label: null });
    await statement.unprepare();
    assert.deepEqual(first.recordset, [{ n: 5, label: 'five' }]);
    assert.deepEqual(second.recordset, [{ n: 6, label: null }]);
    await single.close();
  });

  it('closes a connection that sends garbage and keeps serving others', async () => {
    const socket = connect(scripted.server.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(Buffer.from([0x12, 0x01, 0x00, 0x03, 0, 0, 0, 0]));
    await new Promise((resolve) => socket.once('close', resolve));
    const result = await pool.request().batch('MULTI');
    assert.equal(result.recordsets.length, 3);
  });
});
