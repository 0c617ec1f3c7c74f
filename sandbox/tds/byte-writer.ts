/**
 * A growable little-endian byte buffer for building TDS tokens. TDS numbers are little-endian
 * except the packet header and PRELOGIN option table (MS-TDS 2.2.3.1, 2.2.6.5), which have
 * explicit big-endian helpers here.
 */
export class ByteWriter {
  #buf: Buffer;
  #length = 0;

  constructor(initialSize = 256) {
    this.#buf = Buffer.allocUnsafe(initialSize);
  }

  get length(): number {
    return this.#length;
  }

  #ensure(extra: number): void {
    const needed = this.#length + extra;
    if (needed <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < needed) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.#buf.copy(next, 0, 0, this.#length);
    this.#buf = next;
  }

  u8(value: number): this {
    this.#ensure(1);
    this.#buf[this.#length++] = value & 0xff;
    return this;
  }

  u16(value: number): this {
    this.#ensure(2);
    this.#length = this.#buf.writeUInt16LE(value, this.#length);
    return this;
  }

  i16(value: number): this {
    this.#ensure(2);
    this.#length = this.#buf.writeInt16LE(value, this.#length);
    return this;
  }

  u16be(value: number): this {
    this.#ensure(2);
    this.#length = this.#buf.writeUInt16BE(value, this.#length);
    return this;
  }

  u32(value: number): this {
    this.#ensure(4);
    this.#length = this.#buf.writeUInt32LE(value >>> 0, this.#length);
    return this;
  }

  i32(value: number): this {
    this.#ensure(4);
    this.#length = this.#buf.writeInt32LE(value, this.#length);
    return this;
  }

  u32be(value: number): this {
    this.#ensure(4);
    this.#length = this.#buf.writeUInt32BE(value >>> 0, this.#length);
    return this;
  }

  i64(value: bigint): this {
    this.#ensure(8);
    this.#length = this.#buf.writeBigInt64LE(value, this.#length);
    return this;
  }

  u64(value: bigint): this {
    this.#ensure(8);
    this.#length = this.#buf.writeBigUInt64LE(value, this.#length);
    return this;
  }

  f32(value: number): this {
    this.#ensure(4);
    this.#length = this.#buf.writeFloatLE(value, this.#length);
    return this;
  }

  f64(value: number): this {
    this.#ensure(8);
    this.#length = this.#buf.writeDoubleLE(value, this.#length);
    return this;
  }

  /** Little-endian unsigned integer of `size` bytes (up to 16) from a bigint. */
  uintN(value: bigint, size: number): this {
    this.#ensure(size);
    let rest = value;
    for (let i = 0; i < size; i++) {
      this.#buf[this.#length++] = Number(rest & 0xffn);
      rest >>= 8n;
    }
    return this;
  }

  bytes(data: Uint8Array): this {
    this.#ensure(data.length);
    this.#buf.set(data, this.#length);
    this.#length += data.length;
    return this;
  }

  /** UCS-2 (UTF-16LE) text without a length prefix. */
  ucs2(text: string): this {
    this.#ensure(text.length * 2);
    this.#length += this.#buf.write(text, this.#length, 'utf16le');
    return this;
  }

  /** B_VARCHAR: a one-byte character count, then UCS-2. */
  bVarchar(text: string): this {
    const clipped = text.slice(0, 255);
    return this.u8(clipped.length).ucs2(clipped);
  }

  /** US_VARCHAR: a two-byte character count, then UCS-2. */
  usVarchar(text: string): this {
    const clipped = text.slice(0, 65535);
    return this.u16(clipped.length).ucs2(clipped);
  }

  /** Overwrites a little-endian uint16 written earlier (for length fields known only at the end). */
  patchU16(offset: number, value: number): void {
    this.#buf.writeUInt16LE(value, offset);
  }

  patchU16be(offset: number, value: number): void {
    this.#buf.writeUInt16BE(value, offset);
  }

  /** The bytes written so far (a view; copy before reusing the writer). */
  view(): Buffer {
    return this.#buf.subarray(0, this.#length);
  }

  reset(): void {
    this.#length = 0;
  }
}
