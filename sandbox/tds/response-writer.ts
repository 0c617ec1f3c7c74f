import type { BatchEvent, ColumnMeta, SqlValue } from '../backend.ts';
import { ByteWriter } from './byte-writer.ts';
import type { ColumnCodec } from './column-codec.ts';
import type { MessageWriter } from './message-writer.ts';
import {
  CURCMD_SELECT,
  descriptorBytes,
  DoneStatus,
  EnvChange,
  envChangeBytes,
  envChangeText,
  doneToken,
  messageToken,
  returnStatusToken,
  Token,
  userType,
} from './tokens.ts';
import { codecForVersion, hasNullBitmapRows, isTds72Plus } from './version-types.ts';

/** Connection state the response changes (USE changes the database; transactions their descriptor). */
export interface ResponseState {
  database: string;
  transaction: bigint;
  /** The TDS version LOGINACK agreed on; type encodings follow it (version-types.ts). */
  tdsVersion: number;
}

interface PendingDone {
  status: number;
  rowCount: number;
  curCmd: number;
}

/**
 * Turns the engine's events for one request into TDS tokens: COLMETADATA, ROW/NBCROW, INFO,
 * ERROR, ENVCHANGE, RETURNSTATUS and the DONE family. A statement's DONE is held back until the
 * next event shows whether more follows (the MORE bit); inside an RPC statements end with
 * DONEINPROC and the request with DONEPROC, as SQL Server answers `sp_executesql`.
 */
export class ResponseWriter {
  readonly #message: MessageWriter;
  readonly #serverName: string;
  readonly #rpc: boolean;
  readonly #state: ResponseState;
  readonly #w = new ByteWriter(4096);
  #codecs: ColumnCodec[] = [];
  #bitmapBytes = 0;
  #pending: PendingDone | undefined;
  #sawColumns = false;
  #hadError = false;
  #sawReturnStatus = false;

  constructor(message: MessageWriter, options: { serverName: string; rpc: boolean; state: ResponseState }) {
    this.#message = message;
    this.#serverName = options.serverName;
    this.#rpc = options.rpc;
    this.#state = options.state;
  }

  /** Writes one event; resolves once the socket can take more (backpressure). */
  async event(event: BatchEvent): Promise<void> {
    try {
      this.#encode(event);
    } catch (error) {
      // A value the codec cannot encode must not leave half a token behind.
      this.#w.reset();
      throw error;
    }
    await this.#message.flush();
  }

