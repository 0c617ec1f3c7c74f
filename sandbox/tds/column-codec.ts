import type { SqlType, SqlValue } from '../backend.ts';
import type { ByteWriter } from './byte-writer.ts';
import { DEFAULT_COLLATION, encodeCp1252 } from './collation.ts';
import { decimalLength, parseScaledDecimal } from './decimal.ts';
import { guidToBytes } from './guid.ts';
import { legacyLobCodec } from './legacy-lob.ts';
import { DAYS_1900, parseTemporal, timeLength, timeUnits } from './temporal.ts';
import { MAX_LENGTH_MARKER, PLP_NULL, TypeId } from './type-ids.ts';

/**
 * How one result column goes on the wire: its TYPE_INFO in COLMETADATA and its values in ROW /
 * NBCROW. Every type is sent in its nullable variant (INTN, BITN, FLTN, …) as SQL Server does for
 * query results, so NULL is always representable.
 */
export interface ColumnCodec {
  writeTypeInfo(w: ByteWriter): void;
  writeValue(w: ByteWriter, value: Exclude<SqlValue, null>): void;
  writeNull(w: ByteWriter): void;
  /** Bytes a NULL costs in a ROW token (NBCROW saves them). */
  readonly nullCost: number;
}

const PLP_CHUNK = 8000;
/** Maximum sizes in bytes SQL Server declares for text/image and ntext columns. */
const TEXT_MAX = 0x7fffffff;
const NTEXT_MAX = 0x7ffffffe;

function writePlp(w: ByteWriter, data: Uint8Array): void {
  w.u64(BigInt(data.length));
  for (let at = 0; at < data.length; at += PLP_CHUNK) {
    const chunk = data.subarray(at, at + PLP_CHUNK);
    w.u32(chunk.length).bytes(chunk);
  }
  w.u32(0);
}

/**
 * `xml` as SQL Server sends it to TDS 7.2+ clients: XMLTYPE (0xF1) with XML_INFO SCHEMA_PRESENT = 0
 * (no length, no collation) and each value as UTF-16 PLP (MS-TDS 2.2.5.5.3). Drivers see an xml
 * column, which SET TEXTSIZE does not cut.
 */
function xmlCodec(): ColumnCodec {
  return {
    writeTypeInfo: (w) => void w.u8(TypeId.XML).u8(0),
    writeValue: (w, v) => writePlp(w, Buffer.from(asText(v), 'utf16le')),
    writeNull: (w) => void w.u64(PLP_NULL),
    nullCost: 8,
  };
}

const asText = (v: Exclude<SqlValue, null>): string => (v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : String(v));
const asBytes = (v: Exclude<SqlValue, null>): Uint8Array => (v instanceof Uint8Array ? v : Buffer.from(String(v), 'utf8'));
const asBigInt = (v: Exclude<SqlValue, null>): bigint =>
  typeof v === 'bigint'
    ? v
    : typeof v === 'number'
      ? BigInt(Math.trunc(v))
      : typeof v === 'boolean'
        ? BigInt(v ? 1 : 0)
        : BigInt(asText(v));

function fixed(id: number, size: number, write: (w: ByteWriter, v: Exclude<SqlValue, null>) => void): ColumnCodec {
  return {
    writeTypeInfo: (w) => void w.u8(id).u8(size),
    writeValue: (w, v) => {
      w.u8(size);
      write(w, v);
    },
    writeNull: (w) => void w.u8(0),
    nullCost: 1,
  };
}

function scaled(
  id: number,
  scale: number,
  lengthOf: (scale: number) => number,
  write: (w: ByteWriter, v: Exclude<SqlValue, null>) => void,
): ColumnCodec {
  return {
    writeTypeInfo: (w) => void w.u8(id).u8(scale),
    writeValue: (w, v) => {
      w.u8(lengthOf(scale));
      write(w, v);
    },
    writeNull: (w) => void w.u8(0),
    nullCost: 1,
  };
}

/** For a 'max' column: PLP (TDS 7.2+), or the legacy LOB type id (text, ntext, image) for older clients. */
type Lob = { plp: true } | { plp: false; id: number; maxBytes: number };

