import type { SqlValue } from '../backend.ts';
import type { ByteWriter } from './byte-writer.ts';
import type { ColumnCodec } from './column-codec.ts';
import { DEFAULT_COLLATION } from './collation.ts';

/** The text pointer SQL Server sends when it has no real one; FreeTDS recognises it. */
const DUMMY_TEXTPTR = Buffer.from('dummy textptr\0\0\0', 'latin1');
const TIMESTAMP = Buffer.alloc(8);

/**
 * text, ntext and image as a TDS 7.1 client reads them (MS-TDS 2.2.5.2.1, 2.2.5.6): PLP
 * ((n)varchar(max), varbinary(max)) only exists from TDS 7.2 on, and SQL Server sends those columns
 * to older clients as the legacy LOB types. TYPE_INFO is the type, a LONGLEN maximum size, the
 * collation for character data and the table name (empty: the sandbox has no text pointers to
 * update through); a value is a 16-byte text pointer, an 8-byte timestamp, a LONGLEN length and
 * the bytes, and NULL is a zero text-pointer length.
 */
export function legacyLobCodec(
  id: number,
  maxBytes: number,
  collated: boolean,
  encode: (v: Exclude<SqlValue, null>) => Uint8Array,
): ColumnCodec {
  return {
    writeTypeInfo: (w: ByteWriter) => {
      w.u8(id).u32(maxBytes);
      if (collated) w.bytes(DEFAULT_COLLATION);
      w.u16(0);
    },
    writeValue: (w, v) => {
      const data = encode(v);
      w.u8(DUMMY_TEXTPTR.length).bytes(DUMMY_TEXTPTR).bytes(TIMESTAMP).u32(data.length).bytes(data);
    },
    writeNull: (w) => void w.u8(0),
    nullCost: 1,
  };
}
