/**
 * Every id `search` hands out and `fetch` accepts. Ids are opaque to the model but readable to a
 * human, never carry SQL, and come in two families:
 * - self-describing ids that any replica can serve at any time from the database:
 *   `table:<schema>.<name>` and `row:<schema>.<name>:<key>`;
 * - cache ids for result sets that only the caller's replica holds until they expire:
 *   `result:<uuid>` and `resultrow:<uuid>:<n>` (n counts from 1).
 *
 * Names are percent-encoded where they contain `%`, `.` or `:` so splitting is unambiguous. A row
 * key is the primary key's value when it is a single plain token (`row:sales.Orders:42`), else a
 * base64url JSON array of the key values after a `~` (`row:sales.OrderLines:~WzEsMl0`).
 */

export type ParsedId =
  | { kind: 'table'; schema: string; name: string }
  | { kind: 'row'; schema: string; name: string; key: Array<string | number> }
  | { kind: 'result'; uuid: string }
  | { kind: 'result_row'; uuid: string; row: number };

/** Longest id accepted; longer input is malformed. */
export const MAX_ID_LENGTH = 2_048;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PLAIN_KEY = /^[A-Za-z0-9_-]{1,200}$/;
const INTEGER = /^-?(0|[1-9][0-9]{0,15})$/;

const encodePart = (s: string): string => s.replace(/[%.:]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

function decodePart(s: string): string | undefined {
  if (s.length === 0 || s.length > 256) return undefined;
  try {
    const decoded = decodeURIComponent(s);
    return decoded.length > 0 && decoded.length <= 128 ? decoded : undefined;
  } catch {
    return undefined;
  }
}

export function tableId(schema: string, name: string): string {
  return `table:${encodePart(schema)}.${encodePart(name)}`;
}

/** A row id from the primary-key values in key order (JSON-friendly values, as `Db` returns them). */
export function rowId(schema: string, name: string, values: readonly unknown[]): string {
  // A bit key travels as 1/0, which its typed parameter reads back.
  const key = values.map((v) => (typeof v === 'boolean' ? Number(v) : v));
  const only = key.length === 1 ? key[0] : undefined;
  const plain =
    (typeof only === 'number' && Number.isSafeInteger(only)) || (typeof only === 'string' && PLAIN_KEY.test(only) && !INTEGER.test(only));
  const encoded = plain ? String(only) : `~${Buffer.from(JSON.stringify(key), 'utf8').toString('base64url')}`;
  return `row:${encodePart(schema)}.${encodePart(name)}:${encoded}`;
}

export function resultId(uuid: string): string {
  return `result:${uuid}`;
}

export function resultRowId(uuid: string, row: number): string {
  return `resultrow:${uuid}:${row}`;
}

function splitQualified(s: string): { schema: string; name: string } | undefined {
  const parts = s.split('.');
  if (parts.length !== 2) return undefined;
  const schema = decodePart(parts[0] ?? '');
  const name = decodePart(parts[1] ?? '');
  return schema && name ? { schema, name } : undefined;
}

function parseKey(s: string): Array<string | number> | undefined {
  if (s.startsWith('~')) {
    const body = s.slice(1);
    if (!/^[A-Za-z0-9_-]+$/.test(body)) return undefined;
    try {
      const value: unknown = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
      if (!Array.isArray(value) || value.length === 0 || value.length > 16) return undefined;
      return value.every((v) => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))
        ? (value as Array<string | number>)
        : undefined;
    } catch {
      return undefined;
    }
  }
  if (INTEGER.test(s)) return [Number(s)];
  return PLAIN_KEY.test(s) ? [s] : undefined;
}

/** Parses an id; `undefined` means malformed (the caller answers `INVALID_INPUT`). */
export function parseId(id: string): ParsedId | undefined {
  if (id.length === 0 || id.length > MAX_ID_LENGTH) return undefined;
  const colon = id.indexOf(':');
  if (colon < 0) return undefined;
  const kind = id.slice(0, colon);
  const rest = id.slice(colon + 1);
  switch (kind) {
    case 'table': {
      const q = splitQualified(rest);
      return q ? { kind: 'table', ...q } : undefined;
    }
    case 'row': {
      const sep = rest.indexOf(':');
      if (sep < 0) return undefined;
      const q = splitQualified(rest.slice(0, sep));
      const key = parseKey(rest.slice(sep + 1));
      return q && key ? { kind: 'row', ...q, key } : undefined;
    }
    case 'result':
      return UUID.test(rest) ? { kind: 'result', uuid: rest } : undefined;
    case 'resultrow': {
      const sep = rest.lastIndexOf(':');
      const uuid = rest.slice(0, sep);
      const n = rest.slice(sep + 1);
      if (sep < 0 || !UUID.test(uuid) || !/^[1-9][0-9]{0,8}$/.test(n)) return undefined;
      return { kind: 'result_row', uuid, row: Number(n) };
    }
    default:
      return undefined;
  }
}
