import { TdsProtocolError } from './errors.ts';

/**
 * A bounds-checked little-endian cursor over a client message. Every read past the end raises
 * `TdsProtocolError`, so malformed input closes the connection instead of reading garbage.
 */
export class ByteReader {
  readonly buf: Buffer;
  offset: number;

  constructor(buf: Buffer, offset = 0) {
    this.buf = buf;
    this.offset = offset;
  }

  get remaining(): number {
    return this.buf.length - this.offset;
  }

  #need(size: number): number {
    if (size < 0 || this.offset + size > this.buf.length) {
      throw new TdsProtocolError(`message truncated: need ${size} bytes at offset ${this.offset}`);
    }
    const at = this.offset;
    this.offset += size;
    return at;
  }

  u8(): number {
    return this.buf.readUInt8(this.#need(1));
  }

  u16(): number {
    return this.buf.readUInt16LE(this.#need(2));
  }

  i16(): number {
    return this.buf.readInt16LE(this.#need(2));
  }

  u16be(): number {
    return this.buf.readUInt16BE(this.#need(2));
  }

  u32(): number {
    return this.buf.readUInt32LE(this.#need(4));
  }

  i32(): number {
    return this.buf.readInt32LE(this.#need(4));
  }

  u32be(): number {
    return this.buf.readUInt32BE(this.#need(4));
  }

  i64(): bigint {
    return this.buf.readBigInt64LE(this.#need(8));
  }

  u64(): bigint {
    return this.buf.readBigUInt64LE(this.#need(8));
  }

  f32(): number {
    return this.buf.readFloatLE(this.#need(4));
  }

  f64(): number {
    return this.buf.readDoubleLE(this.#need(8));
  }

  /** Little-endian unsigned integer of `size` bytes as a bigint. */
  uintN(size: number): bigint {
    const at = this.#need(size);
    let value = 0n;
    for (let i = size - 1; i >= 0; i--) value = (value << 8n) | BigInt(this.buf[at + i] ?? 0);
    return value;
  }

  bytes(size: number): Buffer {
    const at = this.#need(size);
    return this.buf.subarray(at, at + size);
  }

  ucs2(chars: number): string {
    const at = this.#need(chars * 2);
    return this.buf.toString('utf16le', at, at + chars * 2);
  }

  bVarchar(): string {
    return this.ucs2(this.u8());
  }

  usVarchar(): string {
    return this.ucs2(this.u16());
  }

  bVarbyte(): Buffer {
    return this.bytes(this.u8());
  }
}
