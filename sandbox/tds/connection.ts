import type { Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import type { Backend, Session } from '../backend.ts';
import { ByteWriter } from './byte-writer.ts';
import { TdsProtocolError } from './errors.ts';
import { performLogin, type ServerIdentity } from './login.ts';
import { isTds72Plus, negotiateVersion, TDS_7_4 } from './version-types.ts';
import { parseLogin7 } from './login7.ts';
import { MessageWriter } from './message-writer.ts';
import { DEFAULT_PACKET_SIZE, MessageFramer, PacketStatus, PacketType, type TdsMessage } from './packet.ts';
import { buildPreloginResponse, Encryption, negotiateEncryption, parsePrelogin } from './prelogin.ts';
import { PreparedStatements } from './prepared-statements.ts';
import { runRequest } from './request-runner.ts';
import type { ResponseState } from './response-writer.ts';
import { DoneStatus, doneToken, Token } from './tokens.ts';
import { StreamSink } from './stream-sink.ts';
import { TlsUpgrade } from './tls-upgrade.ts';

export interface ConnectionOptions {
  backend: Backend;
  /** TLS for clients that ask for encryption; without it PRELOGIN answers ENCRYPT_NOT_SUP. */
  secureContext: SecureContext | undefined;
  identity: ServerIdentity;
  spid: number;
  /** Told why a connection was refused or dropped (one line each); nothing for a normal end. */
  log?: ((line: string) => void) | undefined;
}

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const LOGIN_TIMEOUT_MS = 60_000;

type Phase = 'prelogin' | 'tls' | 'login' | 'ready' | 'closed';

/** The request in flight, so an ATTENTION can abort it and acknowledge after its response. */
interface InFlight {
  controller: AbortController;
  attention: boolean;
}

/**
 * One client connection: PRELOGIN (with TLS when asked), LOGIN7, then requests one at a time.
 * Input keeps flowing while a request runs so that ATTENTION arrives promptly. Anything malformed
 * or unexpected closes this connection only; every failure is caught here.
 */
export class TdsConnection {
  readonly #socket: Socket;
  readonly #options: ConnectionOptions;
  readonly #framer = new MessageFramer();
  readonly #queue: TdsMessage[] = [];
  readonly #state: ResponseState = { database: '', transaction: 0n, tdsVersion: TDS_7_4 };
  readonly #prepared = new PreparedStatements();
  #phase: Phase = 'prelogin';
  #pumping = false;
  #tls: TlsUpgrade | undefined;
  #encryption: number = Encryption.NOT_SUP;
  #loginOnlyTls = false;
  readonly #sink: StreamSink;
  #session: Session | undefined;
  #packetSize = DEFAULT_PACKET_SIZE;
  #inFlight: InFlight | undefined;
  #settled: Promise<void> = Promise.resolve();
  #handling: Promise<void> = Promise.resolve();
  readonly closed: Promise<void>;
  #resolveClosed!: () => void;

  constructor(socket: Socket, options: ConnectionOptions) {
    this.#socket = socket;
    this.#options = options;
    this.#sink = new StreamSink(socket);
    this.closed = new Promise((resolve) => (this.#resolveClosed = resolve));
    socket.setNoDelay(true);
    // A client that never completes its login does not hold a socket for ever.
    setTimeout(() => {
      if (this.#phase !== 'ready') this.close(`no login within ${LOGIN_TIMEOUT_MS / 1000} s`);
    }, LOGIN_TIMEOUT_MS).unref();
    socket.on('data', (chunk: Buffer) => (this.#tls && this.#phase !== 'tls' ? this.#tls.receiveRaw(chunk) : this.#input(chunk)));
    socket.on('error', (error) => this.close(`socket error: ${error.message}`));
    socket.on('close', () => this.close(this.#phase === 'ready' ? undefined : `the client closed the connection during ${this.#phase}`));
  }

  /**
   * Ends the connection and releases its session; safe to call more than once. `reason` says why
   * the server refused or dropped it (logged); none for a normal end or a server shutdown.
   */
  close(reason?: string): void {
    if (this.#phase === 'closed') return;
    if (reason) {
      const peer = `${this.#socket.remoteAddress ?? '?'}:${this.#socket.remotePort ?? '?'}`;
      this.#options.log?.(`sandbox: connection from ${peer} (spid ${this.#options.spid}) closed: ${reason}`);
    }
    this.#phase = 'closed';
    this.#inFlight?.controller.abort();
    this.#sink.close();
    this.#tls?.destroy();
    this.#socket.destroy();
    const session = this.#session;
    this.#session = undefined;
    // The session closes only after the request in flight has let go of the engine.
    void this.#handling
      .catch(() => {})
      .then(() => this.#settled)
      .then(() => session?.close())
      .catch(() => {})
      .finally(() => this.#resolveClosed());
  }

  #input(chunk: Buffer): void {
    try {
      for (const message of this.#framer.push(chunk)) {
        if (message.type === PacketType.PRELOGIN && this.#phase === 'login' && this.#encryption === Encryption.OFF && !this.#tls) {
          // ENCRYPT_OFF still means "encrypt the login" for clients that want it (2.2.6.5).
          this.#loginOnlyTls = true;
          void this.#startTls().catch((error: unknown) => this.close(`TLS failure: ${describe(error)}`));
        }
        if (this.#phase === 'tls' && message.type === PacketType.PRELOGIN) this.#tls?.receive(message.payload);
        else if (message.type === PacketType.ATTENTION && this.#inFlight) {
          this.#inFlight.attention = true;
          this.#inFlight.controller.abort(new Error('attention'));
        } else {
          this.#queue.push(message);
        }
      }
    } catch (error) {
      this.close(`protocol error: ${describe(error)}`);
      return;
    }
    void this.#pump();
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#queue.length > 0 && this.#phase !== 'closed') {
        const message = this.#queue.shift() as TdsMessage;
        this.#handling = this.#handle(message);
        await this.#handling;
      }
    } catch (error) {
      this.close(error instanceof TdsProtocolError ? `protocol error: ${error.message}` : `internal error: ${describe(error)}`);
    } finally {
      this.#pumping = false;
    }
  }

  async #handle(message: TdsMessage): Promise<void> {
    switch (this.#phase) {
      case 'prelogin':
        // A TDS 7.0/7.1-era client (jTDS without SSL) starts with LOGIN7 and no PRELOGIN; SQL
        // Server still accepts that, unencrypted.
        if (message.type === PacketType.LOGIN7) {
          this.#phase = 'login';
          return this.#login(message.payload);
        }
        if (message.type !== PacketType.PRELOGIN)
          throw new TdsProtocolError(`expected PRELOGIN or LOGIN7, got packet type ${message.type}`);
        return this.#prelogin(message.payload);
      case 'login':
        if (message.type !== PacketType.LOGIN7) throw new TdsProtocolError(`expected LOGIN7, got packet type ${message.type}`);
        return this.#login(message.payload);
      case 'ready':
        return this.#request(message);
      default:
        throw new TdsProtocolError(`unexpected packet type ${message.type} in phase ${this.#phase}`);
    }
  }

  async #send(type: number, payload: Uint8Array): Promise<void> {
    const writer = new MessageWriter(this.#sink, type, this.#packetSize, this.#options.spid);
    writer.write(payload);
    await writer.end();
  }

  async #prelogin(payload: Buffer): Promise<void> {
    const client = parsePrelogin(payload);
    const secureContext = this.#options.secureContext;
    const encryption = negotiateEncryption(client.encryption, secureContext !== undefined);
    this.#encryption = encryption;
    await this.#send(
      PacketType.TABULAR_RESULT,
      buildPreloginResponse(
        encryption,
        this.#options.identity.version,
        client.fedAuth === true && this.#options.backend.authenticateToken !== undefined,
      ),
    );
    if (encryption !== Encryption.ON || !secureContext) {
      this.#phase = 'login';
      return;
    }
    await this.#startTls();
  }

  /** Runs the TLS handshake inside PRELOGIN packets, then moves the byte flow onto TLS. */
  async #startTls(): Promise<void> {
    const secureContext = this.#options.secureContext;
    if (!secureContext) throw new TdsProtocolError('TLS requested but not available');
    this.#phase = 'tls';
    const tls = new TlsUpgrade(
      secureContext,
      (flight) => void this.#send(PacketType.PRELOGIN, flight).catch((error: unknown) => this.close(`TLS failure: ${describe(error)}`)),
      (error) => this.close(`TLS failure: ${error.message}`),
    );
    this.#tls = tls;
    const cleartext = await tls.secure;
    const resume = tls.attachRaw((data) => this.#socket.write(data));
    this.#socket.on('drain', resume);
    this.#sink.switchTo(cleartext);
    cleartext.on('data', (chunk: Buffer) => this.#input(chunk));
    if (this.#phase === 'tls') this.#phase = 'login';
  }

  /** After a login-only TLS exchange the connection continues unencrypted, from the login response on. */
  #dropLoginTls(): void {
    const tls = this.#tls;
    if (!this.#loginOnlyTls || !tls) return;
    this.#tls = undefined;
    this.#sink.switchTo(this.#socket);
    tls.cleartext.removeAllListeners('data');
    tls.destroy();
  }

  async #login(payload: Buffer): Promise<void> {
    const login = parseLogin7(payload);
    if (negotiateVersion(login.tdsVersion) === undefined) {
      const version = `0x${login.tdsVersion.toString(16).padStart(8, '0')}`;
      this.close(`unsupported TDS version ${version} in LOGIN7 (the sandbox speaks TDS 7.1 to 7.4)`);
      return;
    }
    const outcome = await performLogin(this.#options.backend, login, this.#options.identity);
    this.#dropLoginTls();
    await this.#send(PacketType.TABULAR_RESULT, outcome.response);
    if (!outcome.ok) {
      this.#socket.end();
      this.close(`login failed: ${outcome.reason}`);
      return;
    }
    if (this.#phase === 'closed') {
      void outcome.session.close().catch(() => {});
      return;
    }
    this.#session = outcome.session;
    this.#state.database = outcome.session.database;
    this.#packetSize = outcome.packetSize;
    this.#state.tdsVersion = outcome.tdsVersion;
    this.#phase = 'ready';
  }

  async #request(message: TdsMessage): Promise<void> {
    const session = this.#session;
    if (!session) throw new TdsProtocolError('no session');
    if (message.type === PacketType.ATTENTION) return this.#acknowledgeAttention();
    if (![PacketType.SQL_BATCH, PacketType.RPC, PacketType.TRANSACTION_MANAGER].includes(message.type as 1)) {
      throw new TdsProtocolError(`unsupported packet type ${message.type}`);
    }
    const inFlight: InFlight = { controller: new AbortController(), attention: false };
    this.#inFlight = inFlight;
    try {
      await this.#settled;
      const writer = new MessageWriter(this.#sink, PacketType.TABULAR_RESULT, this.#packetSize, this.#options.spid);
      if (message.status & PacketStatus.IGNORE) {
        const w = new ByteWriter();
        doneToken(w, Token.DONE, DoneStatus.FINAL, 0, 0, isTds72Plus(this.#state.tdsVersion));
        writer.write(w.view());
        await writer.end();
      } else {
        this.#settled = (
          await runRequest(session, message, writer, {
            serverName: this.#options.identity.serverName,
            prepared: this.#prepared,
            state: this.#state,
            signal: inFlight.controller.signal,
          })
        ).settled;
      }
      if (inFlight.attention) await this.#acknowledgeAttention();
    } finally {
      this.#inFlight = undefined;
    }
  }

  /** The attention acknowledgement: its own message holding DONE with the ATTN bit (3.2.5.7). */
  async #acknowledgeAttention(): Promise<void> {
    const w = new ByteWriter();
    doneToken(w, Token.DONE, DoneStatus.ATTN, 0, 0, isTds72Plus(this.#state.tdsVersion));
    await this.#send(PacketType.TABULAR_RESULT, w.view());
  }
}
