import { HEADER_LENGTH, PacketStatus, writeHeader } from './packet.ts';

const YIELD_EVERY_PACKETS = 4;

/** Where packets go: the raw socket, or the cleartext side of TLS once it is negotiated. */
export interface PacketSink {
  /** Returns false when the underlying buffer is full (Node stream semantics). */
  write(packet: Buffer): boolean;
  /** Resolves on 'drain', or at once when the connection is gone. */
  drained(): Promise<void>;
  readonly closed: boolean;
}

/**
 * Streams one server message: token bytes are cut into packets of the negotiated size, each
 * sent as soon as it is full, and the last one carries EOM. `flush()` waits for the socket to
 * drain, so a producer that awaits it never holds more than a packet or two in memory.
 */
export class MessageWriter {
  readonly #sink: PacketSink;
  readonly #type: number;
  readonly #spid: number;
  readonly #packetSize: number;
  #packet: Buffer;
  #used = HEADER_LENGTH;
  #packetId = 1;
  #mustWait = false;
  #sinceYield = 0;

  constructor(sink: PacketSink, type: number, packetSize: number, spid: number) {
    this.#sink = sink;
    this.#type = type;
    this.#packetSize = packetSize;
    this.#spid = spid;
    this.#packet = Buffer.allocUnsafe(packetSize);
  }

  write(data: Uint8Array): void {
    let offset = 0;
    while (offset < data.length) {
      if (this.#used === this.#packetSize) this.#emit(0);
      const take = Math.min(data.length - offset, this.#packetSize - this.#used);
      this.#packet.set(data.subarray(offset, offset + take), this.#used);
      this.#used += take;
      offset += take;
    }
  }

  /**
   * Waits while the socket is congested, and otherwise lets the event loop turn every few
   * packets: an engine that answers through promises alone would else starve timers and socket
   * reads (an ATTENTION, or a client in the same process) until the socket buffers filled up.
   */
  async flush(): Promise<void> {
    if (this.#mustWait && !this.#sink.closed) {
      this.#mustWait = false;
      this.#sinceYield = 0;
      await this.#sink.drained();
    } else if (this.#sinceYield >= YIELD_EVERY_PACKETS) {
      this.#sinceYield = 0;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** Sends the final packet with EOM and waits for the socket to accept it. */
  async end(): Promise<void> {
    this.#emit(PacketStatus.EOM);
    await this.flush();
  }

  #emit(status: number): void {
    writeHeader(this.#packet, this.#type, status, this.#used, this.#spid, this.#packetId++);
    const packet = this.#packet.subarray(0, this.#used);
    if (!this.#sink.closed && !this.#sink.write(packet)) this.#mustWait = true;
    this.#packet = Buffer.allocUnsafe(this.#packetSize);
    this.#used = HEADER_LENGTH;
    this.#sinceYield++;
  }
}
