import { randomBytes } from 'node:crypto';
import { pino, type DestinationStream } from 'pino';
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
  /** Key of the `LogDigest` values (the deployment's, see log-digest.ts); default: random per process. */
  digestKey?: Uint8Array;
}

/** Field names whose values are never written, at any depth, whatever the caller passes. */
const SECRET_KEY = /pass(word)?|secret|token|authorization|api_?key|cookie|credential|assertion/i;
/** Deeper than this, a value is summarised: logs are for events, not object dumps. */
const MAX_DEPTH = 6;

/**
 * Creates a pino logger behind the project's small `Logger` seam. Fields whose names look secret
 * are replaced by `[redacted]` at every depth (nested objects and arrays too); Error values become
 * `{name, code, message, cause}` (stacks only at debug), never the driver's raw error object with
 * its connection details. `LogDigest` values (query text, failed sign-in names) are written as
 * their keyed digest. Lines keep the shape `{time, level, msg, …fields}`.
 */
export function createLogger(options: LoggerOptions): Logger {
  const withStack = options.level === 'debug';
  const cleaner: Cleaner = { withStack, digestKey: options.digestKey ?? randomBytes(32) };
  const now = options.now ?? (() => new Date());
  const sink: DestinationStream | undefined = options.write
    ? { write: (line: string) => options.write?.(line.endsWith('\n') ? line.slice(0, -1) : line) }
    : undefined;
  const root = pino(
    {
      level: options.level,
      base: null,
      messageKey: 'msg',
      timestamp: () => `,"time":"${now().toISOString()}"`,
      formatters: {
        level: (label) => ({ level: label }),
        log: (fields) => clean(fields, cleaner, 0, new WeakSet()) as Record<string, unknown>,
      },
    },
    sink ?? pino.destination({ dest: 1, sync: true }),
  );
  return wrap(root, cleaner);
}

interface Cleaner {
  withStack: boolean;
  digestKey: Uint8Array;
}

function wrap(instance: pino.Logger, cleaner: Cleaner): Logger {
  const emit = (level: 'debug' | 'info' | 'warn' | 'error') => (message: string, fields?: LogFields) => {
    if (!instance.isLevelEnabled(level)) return;
    instance[level](fields ?? {}, message);
  };
  return {
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    // Bindings bypass formatters.log, so a child's fields are cleaned here.
    child: (fields) => wrap(instance.child(clean(fields, cleaner, 0, new WeakSet()) as LogFields), cleaner),
  };
}

function clean(value: unknown, cleaner: Cleaner, depth: number, seen: WeakSet<object>): unknown {
  if (value instanceof LogDigest) return value.digest(cleaner.digestKey);
  if (value instanceof Error) return serializeError(value, cleaner, depth, seen);
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[too deep]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => clean(item, cleaner, depth + 1, seen));
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? '[redacted]' : clean(item, cleaner, depth + 1, seen);
  }
  return out;
}

function serializeError(error: Error, cleaner: Cleaner, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    ...(code === undefined ? {} : { code: typeof code === 'string' || typeof code === 'number' ? code : String(code) }),
    message: error.message,
    ...(cleaner.withStack && error.stack ? { stack: error.stack } : {}),
    ...(error.cause === undefined || depth >= MAX_DEPTH ? {} : { cause: clean(error.cause, cleaner, depth + 1, seen) }),
  };
}
