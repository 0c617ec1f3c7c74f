import type { SqlType, SqlValue } from '../backend.ts';
import type { ByteReader } from './byte-reader.ts';
import { decodeVarchar } from './collation.ts';
import { formatScaledDecimal } from './decimal.ts';
import { TdsProtocolError } from './errors.ts';
import { bytesToGuid } from './guid.ts';
import { DAYS_1900, formatDate, formatOffset, formatTime, timeLength } from './temporal.ts';
import { MAX_LENGTH_MARKER, PLP_NULL, TypeId } from './type-ids.ts';

/** A parameter's TYPE_INFO as the client sent it (MS-TDS 2.2.5.6). */
export interface WireType {
  id: number;
  /** Fixed or maximum size in bytes; MAX_LENGTH_MARKER for PLP. */
  size: number;
  precision: number;
  scale: number;
  collation: Buffer;
  sqlType: SqlType;
}

const NO_COLLATION = Buffer.alloc(5);

const FIXED: Record<number, [number, SqlType['name']]> = {
  [TypeId.INT1]: [1, 'tinyint'],
  [TypeId.INT2]: [2, 'smallint'],
  [TypeId.INT4]: [4, 'int'],
  [TypeId.INT8]: [8, 'bigint'],
  [TypeId.BIT]: [1, 'bit'],
  [TypeId.FLT4]: [4, 'real'],
  [TypeId.FLT8]: [8, 'float'],
  [TypeId.MONEY]: [8, 'money'],
  [TypeId.MONEY4]: [4, 'smallmoney'],
  [TypeId.DATETIME]: [8, 'datetime'],
  [TypeId.DATETIM4]: [4, 'smalldatetime'],
  [TypeId.NULL]: [0, 'int'],
};

const INTN_NAMES: Record<number, SqlType['name']> = { 1: 'tinyint', 2: 'smallint', 4: 'int', 8: 'bigint' };

/** Reads a TYPE_INFO and maps it to the SQL Server type it declares. */
export function readTypeInfo(r: ByteReader): WireType {
  const id = r.u8();
  const base = { id, size: 0, precision: 0, scale: 0, collation: NO_COLLATION };
  const fixed = FIXED[id];
  if (fixed) return { ...base, size: fixed[0], sqlType: { name: fixed[1] } };
  switch (id) {
    case TypeId.INTN: {
      const size = r.u8();
      return { ...base, size, sqlType: { name: INTN_NAMES[size] ?? 'bigint' } };
    }
    case TypeId.BITN:
      return { ...base, size: r.u8(), sqlType: { name: 'bit' } };
    case TypeId.FLTN: {
      const size = r.u8();
      return { ...base, size, sqlType: { name: size === 4 ? 'real' : 'float' } };
    }
    case TypeId.MONEYN: {
      const size = r.u8();
      return { ...base, size, sqlType: { name: size === 4 ? 'smallmoney' : 'money' } };
    }
    case TypeId.DATETIMN: {
      const size = r.u8();
      return { ...base, size, sqlType: { name: size === 4 ? 'smalldatetime' : 'datetime' } };
    }
    case TypeId.GUID:
      return { ...base, size: r.u8(), sqlType: { name: 'uniqueidentifier' } };
    case TypeId.DECIMALN:
    case TypeId.NUMERICN: {
      const size = r.u8();
      const precision = r.u8();
      const scale = r.u8();
      return { ...base, size, precision, scale, sqlType: { name: id === TypeId.NUMERICN ? 'numeric' : 'decimal', precision, scale } };
    }
    case TypeId.DATE:
      return { ...base, sqlType: { name: 'date' } };
    case TypeId.TIME:
    case TypeId.DATETIME2:
    case TypeId.DATETIMEOFFSET: {
      const scale = r.u8();
      const name = id === TypeId.TIME ? 'time' : id === TypeId.DATETIME2 ? 'datetime2' : 'datetimeoffset';
      return { ...base, scale, sqlType: { name, scale } };
    }
    case TypeId.BIGVARCHAR:
    case TypeId.BIGCHAR:
    case TypeId.NVARCHAR:
    case TypeId.NCHAR: {
      const size = r.u16();
      const collation = Buffer.from(r.bytes(5));
      const unicode = id === TypeId.NVARCHAR || id === TypeId.NCHAR;
      const fixedLength = id === TypeId.BIGCHAR || id === TypeId.NCHAR;
      const name = unicode ? (fixedLength ? 'nchar' : 'nvarchar') : fixedLength ? 'char' : 'varchar';
      const length = size === MAX_LENGTH_MARKER ? 'max' : unicode ? size / 2 : size;
      return { ...base, size, collation, sqlType: { name, length } };
    }
    case TypeId.BIGVARBINARY:
    case TypeId.BIGBINARY: {
      const size = r.u16();
      const length = size === MAX_LENGTH_MARKER ? 'max' : size;
      return { ...base, size, sqlType: { name: id === TypeId.BIGBINARY ? 'binary' : 'varbinary', length } };
    }
    case TypeId.TEXT:
    case TypeId.NTEXT: {
      const size = r.u32();
      const collation = Buffer.from(r.bytes(5));
      return { ...base, size, collation, sqlType: { name: id === TypeId.TEXT ? 'varchar' : 'nvarchar', length: 'max' } };
    }
    case TypeId.IMAGE:
      return { ...base, size: r.u32(), sqlType: { name: 'varbinary', length: 'max' } };
    case TypeId.XML: {
      if (r.u8() === 1) {
        r.bVarchar();
        r.bVarchar();
        r.usVarchar();
      }
      return { ...base, size: MAX_LENGTH_MARKER, sqlType: { name: 'xml' } };
    }
  }
  throw new TdsProtocolError(`unsupported parameter type 0x${id.toString(16)}`);
}

