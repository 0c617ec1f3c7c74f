import { randomBytes } from 'node:crypto';
import type { LogLevel } from './config.ts';
import { LogDigest } from './log-digest.ts';

export type LogFields = Record<string, unknown>;

/** Structured JSON logs, one line per event. Reads no environment; level and sink are options. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (e.g. the request id). */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  level: LogLevel;
  /** Receives one JSON line without the trailing newline. Default: stdout. */
  write?: (line: string) => void;
  now?: () => Date;
  /** Key for `LogDigest` values (loadLogDigestKey); default: a random key for this process. */
  digestKey?: Uint8Array;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** Field names whose values are never written, whatever the caller passes (defence in depth). */
const SECRET_KEY = /pass(word)?|secret|token|authorization|api_?key|cookie|credential/i;

/**
 * Creates a logger. `LogDigest` values are written as their keyed digest (see log-digest.ts).
 * Secret-looking fields are replaced by `[redacted]`, Error values become
 * `{name, code, message}` without stacks at levels above debug, so a log line never carries a
 * password, key or token even when a caller is careless.
 */
export function createLogger(given: LoggerOptions, base: LogFields = {}): Logger {
  const options = given.digestKey ? given : { ...given, digestKey: randomBytes(32) };
  const digestKey = options.digestKey as Uint8Array;
  const threshold = RANK[options.level];
  const write = options.write ?? ((line: string) => void process.stdout.write(`${line}\n`));
  const now = options.now ?? (() => new Date());

  const emit = (level: Exclude<LogLevel, 'silent'>, message: string, fields?: LogFields): void => {
    if (RANK[level] < threshold) return;
    const record: LogFields = { time: now().toISOString(), level, msg: message };
    for (const [key, value] of Object.entries({ ...base, ...fields })) {
      if (value instanceof LogDigest) record[key] = value.digest(digestKey);
      else record[key] = SECRET_KEY.test(key) ? '[redacted]' : serialize(value, level === 'debug');
    }
    let line: string;
    try {
      line = JSON.stringify(record);
    } catch {
      line = JSON.stringify({ time: record.time, level, msg: message, logError: 'unserializable fields' });
    }
    write(line);
  };

  return {
    debug: (message, fields) => emit('debug', message, fields),
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
    child: (fields) => createLogger(options, { ...base, ...fields }),
  };
}

function serialize(value: unknown, withStack: boolean): unknown {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return {
      name: value.name,
      ...(code === undefined ? {} : { code }),
      message: value.message,
      ...(withStack && value.stack ? { stack: value.stack } : {}),
      ...(value.cause === undefined ? {} : { cause: serialize(value.cause, withStack) }),
    };
  }
  if (typeof value === 'bigint') return value.toString();
  return value;
}
