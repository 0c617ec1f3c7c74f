import { duplexPair, type Duplex } from 'node:stream';
import { TLSSocket, type SecureContext } from 'node:tls';

/**
 * TLS as TDS 7.x negotiates it (MS-TDS 2.2.6.5, 3.3.5.1): after PRELOGIN answers ENCRYPT_ON, the
 * handshake records travel inside PRELOGIN packets, one server message per client message; once
 * the handshake completes, TLS records flow raw on the socket with TDS packets inside them.
 *
 * The server side runs a TLSSocket over an in-memory pair: `receive()` feeds the client's wrapped
 * handshake bytes in, `send` ships the server's flight back wrapped. When the handshake is done,
 * `secure` resolves with the cleartext socket and `raw` takes over the byte flow; it rejects when
 * the handshake fails or the upgrade is destroyed first.
 */
export class TlsUpgrade {
  readonly cleartext: TLSSocket;
  readonly secure: Promise<TLSSocket>;
  readonly #outer: Duplex;
  readonly #sendWrapped: (data: Buffer) => void;
  #pending: Buffer[] = [];
  #wrapped = true;
  #established = false;
  #flushScheduled = false;
  #resolve!: (socket: TLSSocket) => void;
  #reject!: (error: Error) => void;
  #rawWrite: ((data: Buffer) => boolean) | undefined;
  #onRawDrain: (() => void) | undefined;

  constructor(secureContext: SecureContext, sendWrapped: (data: Buffer) => void, onError: (error: Error) => void) {
    const [outer, inner] = duplexPair();
    this.#outer = outer;
    this.#sendWrapped = sendWrapped;
    this.secure = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // Awaited by the connection; settled either way so a failed handshake never leaves it waiting.
    this.secure.catch(() => {});
    this.cleartext = new TLSSocket(inner, { isServer: true, secureContext });
    this.cleartext.on('error', (error) => {
      onError(error);
      this.#reject(error);
    });
    this.cleartext.once('secure', () => {
      this.#established = true;
      this.#scheduleFlush();
    });
    outer.on('data', (chunk: Buffer) => {
      if (this.#wrapped) {
        this.#pending.push(chunk);
        this.#scheduleFlush();
      } else if (this.#rawWrite && !this.#rawWrite(chunk)) {
        outer.pause();
        this.#onRawDrain = () => outer.resume();
      }
    });
  }

  /** Handshake bytes the client sent inside a PRELOGIN message. */
  receive(data: Buffer): void {
    this.#outer.write(data);
  }

  /** Raw TLS bytes from the socket once the handshake is done. */
  receiveRaw(data: Buffer): void {
    this.#outer.write(data);
  }

  /** Where raw TLS bytes go after the handshake, and the socket's 'drain' to resume them. */
  attachRaw(write: (data: Buffer) => boolean): () => void {
    this.#rawWrite = write;
    return () => {
      const resume = this.#onRawDrain;
      this.#onRawDrain = undefined;
      resume?.();
    };
  }

  destroy(): void {
    this.#reject(new Error('the connection closed before the TLS handshake completed'));
    this.cleartext.destroy();
    this.#outer.destroy();
  }

  /** A flight is complete when TLS has produced its bytes and stayed quiet for two turns of the loop. */
  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() =>
      setImmediate(() => {
        this.#flushScheduled = false;
        if (!this.#wrapped) return;
        if (this.#pending.length > 0) {
          const flight = Buffer.concat(this.#pending);
          this.#pending = [];
          this.#sendWrapped(flight);
        }
        if (this.#established) {
          this.#wrapped = false;
          this.#resolve(this.cleartext);
        }
      }),
    );
  }
}
