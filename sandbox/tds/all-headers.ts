import type { ByteReader } from './byte-reader.ts';
import { TdsProtocolError } from './errors.ts';

/** What the ALL_HEADERS prefix of a request carries that the sandbox uses (MS-TDS 2.2.5.3). */
export interface RequestHeaders {
  /** The transaction descriptor the client believes is current (0 outside a transaction). */
  transactionDescriptor: bigint;
}

const TRANSACTION_DESCRIPTOR = 0x0002;

/**
 * Reads ALL_HEADERS at the start of a SQL batch, RPC or transaction-manager request and leaves
 * the reader after it. Query-notification and trace-activity headers are skipped.
 */
export function readAllHeaders(reader: ByteReader): RequestHeaders {
  const start = reader.offset;
  const total = reader.u32();
  if (total < 4 || start + total > reader.buf.length) throw new TdsProtocolError('ALL_HEADERS length out of range');
  let transactionDescriptor = 0n;
  while (reader.offset < start + total) {
    const headerStart = reader.offset;
    const length = reader.u32();
    const type = reader.u16();
    if (length < 6 || headerStart + length > start + total) throw new TdsProtocolError('header length out of range');
    if (type === TRANSACTION_DESCRIPTOR && length >= 14) transactionDescriptor = reader.u64();
    reader.offset = headerStart + length;
  }
  return { transactionDescriptor };
}
