import { ByteReader } from './byte-reader.ts';
import { ByteWriter } from './byte-writer.ts';
import { TdsProtocolError } from './errors.ts';

/** PRELOGIN encryption values (MS-TDS 2.2.6.5). */
export const Encryption = { OFF: 0, ON: 1, NOT_SUP: 2, REQ: 3 } as const;

const Option = { VERSION: 0, ENCRYPTION: 1, INSTOPT: 2, THREADID: 3, MARS: 4, FEDAUTHREQUIRED: 6, TERMINATOR: 0xff } as const;

export interface ClientPrelogin {
  /** The client's encryption wish; OFF when the client sent none. */
  encryption: number;
  /** The client sent the FEDAUTHREQUIRED option (it can log in with an access token). */
  fedAuth?: boolean;
}

/** Reads the option table of a client PRELOGIN message (big-endian offsets and lengths). */
export function parsePrelogin(payload: Buffer): ClientPrelogin {
  const reader = new ByteReader(payload);
  let encryption: number = Encryption.OFF;
  let fedAuth = false;
  for (let guard = 0; guard < 64; guard++) {
    const token = reader.u8();
    if (token === Option.TERMINATOR) return { encryption, fedAuth };
    if (token === Option.FEDAUTHREQUIRED) fedAuth = true;
    const offset = reader.u16be();
    const length = reader.u16be();
    if (offset + length > payload.length) throw new TdsProtocolError('PRELOGIN option out of range');
    if (token === Option.ENCRYPTION && length >= 1) encryption = payload[offset] ?? Encryption.OFF;
  }
  throw new TdsProtocolError('PRELOGIN option table not terminated');
}

/**
 * The server's answer to the client's encryption wish, as SQL Server with a certificate and
 * without "force encryption" answers it: ON/REQ → ON, OFF → OFF (a client may still wrap only its
 * LOGIN7 in TLS; tedious does not), NOT_SUP → NOT_SUP. Without TLS the server answers NOT_SUP.
 */
export function negotiateEncryption(client: number, tlsAvailable: boolean): number {
  if (!tlsAvailable) return Encryption.NOT_SUP;
  if (client === Encryption.ON || client === Encryption.REQ) return Encryption.ON;
  if (client === Encryption.NOT_SUP) return Encryption.NOT_SUP;
  return Encryption.OFF;
}

/**
 * Builds the PRELOGIN response: version, encryption, instance (0 = match), thread id, MARS off,
 * and FEDAUTHREQUIRED = 1 when the client asked and the server accepts access tokens (the client
 * then echoes it in its LOGIN7 FEDAUTH feature).
 */
export function buildPreloginResponse(encryption: number, version: readonly [number, number, number], fedAuthRequired = false): Buffer {
  const options: Array<[number, Buffer]> = [
    [Option.VERSION, Buffer.from([version[0], version[1], version[2] >> 8, version[2] & 0xff, 0, 0])],
    [Option.ENCRYPTION, Buffer.from([encryption])],
    [Option.INSTOPT, Buffer.from([0])],
    [Option.THREADID, Buffer.alloc(0)],
    [Option.MARS, Buffer.from([0])],
    ...(fedAuthRequired ? [[Option.FEDAUTHREQUIRED, Buffer.from([1])] as [number, Buffer]] : []),
  ];
  const writer = new ByteWriter();
  let dataOffset = options.length * 5 + 1;
  for (const [token, data] of options) {
    writer.u8(token).u16be(dataOffset).u16be(data.length);
    dataOffset += data.length;
  }
  writer.u8(Option.TERMINATOR);
  for (const [, data] of options) writer.bytes(data);
  return Buffer.from(writer.view());
}
