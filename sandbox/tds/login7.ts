import { ByteReader } from './byte-reader.ts';
import { TdsProtocolError } from './errors.ts';
import { readFedAuth, type FedAuthRequest } from './fedauth.ts';

/** What the sandbox needs from a LOGIN7 message (MS-TDS 2.2.6.4). */
export interface Login7 {
  tdsVersion: number;
  packetSize: number;
  hostName: string;
  userName: string;
  password: string;
  appName: string;
  serverName: string;
  language: string;
  database: string;
  /** OptionFlags2 fIntSecurity: the client wants Windows authentication, which the sandbox lacks. */
  integratedSecurity: boolean;
  /** The FEDAUTH feature extension (an Entra ID access token), when present. */
  fedAuth?: FedAuthRequest | undefined;
}

const FIXED_LENGTH = 94;

/**
 * Parses LOGIN7. Variable fields are (offset, length-in-characters) pairs into the same buffer;
 * the password is obfuscated by swapping each byte's nibbles and XORing with 0xA5 (2.2.6.4), which
 * this reverses.
 */
export function parseLogin7(payload: Buffer): Login7 {
  if (payload.length < FIXED_LENGTH) throw new TdsProtocolError('LOGIN7 too short');
  const reader = new ByteReader(payload);
  const length = reader.u32();
  if (length > payload.length) throw new TdsProtocolError('LOGIN7 length exceeds message');
  const tdsVersion = reader.u32();
  const packetSize = reader.u32();
  const optionFlags2 = payload[25] ?? 0;
  const text = (at: number): string => {
    const offset = payload.readUInt16LE(at);
    const chars = payload.readUInt16LE(at + 2);
    if (chars === 0) return '';
    return new ByteReader(payload, offset).ucs2(chars);
  };
  const passwordOffset = payload.readUInt16LE(44);
  const passwordChars = payload.readUInt16LE(46);
  const obfuscated = new ByteReader(payload, passwordOffset).bytes(passwordChars * 2);
  const clear = Buffer.alloc(obfuscated.length);
  for (let i = 0; i < obfuscated.length; i++) {
    const b = (obfuscated[i] ?? 0) ^ 0xa5;
    clear[i] = ((b & 0x0f) << 4) | (b >> 4);
  }
  return {
    tdsVersion,
    packetSize,
    hostName: text(36),
    userName: text(40),
    password: clear.toString('utf16le'),
    appName: text(48),
    serverName: text(52),
    language: text(64),
    database: text(68),
    integratedSecurity: (optionFlags2 & 0x80) !== 0,
    fedAuth: readFedAuth(payload),
  };
}