function variable(
  id: number,
  maxBytes: number | 'max',
  collated: boolean,
  encode: (v: Exclude<SqlValue, null>) => Uint8Array,
  lob: Lob,
): ColumnCodec {
  const plp = maxBytes === 'max';
  if (plp && !lob.plp) return legacyLobCodec(lob.id, lob.maxBytes, collated, encode);
  return {
    writeTypeInfo: (w) => {
      w.u8(id).u16(plp ? MAX_LENGTH_MARKER : maxBytes);
      if (collated) w.bytes(DEFAULT_COLLATION);
    },
    writeValue: (w, v) => {
      const data = encode(v);
      if (plp) writePlp(w, data);
      else w.u16(data.length).bytes(data);
    },
    writeNull: (w) => void (plp ? w.u64(PLP_NULL) : w.u16(0xffff)),
    nullCost: plp ? 8 : 2,
  };
}

/** Character or byte length in bytes, or 'max' when unknown or beyond the 8000-byte in-row limit. */
function byteLength(length: SqlType['length'], bytesPerUnit: number): number | 'max' {
  if (length === undefined || length === 'max' || length * bytesPerUnit > 8000) return 'max';
  return Math.max(1, length) * bytesPerUnit;
}

function writeTime(w: ByteWriter, units: bigint, scale: number): void {
  w.uintN(units, timeLength(scale));
}

/**
 * The codec for a column of the given SQL Server type. `plp: false` (clients before TDS 7.2) sends
 * (n)varchar(max), varbinary(max) and xml as text, ntext and image, as SQL Server does.
 */
