import type { ByteWriter } from './byte-writer.ts';

/** LOGIN7 feature extension ids and FEDAUTH libraries (MS-TDS 2.2.6.4, FeatureExt). */
const FEATURE_FEDAUTH = 0x02;
const FEATURE_TERMINATOR = 0xff;
const LIBRARY_SECURITYTOKEN = 0x01;
/** FEATUREEXTACK token (MS-TDS 2.2.7.11). */
const TOKEN_FEATUREEXTACK = 0xae;
/** OptionFlags3 fExtension: the LOGIN7 carries a feature extension block. */
const F_EXTENSION = 0x10;

/** The federated-authentication request of a LOGIN7, when it carries one. */
export interface FedAuthRequest {
  /** 0x01 SECURITYTOKEN (an access token in the message), 0x02 ADAL (the server would have to send FEDAUTHINFO). */
  library: number;
  /** The client echoes the server's PRELOGIN FEDAUTHREQUIRED. */
  echo: boolean;
  /** The access token (SECURITYTOKEN only), as sent: UTF-16LE text. */
  token?: string | undefined;
}

/**
 * Reads the FEDAUTH feature of a LOGIN7 (TDS 7.4): `ibExtension` (offset 56) points at a 4-byte
 * offset of the FeatureExt block — features `[id u8][length u32][data]` up to 0xFF. FEDAUTH data
 * is `(library << 1) | echo`, then for SECURITYTOKEN the token's byte length (u32) and the token.
 * Anything malformed reads as no request (the login then fails as without credentials).
 */
export function readFedAuth(payload: Buffer): FedAuthRequest | undefined {
  if (payload.length < 94 || ((payload[27] ?? 0) & F_EXTENSION) === 0) return undefined;
  const at = payload.readUInt16LE(56);
  const size = payload.readUInt16LE(58);
  if (size !== 4 || at + 4 > payload.length) return undefined;
  let offset = payload.readUInt32LE(at);
  for (let guard = 0; guard < 32 && offset < payload.length; guard++) {
    const id = payload[offset] ?? FEATURE_TERMINATOR;
    if (id === FEATURE_TERMINATOR || offset + 5 > payload.length) return undefined;
    const length = payload.readUInt32LE(offset + 1);
    const start = offset + 5;
    if (start + length > payload.length) return undefined;
    if (id === FEATURE_FEDAUTH && length >= 1) {
      const options = payload[start] ?? 0;
      const library = options >> 1;
      const request: FedAuthRequest = { library, echo: (options & 1) === 1 };
      if (library === LIBRARY_SECURITYTOKEN && length >= 5) {
        const tokenBytes = payload.readUInt32LE(start + 1);
        if (5 + tokenBytes > length) return undefined;
        request.token = payload.subarray(start + 5, start + 5 + tokenBytes).toString('utf16le');
      }
      return request;
    }
    offset = start + length;
  }
  return undefined;
}

/** FEATUREEXTACK acknowledging FEDAUTH with no data, as SQL Server does for a security token. */
export function fedAuthAckToken(w: ByteWriter): void {
  w.u8(TOKEN_FEATUREEXTACK).u8(FEATURE_FEDAUTH).u32(0).u8(FEATURE_TERMINATOR);
}
