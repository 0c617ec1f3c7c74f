import type { SqlType } from '../backend.ts';
import { type ColumnCodec, columnCodec } from './column-codec.ts';
import { downlevelTemporalText } from './temporal.ts';

/** TDS versions as LOGIN7 and LOGINACK carry them (MS-TDS 2.2.6.4). */
export const TDS_7_1 = 0x71000001;
export const TDS_7_2 = 0x72090002;
/** 7.3A; 7.3B (0x730b0003) compares above it. */
export const TDS_7_3 = 0x730a0003;
export const TDS_7_4 = 0x74000004;

/** TDS 7.1 as SQL Server 2000 before SP1 clients send it; 7.1 revision 1 is TDS_7_1. */
const TDS_7_1_REV0 = 0x71000000;

/**
 * The version LOGINACK answers: what the client asked for when it is 7.1 to 7.4 (SQL Server
 * negotiates down, the encodings then follow it), 7.4 for anything newer, and undefined below
 * 7.1 (TDS 7.0 and older: no collations, other LOGIN7 and token layouts), which the sandbox
 * refuses.
 */
export function negotiateVersion(requested: number): number | undefined {
  if (requested < TDS_7_1_REV0) return undefined;
  return requested < TDS_7_4 ? requested : TDS_7_4;
}

/** Characters SQL Server gives each temporal type when it sends it as nvarchar to a pre-7.3 client. */
const AS_TEXT: Partial<Record<SqlType['name'], number>> = { date: 10, time: 16, datetime2: 27, datetimeoffset: 34 };

/**
 * The type a column is sent as to a client of the given TDS version: before 7.3 there are no
 * date, time, datetime2 or datetimeoffset types, and SQL Server sends them as nvarchar in ISO
 * form (codecForVersion writes the text), as the MS-TDS type table says.
 */
export function typeForVersion(type: SqlType, tdsVersion: number): SqlType {
  const length = AS_TEXT[type.name];
  if (tdsVersion < TDS_7_3 && length !== undefined) return { name: 'nvarchar', length };
  return type;
}

/**
 * TDS 7.2 brought PLP types ((n)varchar(max), varbinary(max), xml), 8-byte DONE row counts and
 * 4-byte UserType fields (MS-TDS 2.2.7.4, 2.2.7.6); a 7.1 client reads the older forms.
 */
export function isTds72Plus(tdsVersion: number): boolean {
  return tdsVersion >= TDS_7_2;
}

/**
 * How a column of this type is encoded for a client of this TDS version: its type, LOB form, and
 * temporal values as the text SQL Server sends before 7.3.
 */
export function codecForVersion(type: SqlType, tdsVersion: number): ColumnCodec {
  const sent = typeForVersion(type, tdsVersion);
  const codec = columnCodec(sent, { plp: isTds72Plus(tdsVersion) });
  const name = type.name;
  if (sent === type || !(name === 'date' || name === 'time' || name === 'datetime2' || name === 'datetimeoffset')) return codec;
  const scale = Math.min(7, Math.max(0, type.scale ?? 7));
  return { ...codec, writeValue: (w, v) => codec.writeValue(w, downlevelTemporalText(name, String(v), scale)) };
}

/** NBCROW (null-bitmap rows) exists from TDS 7.3 on. */
export function hasNullBitmapRows(tdsVersion: number): boolean {
  return tdsVersion >= TDS_7_3;
}

/** Requests carry ALL_HEADERS from TDS 7.2 on (MS-TDS 2.2.5.3). */
export function hasAllHeaders(tdsVersion: number): boolean {
  return isTds72Plus(tdsVersion);
}