  #encode(event: BatchEvent): void {
    if (event.kind === 'row') {
      this.#row(event.values);
      return;
    }
    this.#flushPending(DoneStatus.MORE);
    const w = this.#w;
    switch (event.kind) {
      case 'columns':
        // A statement without columns has no result set; SQL Server sends no COLMETADATA for it.
        if (event.columns.length > 0) this.#columns(event.columns);
        break;
      case 'done': {
        let status = 0;
        if (event.rowCount !== undefined) status |= DoneStatus.COUNT;
        if (event.error) status |= DoneStatus.ERROR;
        this.#pending = { status, rowCount: event.rowCount ?? 0, curCmd: this.#sawColumns ? CURCMD_SELECT : 0 };
        this.#sawColumns = false;
        return;
      }
      case 'info':
        messageToken(w, Token.INFO, event.message, this.#serverName, this.#wideCount);
        break;
      case 'error':
        this.#hadError = true;
        messageToken(w, Token.ERROR, event.message, this.#serverName, this.#wideCount);
        break;
      case 'database':
        envChangeText(w, EnvChange.DATABASE, event.name, this.#state.database);
        this.#state.database = event.name;
        break;
      case 'transaction':
        this.#transaction(event.state, event.descriptor);
        break;
      case 'return_value': {
        const codec = codecForVersion(event.type, this.#state.tdsVersion);
        w.u8(Token.RETURNVALUE)
          .u16(event.ordinal ?? 0)
          .bVarchar(event.name.startsWith('@') ? event.name : `@${event.name}`);
        w.u8(0x01);
        userType(w, isTds72Plus(this.#state.tdsVersion));
        w.u16(0x0001);
        codec.writeTypeInfo(w);
        if (event.value == null) codec.writeNull(w);
        else codec.writeValue(w, event.value);
        break;
      }
      case 'return_status':
        this.#sawReturnStatus = true;
        returnStatusToken(w, event.value);
        break;
    }
    this.#send();
  }

  /** Records an error that did not come from the engine's events (an engine failure). */
  markError(): void {
    this.#hadError = true;
  }

  /** Ends the response: the last DONE (or DONEPROC) without the MORE bit, then EOM. */
  async finish(): Promise<void> {
    const w = this.#w;
    if (this.#rpc) {
      this.#flushPending(DoneStatus.MORE);
      if (!this.#sawReturnStatus) returnStatusToken(w, this.#hadError ? -6 : 0);
      doneToken(w, Token.DONEPROC, this.#hadError ? DoneStatus.ERROR : 0, 0, 0, this.#wideCount);
    } else if (this.#pending) {
      this.#flushPending(0);
    } else {
      doneToken(w, Token.DONE, this.#hadError ? DoneStatus.ERROR : 0, 0, 0, this.#wideCount);
    }
    this.#send();
    await this.#message.end();
  }

  #transaction(state: 'begin' | 'commit' | 'rollback', descriptor: bigint): void {
    const none = Buffer.alloc(0);
    if (state === 'begin') {
      envChangeBytes(this.#w, EnvChange.BEGIN_TRAN, descriptorBytes(descriptor), none);
      this.#state.transaction = descriptor;
    } else {
      const type = state === 'commit' ? EnvChange.COMMIT_TRAN : EnvChange.ROLLBACK_TRAN;
      envChangeBytes(this.#w, type, none, descriptorBytes(descriptor));
      this.#state.transaction = 0n;
    }
  }

  /** 8-byte DONE row counts and 4-byte line numbers (TDS 7.2+), or their 7.1 halves. */
  get #wideCount(): boolean {
    return isTds72Plus(this.#state.tdsVersion);
  }

  #flushPending(more: number): void {
    const pending = this.#pending;
    if (!pending) return;
    this.#pending = undefined;
    doneToken(this.#w, this.#rpc ? Token.DONEINPROC : Token.DONE, pending.status | more, pending.rowCount, pending.curCmd, this.#wideCount);
  }

  #columns(columns: ColumnMeta[]): void {
    this.#sawColumns = true;
    this.#codecs = columns.map((c) => codecForVersion(c.type, this.#state.tdsVersion));
    this.#bitmapBytes = Math.ceil(columns.length / 8);
    const w = this.#w;
    w.u8(Token.COLMETADATA).u16(columns.length);
    columns.forEach((column, i) => {
      userType(w, isTds72Plus(this.#state.tdsVersion));
      w.u16(column.nullable ? 0x0001 : 0x0000);
      this.#codecs[i]?.writeTypeInfo(w);
      w.bVarchar(column.name);
    });
  }

  #row(values: SqlValue[]): void {
    const codecs = this.#codecs;
    const w = this.#w;
    let nullBytes = 0;
    for (let i = 0; i < codecs.length; i++) if (values[i] == null) nullBytes += codecs[i]?.nullCost ?? 0;
    if (nullBytes > this.#bitmapBytes && hasNullBitmapRows(this.#state.tdsVersion)) {
      w.u8(Token.NBCROW);
      const bitmap = Buffer.alloc(this.#bitmapBytes);
      for (let i = 0; i < codecs.length; i++) if (values[i] == null) bitmap[i >> 3]! |= 1 << (i & 7);
      w.bytes(bitmap);
      for (let i = 0; i < codecs.length; i++) {
        const value = values[i];
        if (value != null) codecs[i]?.writeValue(w, value);
      }
    } else {
      w.u8(Token.ROW);
      for (let i = 0; i < codecs.length; i++) {
        const value = values[i];
        if (value == null) codecs[i]?.writeNull(w);
        else codecs[i]?.writeValue(w, value);
      }
    }
    this.#send();
  }

  #send(): void {
    if (this.#w.length === 0) return;
    this.#message.write(this.#w.view());
    this.#w.reset();
  }
}