function readPlp(r: ByteReader): Buffer | null {
  const total = r.u64();
  if (total === PLP_NULL) return null;
  const chunks: Buffer[] = [];
  for (;;) {
    const length = r.u32();
    if (length === 0) break;
    chunks.push(r.bytes(length));
  }
  return Buffer.concat(chunks);
}

/** Reads one value of a wire type into the engine's value convention (see backend.ts). */
export function readValue(r: ByteReader, t: WireType): SqlValue {
  const name = t.sqlType.name;
  const isFixed = FIXED[t.id] !== undefined;
  if (t.id === TypeId.NULL) return null;
  // Variable-length character and binary types.
  if (t.size === MAX_LENGTH_MARKER || t.id === TypeId.XML) {
    const data = readPlp(r);
    return data === null ? null : decodeData(data, t);
  }
  if (t.id === TypeId.TEXT || t.id === TypeId.NTEXT || t.id === TypeId.IMAGE) {
    const length = r.u32();
    return length === 0xffffffff ? null : decodeData(r.bytes(length), t);
  }
  if ([TypeId.BIGVARCHAR, TypeId.BIGCHAR, TypeId.NVARCHAR, TypeId.NCHAR, TypeId.BIGVARBINARY, TypeId.BIGBINARY].includes(t.id as 0xa7)) {
    const length = r.u16();
    return length === 0xffff ? null : decodeData(r.bytes(length), t);
  }
  const length = isFixed ? t.size : r.u8();
  if (length === 0) return null;
  const start = r.offset;
  const value = decodeScalar(r, t, name, length);
  r.offset = start + length;
  return value;
}

function decodeData(data: Buffer, t: WireType): SqlValue {
  switch (t.sqlType.name) {
    case 'binary':
    case 'varbinary':
      return new Uint8Array(data);
    case 'char':
    case 'varchar':
      return decodeVarchar(data, t.collation);
    default:
      return data.toString('utf16le');
  }
}

function decodeScalar(r: ByteReader, t: WireType, name: SqlType['name'], length: number): SqlValue {
  switch (name) {
    case 'tinyint':
      return r.u8();
    case 'smallint':
      return r.i16();
    case 'int':
      return r.i32();
    case 'bigint':
      return r.i64();
    case 'bit':
      return r.u8() !== 0;
    case 'real':
      return r.f32();
    case 'float':
      return length === 4 ? r.f32() : r.f64();
    case 'money': {
      const high = r.i32();
      const low = r.u32();
      return formatScaledDecimal((BigInt(high) << 32n) + BigInt(low), 4);
    }
    case 'smallmoney':
      return formatScaledDecimal(BigInt(r.i32()), 4);
    case 'decimal':
    case 'numeric': {
      const positive = r.u8() === 1;
      const magnitude = r.uintN(length - 1);
      return formatScaledDecimal(positive ? magnitude : -magnitude, t.scale);
    }
    case 'uniqueidentifier':
      return bytesToGuid(r.bytes(16));
    case 'date':
      return formatDate(Number(r.uintN(3)));
    case 'time':
      return formatTime(r.uintN(timeLength(t.scale)), t.scale);
    case 'datetime2': {
      const time = formatTime(r.uintN(timeLength(t.scale)), t.scale);
      return `${formatDate(Number(r.uintN(3)))} ${time}`;
    }
    case 'datetimeoffset': {
      const perDay = 86400n * 10n ** BigInt(t.scale);
      const utc = r.uintN(timeLength(t.scale)) + r.uintN(3) * perDay;
      const offset = r.i16();
      const local = utc + BigInt(offset * 60) * 10n ** BigInt(t.scale);
      return `${formatDate(Number(local / perDay))} ${formatTime(local % perDay, t.scale)}${formatOffset(offset)}`;
    }
    case 'datetime': {
      const days = r.i32();
      const ticks = r.u32();
      const ms = Math.round((ticks * 10) / 3);
      return `${formatDate(days + DAYS_1900)} ${formatTime(BigInt(ms), 3)}`;
    }
    case 'smalldatetime': {
      const days = r.u16();
      const minutes = r.u16();
      return `${formatDate(days + DAYS_1900)} ${formatTime(BigInt(minutes * 60), 0)}`;
    }
    default:
      throw new TdsProtocolError(`cannot decode ${name}`);
  }
}
