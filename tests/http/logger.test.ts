import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../../src/logger.ts';

function capture(level: 'debug' | 'info' | 'warn' | 'error' | 'silent') {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level, write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>), now: () => new Date(0) });
  return { logger, lines };
}

describe('logger', () => {
  it('writes one JSON line with time, level, message and fields', () => {
    const { logger, lines } = capture('info');
    logger.info('tool_call', { tool: 'search', rows: 3 });
    assert.deepEqual(lines, [{ time: '1970-01-01T00:00:00.000Z', level: 'info', msg: 'tool_call', tool: 'search', rows: 3 }]);
  });

  it('drops lines below the configured level and everything when silent', () => {
    const info = capture('warn');
    info.logger.info('x');
    info.logger.warn('y');
    assert.deepEqual(
      info.lines.map((line) => line.msg),
      ['y'],
    );
    const silent = capture('silent');
    silent.logger.error('z');
    assert.equal(silent.lines.length, 0);
  });

  for (const key of [
    'password',
    'MSSQL_PASSWORD',
    'token',
    'access_token',
    'authorization',
    'apiKey',
    'api_key',
    'client_secret',
    'cookie',
  ]) {
    it(`redacts a field named ${key}`, () => {
      const { logger, lines } = capture('info');
      logger.info('x', { [key]: 'hunter2' });
      assert.equal(lines[0]![key], '[redacted]');
    });
  }

  it('redacts secret-looking fields at any depth, in objects and arrays, and in child bindings', () => {
    const { logger, lines } = capture('info');
    logger.child({ auth: { bearer: { token: 'child-secret' } } }).info('x', {
      request: { headers: { authorization: 'Bearer abc' }, body: [{ client_secret: 's1' }, { ok: 1 }] },
      oauth: { refresh_token: 'rt' },
    });
    const text = JSON.stringify(lines[0]);
    for (const secret of ['child-secret', 'Bearer abc', 's1', '"rt"']) assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
    assert.deepEqual((lines[0]!.request as { body: unknown[] }).body[1], { ok: 1 });
  });

  it('logs a driver-like error as name, code and message only: never its connection config or raw properties', () => {
    const { logger, lines } = capture('info');
    const driverError = Object.assign(new Error('Login failed for user'), {
      code: 'ELOGIN',
      originalError: { info: { message: 'x' } },
      config: { server: 'db', authentication: { options: { password: 'hunter2' } } },
    });
    logger.error('db', { error: new Error('connect failed', { cause: driverError }) });
    assert.deepEqual(lines[0]!.error, {
      name: 'Error',
      message: 'connect failed',
      cause: { name: 'Error', code: 'ELOGIN', message: 'Login failed for user' },
    });
  });

  it('carries child fields on every line', () => {
    const { logger, lines } = capture('info');
    logger.child({ request_id: 'r1' }).child({ principal: 'p' }).info('x');
    assert.equal(lines[0]!.request_id, 'r1');
    assert.equal(lines[0]!.principal, 'p');
  });

  it('serialises errors with name, code and message, and stacks only at debug', () => {
    const error = Object.assign(new Error('boom', { cause: new Error('root') }), { code: 'E_X' });
    const info = capture('info');
    info.logger.error('failed', { error });
    assert.deepEqual(info.lines[0]!.error, { name: 'Error', code: 'E_X', message: 'boom', cause: { name: 'Error', message: 'root' } });
    const debug = capture('debug');
    debug.logger.debug('failed', { error });
    assert.match(String((debug.lines[0]!.error as { stack: string }).stack), /boom/);
  });

  it('survives fields that cannot be serialised', () => {
    const { logger, lines } = capture('info');
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    logger.info('x', { loop, big: 10n });
    assert.equal(lines[0]!.msg, 'x');
  });
});
