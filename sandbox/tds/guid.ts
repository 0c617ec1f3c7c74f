import { TdsProtocolError } from './errors.ts';

/**
 * uniqueidentifier on the wire is mixed-endian: the first three groups little-endian, the last
 * two as written (MS-TDS 2.2.5.5.1.7, the Windows GUID struct layout).
 */
const ORDER = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];

export function guidToBytes(text: string): Buffer {
  const hex = text.replace(/[{}-]/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new TdsProtocolError(`not a uniqueidentifier: ${JSON.stringify(text)}`);
  const canonical = Buffer.from(hex, 'hex');
  return Buffer.from(ORDER.map((i) => canonical[i] ?? 0));
}

/** Canonical upper-case 8-4-4-4-12 form, as SQL Server prints it. */
export function bytesToGuid(bytes: Uint8Array): string {
  const hex = Buffer.from(ORDER.map((i) => bytes[i] ?? 0))
    .toString('hex')
    .toUpperCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
