/** TDS data type identifiers (MS-TDS 2.2.5.4). */
export const TypeId = {
  NULL: 0x1f,
  IMAGE: 0x22,
  TEXT: 0x23,
  GUID: 0x24,
  INTN: 0x26,
  DATE: 0x28,
  TIME: 0x29,
  DATETIME2: 0x2a,
  DATETIMEOFFSET: 0x2b,
  INT1: 0x30,
  BIT: 0x32,
  INT2: 0x34,
  INT4: 0x38,
  DATETIM4: 0x3a,
  FLT4: 0x3b,
  MONEY: 0x3c,
  DATETIME: 0x3d,
  FLT8: 0x3e,
  NTEXT: 0x63,
  BITN: 0x68,
  DECIMALN: 0x6a,
  NUMERICN: 0x6c,
  FLTN: 0x6d,
  MONEYN: 0x6e,
  DATETIMN: 0x6f,
  MONEY4: 0x7a,
  INT8: 0x7f,
  BIGVARBINARY: 0xa5,
  BIGVARCHAR: 0xa7,
  BIGBINARY: 0xad,
  BIGCHAR: 0xaf,
  NVARCHAR: 0xe7,
  NCHAR: 0xef,
  XML: 0xf1,
} as const;

/** The USHORT max length that marks a (n)varchar(max)/varbinary(max) column, sent as PLP. */
export const MAX_LENGTH_MARKER = 0xffff;
/** PLP total length of a NULL value (2.2.5.2.3). */
export const PLP_NULL = 0xffffffffffffffffn;
/** PLP total length when the sender does not know it up front. */
export const PLP_UNKNOWN = 0xfffffffffffffffen;
