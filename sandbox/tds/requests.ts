import type { RpcParam } from '../backend.ts';
import { readAllHeaders } from './all-headers.ts';
import { ByteReader } from './byte-reader.ts';
import { TdsProtocolError } from './errors.ts';
import { readTypeInfo, readValue } from './param-decoder.ts';

/** Well-known procedure ids an RPC may send instead of a name (MS-TDS 2.2.6.6). */
const PROC_IDS: Record<number, string> = {
  10: 'sp_executesql',
  11: 'sp_prepare',
  12: 'sp_execute',
  13: 'sp_prepexec',
  15: 'sp_unprepare',
};

/** SQL batch: ALL_HEADERS (TDS 7.2 and later), then the batch text in UCS-2. */
export function parseSqlBatch(payload: Buffer, allHeaders = true): string {
  const reader = new ByteReader(payload);
  if (allHeaders) readAllHeaders(reader);
  return payload.toString('utf16le', reader.offset);
}

export interface RpcCall {
  procedure: string;
  params: RpcParam[];
}

/**
 * RPC request: ALL_HEADERS, the procedure (name or well-known id), option flags, then typed
 * parameters (name, status with the by-ref bit for OUTPUT, TYPE_INFO, value). Only the first call
 * of a batched RPC is read; tedious never batches calls.
 */
export function parseRpc(payload: Buffer, allHeaders = true): RpcCall {
  const reader = new ByteReader(payload);
  if (allHeaders) readAllHeaders(reader);
  const nameLength = reader.u16();
  let procedure: string;
  if (nameLength === 0xffff) {
    const id = reader.u16();
    const known = PROC_IDS[id];
    if (!known) throw new TdsProtocolError(`unsupported procedure id ${id}`);
    procedure = known;
  } else {
    procedure = reader.ucs2(nameLength);
  }
  reader.u16();
  const params: RpcParam[] = [];
  while (reader.remaining > 0) {
    const next = reader.buf[reader.offset];
    if (next === 0xff || next === 0x80 || next === 0xfe) break;
    const name = reader.bVarchar();
    const status = reader.u8();
    const type = readTypeInfo(reader);
    const value = readValue(reader, type);
    params.push({ name, type: type.sqlType, value, output: (status & 0x01) !== 0 });
  }
  return { procedure, params };
}

/** Transaction-manager request types (2.2.6.9). */
export const TmRequest = { BEGIN: 5, COMMIT: 7, ROLLBACK: 8, SAVE: 9 } as const;

export interface TmCall {
  type: number;
  isolation: number;
  /**
   * For COMMIT and ROLLBACK: fBeginXact, a new transaction to begin at once (ODBC and JDBC drivers
   * with autocommit off commit this way), at `newIsolation` (0 keeps the session's level).
   */
  beginAfter: boolean;
  newIsolation: number;
}

/**
 * Transaction-manager request (2.2.6.9): ALL_HEADERS, the request type, then for BEGIN the
 * isolation level and a name; for COMMIT and ROLLBACK a name, fBeginXact and, when set, the new
 * transaction's isolation level and name. Names are read and not used (no named transactions).
 */
export function parseTransactionManager(payload: Buffer, allHeaders = true): TmCall {
  const reader = new ByteReader(payload);
  if (allHeaders) readAllHeaders(reader);
  const type = reader.u16();
  const isolation = type === TmRequest.BEGIN ? reader.u8() : 0;
  let beginAfter = false;
  let newIsolation = 0;
  if ((type === TmRequest.COMMIT || type === TmRequest.ROLLBACK) && reader.remaining > 0) {
    reader.bVarchar();
    if (reader.remaining > 0 && reader.u8() !== 0) {
      beginAfter = true;
      newIsolation = reader.remaining > 0 ? reader.u8() : 0;
    }
  }
  return { type, isolation, beginAfter, newIsolation };
}
