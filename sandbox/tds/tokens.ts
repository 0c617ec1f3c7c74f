import type { SqlMessage } from '../backend.ts';
import { ByteWriter } from './byte-writer.ts';

/** Token types the server sends (MS-TDS 2.2.7). */
export const Token = {
  RETURNSTATUS: 0x79,
  COLMETADATA: 0x81,
  ERROR: 0xaa,
  INFO: 0xab,
  RETURNVALUE: 0xac,
  LOGINACK: 0xad,
  ROW: 0xd1,
  NBCROW: 0xd2,
  ENVCHANGE: 0xe3,
  DONE: 0xfd,
  DONEPROC: 0xfe,
  DONEINPROC: 0xff,
} as const;

/** DONE status bits (2.2.7.6). */
export const DoneStatus = {
  FINAL: 0x0,
  MORE: 0x1,
  ERROR: 0x2,
  INXACT: 0x4,
  COUNT: 0x10,
  ATTN: 0x20,
  SRVERROR: 0x100,
} as const;

/** ENVCHANGE types (2.2.7.9). */
export const EnvChange = {
  DATABASE: 1,
  LANGUAGE: 2,
  PACKET_SIZE: 4,
  COLLATION: 7,
  BEGIN_TRAN: 8,
  COMMIT_TRAN: 9,
  ROLLBACK_TRAN: 10,
  RESET_CONNECTION: 18,
} as const;

/** The SELECT command code DONE carries for statements that returned rows. */
export const CURCMD_SELECT = 0xc1;

/**
 * DONE, DONEPROC or DONEINPROC: status, current command, row count (64-bit from TDS 7.2 on,
 * 32-bit for a 7.1 client: `wideCount` false).
 */
export function doneToken(w: ByteWriter, token: number, status: number, rowCount = 0, curCmd = 0, wideCount = true): void {
  const count = Number.isSafeInteger(rowCount) && rowCount > 0 ? rowCount : 0;
  w.u8(token).u16(status).u16(curCmd);
  if (wideCount) w.u64(BigInt(count));
  else w.u32(Math.min(count, 0xffffffff));
}

/** The UserType field of COLMETADATA and RETURNVALUE: ULONG from TDS 7.2 on, USHORT before. */
export function userType(w: ByteWriter, wide: boolean): void {
  if (wide) w.u32(0);
  else w.u16(0);
}

/**
 * INFO or ERROR: number, state, class (severity), message, server name, procedure name, line (a
 * LONG from TDS 7.2 on, a USHORT for a 7.1 client: `wideLine` false).
 */
export function messageToken(w: ByteWriter, token: number, message: SqlMessage, serverName: string, wideLine = true): void {
  const body = new ByteWriter();
  body
    .i32(message.number)
    .u8(message.state)
    .u8(message.severity)
    .usVarchar(message.message)
    .bVarchar(serverName)
    .bVarchar(message.procName ?? '');
  if (wideLine) body.i32(message.line);
  else body.u16(Math.min(Math.max(message.line, 0), 0xffff));
  w.u8(token).u16(body.length).bytes(body.view());
}

/** ENVCHANGE with B_VARCHAR new and old values (database, language, packet size). */
export function envChangeText(w: ByteWriter, type: number, newValue: string, oldValue: string): void {
  const body = new ByteWriter();
  body.u8(type).bVarchar(newValue).bVarchar(oldValue);
  w.u8(Token.ENVCHANGE).u16(body.length).bytes(body.view());
}

/** ENVCHANGE with B_VARBYTE new and old values (collation, transaction descriptors). */
export function envChangeBytes(w: ByteWriter, type: number, newValue: Uint8Array, oldValue: Uint8Array): void {
  const body = new ByteWriter();
  body.u8(type).u8(newValue.length).bytes(newValue).u8(oldValue.length).bytes(oldValue);
  w.u8(Token.ENVCHANGE).u16(body.length).bytes(body.view());
}

/** An 8-byte transaction descriptor as ENVCHANGE and ALL_HEADERS carry it. */
export function descriptorBytes(descriptor: bigint): Buffer {
  const buf = Buffer.alloc(8);
  buf.writeBigUInt64LE(BigInt.asUintN(64, descriptor));
  return buf;
}

/** LOGINACK: interface SQL_TSQL, the negotiated TDS version (big-endian), program name and version. */
export function loginAckToken(w: ByteWriter, tdsVersion: number, progName: string, version: readonly [number, number, number]): void {
  const body = new ByteWriter();
  body
    .u8(1)
    .u32be(tdsVersion)
    .bVarchar(progName)
    .u8(version[0])
    .u8(version[1])
    .u8(version[2] >> 8)
    .u8(version[2] & 0xff);
  w.u8(Token.LOGINACK).u16(body.length).bytes(body.view());
}

export function returnStatusToken(w: ByteWriter, value: number): void {
  w.u8(Token.RETURNSTATUS).i32(value);
}
