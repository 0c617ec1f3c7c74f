import type { SqlType } from '../backend.ts';

/** TDS versions as LOGIN7 and LOGINACK carry them (MS-TDS 2.2.6.4). */
export const TDS_7_1 = 0x71000001;
export const TDS_7_2 = 0x72090002;
/** 7.3A; 7.3B (0x730b0003) compares above it. */
export const TDS_7_3 = 0x730a0003;
export const TDS_7_4 = 0x74000004;

/**
 * The version LOGINACK answers: what the client asked for when it is 7.1 to 7.4 (SQL Server
 * negotiates down, the encodings then follow it), else 7.4.
 */
export function negotiateVersion(requested: number): number {
  return requested >= TDS_7_1 && requested < TDS_7_4 ? requested : TDS_7_4;
}

/** Characters SQL Server gives each temporal type when it sends it as nvarchar to a pre-7.3 client. */
const AS_TEXT: Partial<Record<SqlType['name'], number>> = { date: 10, time: 16, datetime2: 27, datetimeoffset: 34 };

/**
 * The type a column is sent as to a client of the given TDS version: before 7.3 there are no
 * date, time, datetime2 or datetimeoffset types, and SQL Server sends them as nvarchar in ISO
 * form (the engine's text form for them already is that), as the MS-TDS type table says.
 */
export function typeForVersion(type: SqlType, tdsVersion: number): SqlType {
  const length = AS_TEXT[type.name];
  if (tdsVersion < TDS_7_3 && length !== undefined) return { name: 'nvarchar', length };
  return type;
}

/** NBCROW (null-bitmap rows) exists from TDS 7.3 on. */
export function hasNullBitmapRows(tdsVersion: number): boolean {
  return tdsVersion >= TDS_7_3;
}

/** Requests carry ALL_HEADERS from TDS 7.2 on (MS-TDS 2.2.5.3). */
export function hasAllHeaders(tdsVersion: number): boolean {
  return tdsVersion >= TDS_7_2;
}
