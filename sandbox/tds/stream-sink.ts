import type { Writable } from 'node:stream';
import type { PacketSink } from './message-writer.ts';

/**
 * The connection's outgoing byte stream: the socket at first, the TLS cleartext socket once
 * encryption is on (and the socket again after login-only TLS). Waiting for 'drain' ends when the
 * connection closes, so no writer hangs on a dead socket.
 */
export class StreamSink implements PacketSink {
  #target: Writable;
  #closed = false;
  readonly #waiters = new Set<() => void>();

  constructor(target: Writable) {
    this.#target = target;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Sends from now on to another stream. */
  switchTo(target: Writable): void {
    this.#target = target;
  }

  write(packet: Buffer): boolean {
    return this.#target.write(packet);
  }

  drained(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    const target = this.#target;
    return new Promise<void>((resolve) => {
      const done = (): void => {
        target.off('drain', done);
        this.#waiters.delete(done);
        resolve();
      };
      target.once('drain', done);
      this.#waiters.add(done);
    });
  }

  /** Marks the sink closed and releases every writer waiting for 'drain'. */
  close(): void {
    this.#closed = true;
    for (const wake of [...this.#waiters]) wake();
  }
}