export function columnCodec(type: SqlType, options: { plp: boolean } = { plp: true }): ColumnCodec {
  const lob = (id: number, maxBytes: number): Lob => (options.plp ? { plp: true } : { plp: false, id, maxBytes });
  const scale = Math.min(7, Math.max(0, type.scale ?? 7));
  switch (type.name) {
    case 'bit':
      return fixed(TypeId.BITN, 1, (w, v) => void w.u8(v === true || (v !== false && Number(v) !== 0) ? 1 : 0));
    case 'tinyint':
      return fixed(TypeId.INTN, 1, (w, v) => void w.u8(Number(v)));
    case 'smallint':
      return fixed(TypeId.INTN, 2, (w, v) => void w.i16(Number(v)));
    case 'int':
      return fixed(TypeId.INTN, 4, (w, v) => void w.i32(Number(v)));
    case 'bigint':
      return fixed(TypeId.INTN, 8, (w, v) => void w.i64(asBigInt(v)));
    case 'real':
      return fixed(TypeId.FLTN, 4, (w, v) => void w.f32(Number(v)));
    case 'float':
      return fixed(TypeId.FLTN, 8, (w, v) => void w.f64(Number(v)));
    case 'money':
      return fixed(TypeId.MONEYN, 8, (w, v) => {
        const cents = BigInt.asUintN(64, parseScaledDecimal(asText(v), 4));
        w.u32(Number(cents >> 32n)).u32(Number(cents & 0xffffffffn));
      });
    case 'smallmoney':
      return fixed(TypeId.MONEYN, 4, (w, v) => void w.i32(Number(parseScaledDecimal(asText(v), 4))));
    case 'decimal':
    case 'numeric': {
      const precision = Math.min(38, Math.max(1, type.precision ?? 18));
      // A negative scale is the engine saying "unconstrained" (PostgreSQL numeric without a
      // typmod); ten places keep such values (averages, ratios) without visible rounding.
      const decScale = Math.min(precision, type.scale !== undefined && type.scale < 0 ? 10 : Math.max(0, type.scale ?? 0));
      const length = decimalLength(precision);
      return {
        writeTypeInfo: (w) =>
          void w
            .u8(type.name === 'numeric' ? TypeId.NUMERICN : TypeId.DECIMALN)
            .u8(length)
            .u8(precision)
            .u8(decScale),
        writeValue: (w, v) => {
          const n = parseScaledDecimal(asText(v), decScale);
          w.u8(length)
            .u8(n < 0n ? 0 : 1)
            .uintN(n < 0n ? -n : n, length - 1);
        },
        writeNull: (w) => void w.u8(0),
        nullCost: 1,
      };
    }
    case 'char':
      return variable(TypeId.BIGCHAR, byteLength(type.length ?? 1, 1), true, (v) => encodeCp1252(asText(v)), lob(TypeId.TEXT, TEXT_MAX));
    case 'varchar':
    case 'text':
      return variable(
        TypeId.BIGVARCHAR,
        type.name === 'text' ? 'max' : byteLength(type.length, 1),
        true,
        (v) => encodeCp1252(asText(v)),
        lob(TypeId.TEXT, TEXT_MAX),
      );
    case 'nchar':
      return variable(
        TypeId.NCHAR,
        byteLength(type.length ?? 1, 2),
        true,
        (v) => Buffer.from(asText(v), 'utf16le'),
        lob(TypeId.NTEXT, NTEXT_MAX),
      );
    case 'nvarchar':
    case 'ntext':
    case 'xml':
      // xml goes out as XMLTYPE (0xF1) to PLP clients; TDS 7.1 clients get it as ntext, as SQL Server sends it.
      if (type.name === 'xml' && options.plp) return xmlCodec();
      return variable(
        TypeId.NVARCHAR,
        type.name === 'nvarchar' ? byteLength(type.length, 2) : 'max',
        true,
        (v) => Buffer.from(asText(v), 'utf16le'),
        lob(TypeId.NTEXT, NTEXT_MAX),
      );
    case 'binary':
      return variable(TypeId.BIGBINARY, byteLength(type.length ?? 1, 1), false, asBytes, lob(TypeId.IMAGE, TEXT_MAX));
    case 'varbinary':
      return variable(TypeId.BIGVARBINARY, byteLength(type.length, 1), false, asBytes, lob(TypeId.IMAGE, TEXT_MAX));
    case 'uniqueidentifier':
      return fixed(TypeId.GUID, 16, (w, v) => void w.bytes(guidToBytes(asText(v))));
    case 'date':
      return {
        writeTypeInfo: (w) => void w.u8(TypeId.DATE),
        writeValue: (w, v) => void w.u8(3).uintN(BigInt(parseTemporal(asText(v)).days), 3),
        writeNull: (w) => void w.u8(0),
        nullCost: 1,
      };
    case 'time':
      return scaled(TypeId.TIME, scale, timeLength, (w, v) => {
        const t = parseTemporal(asText(v));
        writeTime(w, timeUnits(t.seconds, t.fraction, scale), scale);
      });
    case 'datetime2':
      return scaled(
        TypeId.DATETIME2,
        scale,
        (s) => timeLength(s) + 3,
        (w, v) => {
          const t = parseTemporal(asText(v));
          writeTime(w, timeUnits(t.seconds, t.fraction, scale), scale);
          w.uintN(BigInt(t.days), 3);
        },
      );
    case 'datetimeoffset':
      return scaled(
        TypeId.DATETIMEOFFSET,
        scale,
        (s) => timeLength(s) + 5,
        (w, v) => {
          const t = parseTemporal(asText(v));
          const offset = t.offsetMinutes ?? 0;
          const perDay = 86400n * 10n ** BigInt(scale);
          const local = BigInt(t.days) * perDay + timeUnits(t.seconds, t.fraction, scale);
          const utc = local - BigInt(offset * 60) * 10n ** BigInt(scale);
          writeTime(w, utc % perDay, scale);
          w.uintN(utc / perDay, 3).i16(offset);
        },
      );
    case 'datetime':
      return fixed(TypeId.DATETIMN, 8, (w, v) => {
        const t = parseTemporal(asText(v));
        let days = t.days - DAYS_1900;
        // 1/300 s ticks; SQL Server rounds to .000/.003/.007.
        let ticks = Math.round((t.seconds + Number(`0.${t.fraction || '0'}`)) * 300);
        if (ticks >= 300 * 86400) {
          days += 1;
          ticks -= 300 * 86400;
        }
        w.i32(days).u32(ticks);
      });
    case 'smalldatetime':
      return fixed(TypeId.DATETIMN, 4, (w, v) => {
        const t = parseTemporal(asText(v));
        w.u16(t.days - DAYS_1900).u16(Math.round(t.seconds / 60));
      });
  }
}
