import { TdsProtocolError } from './errors.ts';

/** TDS packet types (MS-TDS 2.2.3.1.1). */
export const PacketType = {
  SQL_BATCH: 0x01,
  RPC: 0x03,
  TABULAR_RESULT: 0x04,
  ATTENTION: 0x06,
  BULK_LOAD: 0x07,
  TRANSACTION_MANAGER: 0x0e,
  LOGIN7: 0x10,
  SSPI: 0x11,
  PRELOGIN: 0x12,
} as const;

/** Packet status bits (MS-TDS 2.2.3.1.2). */
export const PacketStatus = {
  EOM: 0x01,
  IGNORE: 0x02,
  RESET_CONNECTION: 0x08,
  RESET_CONNECTION_SKIP_TRAN: 0x10,
} as const;

export const HEADER_LENGTH = 8;
/** The packet size every connection starts with, before LOGIN7 negotiates another. */
export const DEFAULT_PACKET_SIZE = 4096;
export const MIN_PACKET_SIZE = 512;
export const MAX_PACKET_SIZE = 32767;

/** A complete client message: the packets of one request joined, with the first packet's status. */
export interface TdsMessage {
  type: number;
  /** Status bits of the first packet (RESET_CONNECTION lives there) ORed with the last (IGNORE). */
  status: number;
  payload: Buffer;
}

/**
 * Joins incoming bytes into packets and packets into messages (a message ends with the EOM
 * status bit). Bytes may arrive split anywhere; a message larger than `maxMessageBytes` or a
 * packet with an impossible length is a protocol error.
 */
export class MessageFramer {
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #parts: Buffer[] = [];
  #partsBytes = 0;
  #type = -1;
  #status = 0;
  readonly #maxMessageBytes: number;

  constructor(maxMessageBytes = 256 * 1024 * 1024) {
    this.#maxMessageBytes = maxMessageBytes;
  }

  /** Feeds bytes; returns the messages they complete, in order. */
  push(chunk: Buffer): TdsMessage[] {
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    const messages: TdsMessage[] = [];
    while (this.#pendingBytes >= HEADER_LENGTH) {
      const head = this.#peek(HEADER_LENGTH);
      const type = head[0] ?? 0;
      const status = head[1] ?? 0;
      const length = head.readUInt16BE(2);
      if (length < HEADER_LENGTH || length > MAX_PACKET_SIZE + 1) {
        throw new TdsProtocolError(`invalid packet length ${length}`);
      }
      if (this.#pendingBytes < length) break;
      const packet = this.#take(length);
      if (this.#type === -1) {
        this.#type = type;
        this.#status = status;
      } else if (type !== this.#type) {
        throw new TdsProtocolError(`packet type ${type} inside a message of type ${this.#type}`);
      }
      this.#parts.push(packet.subarray(HEADER_LENGTH));
      this.#partsBytes += length - HEADER_LENGTH;
      if (this.#partsBytes > this.#maxMessageBytes) throw new TdsProtocolError('message too large');
      if (status & PacketStatus.EOM) {
        const payload = this.#parts.length === 1 ? (this.#parts[0] as Buffer) : Buffer.concat(this.#parts);
        messages.push({ type: this.#type, status: this.#status | (status & PacketStatus.IGNORE), payload });
        this.#parts = [];
        this.#partsBytes = 0;
        this.#type = -1;
        this.#status = 0;
      }
    }
    return messages;
  }

  #peek(size: number): Buffer {
    const first = this.#pending[0] as Buffer;
    if (first.length >= size) return first;
    this.#pending = [Buffer.concat(this.#pending)];
    return this.#pending[0] as Buffer;
  }

  #take(size: number): Buffer {
    const first = this.#peek(size);
    const taken = first.subarray(0, size);
    if (first.length === size) this.#pending.shift();
    else this.#pending[0] = first.subarray(size);
    this.#pendingBytes -= size;
    return taken;
  }
}

/** Writes a packet header (MS-TDS 2.2.3.1): type, status, big-endian length, SPID, packet id, window. */
export function writeHeader(target: Buffer, type: number, status: number, length: number, spid: number, packetId: number): void {
  target[0] = type;
  target[1] = status;
  target.writeUInt16BE(length, 2);
  target.writeUInt16BE(spid, 4);
  target[6] = packetId & 0xff;
  target[7] = 0;
}
